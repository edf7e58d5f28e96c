// Golden: tumbling, hopping and session windows with every aggregate, FILTER,
// several and NULL group keys, over out-of-order input, against DuckDB.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AggregateConfig, Field } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameRows } from './compare.js';
import { Random, type Row, timeline, writeJsonl } from './data.js';
import { type Database, openDatabase } from './duckdb.js';
import { chain, fileSource, node, preview, run } from './pipeline.js';
import { assignSessions, assignWindows, windowAggregate } from './sql.js';

const CLICKS: Field[] = [
  { name: 'seq', type: 'long' },
  { name: 'ts', type: 'timestamp' },
  { name: 'user', type: 'string' },
  { name: 'page', type: 'string' },
  { name: 'ms', type: 'long' },
  { name: 'price', type: 'double' },
  { name: 'ok', type: 'boolean' },
];

/** Coarse times (100 ms) so that first/last often meet ties, broken by arrival. */
function clicks(count: number, seed: number, maxDisorder: number): Row[] {
  const random = new Random(seed);
  const times = timeline(random, { count, maxStep: 200, granularity: 100, maxDisorder });
  return times.map((ts, seq) => ({
    seq,
    ts,
    user: random.maybe(0.1, () => random.pick(['ann', 'bob', 'cy', 'dee', 'ed', 'flo'])),
    page: random.maybe(0.1, () => random.pick(['home', 'cart', 'pay', 'help'])),
    ms: random.maybe(0.1, () => random.int(-50, 5000)),
    price: random.maybe(0.2, () => random.int(0, 100_000) / 100),
    ok: random.maybe(0.1, () => random.chance(0.7)),
  }));
}

/** Every aggregate function, with and without a value and a filter. */
const EVERY_AGGREGATE: AggregateConfig[] = [
  { name: 'n', fn: 'count' },
  { name: 'n_price', fn: 'count', expr: 'price' },
  { name: 'n_users', fn: 'count_distinct', expr: 'user' },
  { name: 'n_ms_values', fn: 'count_distinct', expr: 'ms % 7' },
  { name: 'total_ms', fn: 'sum', expr: 'ms' },
  { name: 'total_price', fn: 'sum', expr: 'price' },
  { name: 'avg_price', fn: 'avg', expr: 'price' },
  { name: 'avg_ms', fn: 'avg', expr: 'ms * 2 + 1' },
  { name: 'min_ms', fn: 'min', expr: 'ms' },
  { name: 'max_price', fn: 'max', expr: 'price' },
  { name: 'min_user', fn: 'min', expr: 'user' },
  { name: 'max_user', fn: 'max', expr: 'user' },
  { name: 'min_ts', fn: 'min', expr: 'ts' },
  { name: 'max_ts', fn: 'max', expr: 'ts' },
  { name: 'first_seq', fn: 'first', expr: 'seq' },
  { name: 'last_seq', fn: 'last', expr: 'seq' },
  { name: 'first_ts', fn: 'first', expr: 'ts' },
  { name: 'last_ms', fn: 'last', expr: 'COALESCE(ms, -1)' },
  { name: 'n_ok', fn: 'count', where: 'ok' },
  { name: 'n_ok_price', fn: 'count', expr: 'price', where: 'ok' },
  { name: 'pages_not_ok', fn: 'count_distinct', expr: 'page', where: 'NOT ok' },
  { name: 'price_ok', fn: 'sum', expr: 'price', where: 'ok AND price > 10' },
  { name: 'avg_ms_long', fn: 'avg', expr: 'ms', where: 'ms > 1000' },
  { name: 'min_ms_ok', fn: 'min', expr: 'ms', where: 'ok' },
  { name: 'max_price_ok', fn: 'max', expr: 'price', where: 'ok IS NOT TRUE' },
  { name: 'first_seq_ok', fn: 'first', expr: 'seq', where: 'ok' },
  { name: 'last_seq_ok', fn: 'last', expr: 'seq', where: 'ok' },
];
const DOUBLES = ['total_price', 'avg_price', 'avg_ms', 'price_ok', 'avg_ms_long'];

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-golden-windows-'));
  db = await openDatabase();
  // Disorder up to the bound (on time, just), and one bound short of it for sessions.
  const inputs: [string, Row[]][] = [
    ['clicks', clicks(3000, 11, 3000)],
    ['session_clicks', clicks(3000, 12, 2900)],
  ];
  for (const [name, records] of inputs) {
    const path = await writeJsonl(dir, `${name}.jsonl`, CLICKS, records);
    await db.loadJsonl(name, path, CLICKS);
  }
});

afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

const source = (file = 'clicks') =>
  fileSource('clicks', `${file}.jsonl`, CLICKS, { field: 'ts', maxOutOfOrderness: '3s' });

/** Runs source → window.aggregate → preview; returns the results and checks their event times. */
async function aggregate(config: object, file?: string): Promise<Row[]> {
  const outcome = await run(
    chain(source(file), node('agg', 'window.aggregate', config), preview('out')),
    dir,
  );
  expect(outcome.late('agg')).toBe(0);
  const { rows, times } = outcome.preview('out');
  // A window's result carries the event time window_end − 1 ms.
  expect(times).toEqual(rows.map((r) => (r.window_end as number) - 1));
  return rows;
}

const columns = (keys: string[], aggregates: AggregateConfig[]) => [
  ...keys,
  'window_start',
  'window_end',
  ...aggregates.map((a) => a.name),
];

describe('golden: window aggregates', () => {
  it('tumbling windows: every aggregate, grouped by two keys with NULLs', async () => {
    const keys = ['user', 'page'];
    const actual = await aggregate({
      window: { type: 'tumbling', size: '10s' },
      groupBy: keys,
      aggregates: EVERY_AGGREGATE,
    });
    const expected = await db.query(
      windowAggregate(assignWindows('clicks', 10_000), keys, EVERY_AGGREGATE),
    );
    expect(expected.some((r) => r.user === null) && expected.some((r) => r.page === null)).toBe(
      true,
    );
    expect(Object.keys(actual[0] ?? {})).toEqual(columns(keys, EVERY_AGGREGATE));
    expectSameRows(actual, expected, columns(keys, EVERY_AGGREGATE), DOUBLES);
  });

  it('tumbling windows without keys: one result per window', async () => {
    const aggregates = EVERY_AGGREGATE.slice(0, 8);
    const actual = await aggregate({ window: { type: 'tumbling', size: '7s' }, aggregates });
    const expected = await db.query(windowAggregate(assignWindows('clicks', 7000), [], aggregates));
    expectSameRows(actual, expected, columns([], aggregates), DOUBLES);
  });

  it('hopping windows: each record in size / slide windows', async () => {
    const keys = ['page'];
    const config = {
      window: { type: 'hopping', size: '10s', slide: '2s' },
      groupBy: keys,
      aggregates: EVERY_AGGREGATE,
    };
    const actual = await aggregate(config);
    const expected = await db.query(
      windowAggregate(assignWindows('clicks', 10_000, 2000), keys, EVERY_AGGREGATE),
    );
    expectSameRows(actual, expected, columns(keys, EVERY_AGGREGATE), DOUBLES);
  });

  it('session windows per key, with a gap that records can never exactly meet', async () => {
    const keys = ['user', 'page'];
    const config = {
      window: { type: 'session', gap: '1050ms' },
      groupBy: keys,
      aggregates: EVERY_AGGREGATE,
    };
    const actual = await aggregate(config, 'session_clicks');
    const expected = await db.query(
      windowAggregate(assignSessions('session_clicks', keys, 1050), keys, EVERY_AGGREGATE),
    );
    expect(expected.some((r) => (r.n as number) > 1)).toBe(true);
    expectSameRows(actual, expected, columns(keys, EVERY_AGGREGATE), DOUBLES);
  });

  it('session windows merge when their windows touch (a record exactly one gap after the last)', async () => {
    const keys = ['user'];
    const config = {
      window: { type: 'session', gap: '1s' },
      groupBy: keys,
      aggregates: EVERY_AGGREGATE,
    };
    const actual = await aggregate(config, 'session_clicks');
    const expected = await db.query(
      windowAggregate(assignSessions('session_clicks', keys, 1000), keys, EVERY_AGGREGATE),
    );
    const [touching] = await db.query(
      `SELECT count(*) AS n FROM (SELECT ts - lag(ts) OVER (PARTITION BY user ORDER BY ts, seq) AS step FROM session_clicks) WHERE step = 1000`,
    );
    expect(touching!.n).toBeGreaterThan(0);
    expectSameRows(actual, expected, columns(keys, EVERY_AGGREGATE), DOUBLES);
  });

  it('first and last take the earliest and latest value even when it is NULL (RESPECT NULLS)', async () => {
    const keys = ['user'];
    const aggregates: AggregateConfig[] = [
      { name: 'first_page', fn: 'first', expr: 'page' },
      { name: 'last_page', fn: 'last', expr: 'page' },
      { name: 'first_ok', fn: 'first', expr: 'ok' },
      { name: 'last_price', fn: 'last', expr: 'price' },
    ];
    const actual = await aggregate({
      window: { type: 'tumbling', size: '2s' },
      groupBy: keys,
      aggregates,
    });
    const expected = await db.query(
      windowAggregate(assignWindows('clicks', 2000), keys, aggregates),
    );
    expect(expected.some((r) => r.first_page === null)).toBe(true);
    expectSameRows(actual, expected, columns(keys, aggregates), ['last_price']);
  });
});
