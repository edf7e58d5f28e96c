// Golden: running aggregates (transform.aggregate) against DuckDB. Their
// output is an update stream, so what must equal SQL's GROUP BY is the last
// row emitted per key; a second stage keyed by the first one's keys must
// equal the nested query (Nexmark q4's shape: MAX per auction, then AVG).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AggregateConfig, Field } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameRows } from './compare.js';
import { Random, type Row, SOURCE_BATCH, START, timeline, writeJsonl } from './data.js';
import { type Database, openDatabase } from './duckdb.js';
import { chain, fileSource, node, preview, run } from './pipeline.js';
import { aggregateColumns } from './sql.js';

const CLICKS: Field[] = [
  { name: 'seq', type: 'long' },
  { name: 'ts', type: 'timestamp' },
  { name: 'user', type: 'string' },
  { name: 'page', type: 'string' },
  { name: 'ms', type: 'long' },
  { name: 'price', type: 'double' },
  { name: 'ok', type: 'boolean' },
];

/** Coarse times for first/last ties; disorder far beyond the source's bound: nothing is late here. */
function clicks(count: number, seed: number): Row[] {
  const random = new Random(seed);
  const times = timeline(random, {
    count,
    start: START,
    maxStep: 200,
    granularity: 100,
    maxDisorder: 10_000,
  });
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

const EVERY_AGGREGATE: AggregateConfig[] = [
  { name: 'n', fn: 'count' },
  { name: 'n_price', fn: 'count', expr: 'price' },
  { name: 'n_users', fn: 'count_distinct', expr: 'user' },
  { name: 'total_ms', fn: 'sum', expr: 'ms' },
  { name: 'total_price', fn: 'sum', expr: 'price' },
  { name: 'avg_price', fn: 'avg', expr: 'price' },
  { name: 'min_ms', fn: 'min', expr: 'ms' },
  { name: 'max_price', fn: 'max', expr: 'price' },
  { name: 'max_ts', fn: 'max', expr: 'ts' },
  { name: 'first_seq', fn: 'first', expr: 'seq' },
  { name: 'last_ms', fn: 'last', expr: 'ms' },
  { name: 'n_ok', fn: 'count', where: 'ok' },
  { name: 'price_ok', fn: 'sum', expr: 'price', where: 'ok AND price > 10' },
];

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-golden-running-'));
  db = await openDatabase();
  // About 20 source batches, so that keys are updated many times.
  const path = await writeJsonl(dir, 'clicks.jsonl', CLICKS, clicks(20_000, 21));
  await db.loadJsonl('clicks', path, CLICKS);
});

afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

const source = () =>
  fileSource('clicks', 'clicks.jsonl', CLICKS, { field: 'ts', maxOutOfOrderness: '1s' });

/** Runs the chain of running aggregates into a preview; the last row emitted per key of the last stage. */
async function lastRows(keys: readonly string[], ...stages: object[]): Promise<Map<string, Row>> {
  const nodes = stages.map((config, i) => node(`agg${i}`, 'transform.aggregate', config));
  const outcome = await run(chain(source(), ...nodes, preview('out')), dir);
  const { rows } = outcome.preview('out');
  // Updates as records came, not one row per key at the end.
  const last = new Map<string, Row>();
  for (const row of rows) last.set(JSON.stringify(keys.map((k) => row[k])), row);
  expect(rows.length).toBeGreaterThan(last.size);
  return last;
}

describe('golden: running aggregates', () => {
  it('the last row per key is GROUP BY over every record, late ones included', async () => {
    const keys = ['user', 'page'];
    const last = await lastRows(keys, { groupBy: keys, aggregates: EVERY_AGGREGATE });
    const expected = await db.query(
      `SELECT user, page, ${aggregateColumns(EVERY_AGGREGATE)} FROM clicks GROUP BY user, page`,
    );
    expect(expected.some((r) => r.user === null) && expected.some((r) => r.page === null)).toBe(
      true,
    );
    // Records behind the watermark of the batches before theirs (bound 1 s, minus 1 ms).
    const batch = `seq // ${SOURCE_BATCH}`;
    const [late] = await db.query(
      `WITH w AS (SELECT ${batch} AS batch, max(max(ts)) OVER (ORDER BY ${batch} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) - 1001 AS watermark FROM clicks GROUP BY 1)
        SELECT count(*) AS n FROM clicks JOIN w ON ${batch} = w.batch WHERE ts <= w.watermark`,
    );
    expect(late!.n).toBeGreaterThan(0);
    const fields = [...keys, ...EVERY_AGGREGATE.map((a) => a.name)];
    expect(Object.keys([...last.values()][0] ?? {})).toEqual(fields);
    expectSameRows([...last.values()], expected, fields, ['total_price', 'avg_price', 'price_ok']);
  });

  it('a second stage keyed by the first stage keys equals the nested query (q4 shape)', async () => {
    const last = await lastRows(
      ['page'],
      { groupBy: ['user', 'page'], aggregates: [{ name: 'final', fn: 'max', expr: 'price' }] },
      {
        groupBy: ['page'],
        updateKey: ['user', 'page'],
        aggregates: [
          { name: 'avg_final', fn: 'avg', expr: 'final' },
          { name: 'sum_final', fn: 'sum', expr: 'final' },
          { name: 'users', fn: 'count' },
        ],
      },
    );
    const expected = await db.query(
      `SELECT page, avg(final) AS avg_final, sum(final) AS sum_final, count(*) AS users
        FROM (SELECT user, page, max(price) AS final FROM clicks GROUP BY user, page) GROUP BY page`,
    );
    expectSameRows(
      [...last.values()],
      expected,
      ['page', 'avg_final', 'sum_final', 'users'],
      ['avg_final', 'sum_final'],
    );
  });

  it('records that move between keys: counts per count, and emptied keys stay silent', async () => {
    const last = await lastRows(
      ['n'],
      { groupBy: ['user', 'page'], aggregates: [{ name: 'n', fn: 'count' }] },
      {
        groupBy: ['n'],
        updateKey: ['user', 'page'],
        aggregates: [
          { name: 'pairs', fn: 'count' },
          { name: 'n_users', fn: 'count', expr: 'user' },
        ],
      },
    );
    const expected = await db.query(
      `SELECT n, count(*) AS pairs, count(user) AS n_users
        FROM (SELECT user, page, count(*) AS n FROM clicks GROUP BY user, page) GROUP BY n`,
    );
    // Counts every pair passed through and left: their last rows are stale, as documented.
    const alive = new Set(expected.map((r) => JSON.stringify([r.n])));
    expect(last.size).toBeGreaterThan(alive.size);
    const actual = [...last].filter(([key]) => alive.has(key)).map(([, row]) => row);
    expectSameRows(actual, expected, ['n', 'pairs', 'n_users']);
  });
});
