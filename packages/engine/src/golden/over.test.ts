// Golden: OVER windows (the last rows, or the last stretch of event time, per
// key) over out-of-order input, against DuckDB's window functions.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AggregateConfig, Field } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameRows } from './compare.js';
import { Random, type Row, timeline, writeJsonl } from './data.js';
import { type Database, openDatabase } from './duckdb.js';
import { chain, fileSource, node, preview, run } from './pipeline.js';

const READINGS: Field[] = [
  { name: 'seq', type: 'long' },
  { name: 'ts', type: 'timestamp' },
  { name: 'sensor', type: 'string' },
  { name: 'ms', type: 'long' },
  { name: 'price', type: 'double' },
  { name: 'ok', type: 'boolean' },
];

/** Coarse times (100 ms), so records of one key often share a time (peers). */
function readings(count: number, seed: number): Row[] {
  const random = new Random(seed);
  const times = timeline(random, { count, maxStep: 150, granularity: 100, maxDisorder: 2000 });
  return times.map((ts, seq) => ({
    seq,
    ts,
    sensor: random.maybe(0.05, () => random.pick(['s1', 's2', 's3', 's4'])),
    ms: random.maybe(0.1, () => random.int(-50, 5000)),
    price: random.maybe(0.2, () => random.int(0, 100_000) / 100),
    ok: random.maybe(0.1, () => random.chance(0.6)),
  }));
}

const AGGREGATES: AggregateConfig[] = [
  { name: 'n', fn: 'count' },
  { name: 'n_price', fn: 'count', expr: 'price' },
  { name: 'total_ms', fn: 'sum', expr: 'ms' },
  { name: 'avg_price', fn: 'avg', expr: 'price' },
  { name: 'min_ms', fn: 'min', expr: 'ms' },
  { name: 'max_price', fn: 'max', expr: 'price' },
  { name: 'n_ok', fn: 'count', where: 'ok' },
  { name: 'ms_ok', fn: 'sum', expr: 'ms', where: 'ok AND ms > 100' },
];
const DOUBLES = ['avg_price'];

/** The same aggregates in SQL, each OVER `frame`. */
function overSql(frame: string): string {
  const columns = AGGREGATES.map((a) => {
    const filter = a.where === undefined ? '' : ` FILTER (WHERE ${a.where})`;
    const call = a.fn === 'count' ? `count(${a.expr ?? '*'})` : `${a.fn}(${a.expr})`;
    return `${call}${filter} OVER w AS ${a.name}`;
  });
  return `SELECT seq, ${columns.join(', ')} FROM readings
    WINDOW w AS (PARTITION BY sensor ORDER BY ts, seq ${frame})`;
}

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-golden-over-'));
  db = await openDatabase();
  const path = await writeJsonl(dir, 'readings.jsonl', READINGS, readings(3000, 21));
  await db.loadJsonl('readings', path, READINGS);
});

afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

async function over(frame: object): Promise<Row[]> {
  const outcome = await run(
    chain(
      fileSource('readings', 'readings.jsonl', READINGS, { field: 'ts', maxOutOfOrderness: '2s' }),
      node('over', 'window.over', { partitionBy: ['sensor'], frame, aggregates: AGGREGATES }),
      preview('out'),
    ),
    dir,
  );
  expect(outcome.late('over')).toBe(0);
  const { rows, times } = outcome.preview('out');
  // Each record keeps its event time; per key they leave in time order.
  expect(times).toEqual(rows.map((r) => r.ts));
  const bySensor = new Map<unknown, number[]>();
  for (const r of rows) bySensor.set(r.sensor, [...(bySensor.get(r.sensor) ?? []), r.ts as number]);
  for (const ts of bySensor.values()) expect(ts).toEqual([...ts].sort((a, b) => a - b));
  return rows;
}

const columns = ['seq', ...AGGREGATES.map((a) => a.name)];

describe('golden: OVER windows', () => {
  it('the last 10 rows per key and the row itself (ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)', async () => {
    const actual = await over({ type: 'rows', preceding: 10 });
    expect(actual).toHaveLength(3000);
    const expected = await db.query(overSql('ROWS BETWEEN 10 PRECEDING AND CURRENT ROW'));
    expectSameRows(actual, expected, columns, DOUBLES);
  });

  it('only the row itself (0 rows before)', async () => {
    const actual = await over({ type: 'rows', preceding: 0 });
    const expected = await db.query(overSql('ROWS BETWEEN CURRENT ROW AND CURRENT ROW'));
    expectSameRows(actual, expected, columns, DOUBLES);
  });

  it('the last 5 s of event time per key, peers of the same time included (RANGE)', async () => {
    const actual = await over({ type: 'range', preceding: '5s' });
    // DuckDB's RANGE orders by one key: the time; rows of one time are peers, as in Sluice.
    const expected = await db.query(
      overSql('').replace(
        'ORDER BY ts, seq',
        'ORDER BY ts RANGE BETWEEN 5000 PRECEDING AND CURRENT ROW',
      ),
    );
    expectSameRows(actual, expected, columns, DOUBLES);
  });
});
