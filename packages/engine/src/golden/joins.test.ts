// Golden: window joins (inner and left), interval joins and regular joins,
// two keys with NULLs and clashing field names, against DuckDB. Both inputs are out of
// order within their bounds and nothing is late, so the result does not
// depend on how the two sources interleave.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Field } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameRows } from './compare.js';
import { Random, type Row, timeline, writeJsonl } from './data.js';
import { type Database, openDatabase } from './duckdb.js';
import { fileSink, fileSource, node, pipeline, preview, readJsonl, run } from './pipeline.js';

const ORDERS: Field[] = [
  { name: 'seq', type: 'long' },
  { name: 'ts', type: 'timestamp' },
  { name: 'k', type: 'string' },
  { name: 'region', type: 'string' },
  { name: 'amount', type: 'double' },
  { name: 'tag', type: 'string' },
];

const PAYMENTS: Field[] = [
  { name: 'seq', type: 'long' },
  { name: 'ts', type: 'timestamp' },
  { name: 'k', type: 'string' },
  { name: 'area', type: 'string' },
  { name: 'price', type: 'double' },
  { name: 'tag', type: 'string' },
];

/** k joins k (it appears once), region joins area (both kept); seq, ts and tag clash. */
const ON = [
  { left: 'k', right: 'k' },
  { left: 'region', right: 'area' },
];

/** The joined fields: left fields, then right fields, as DuckDB selects them from `l` and `r`. */
const JOINED: [string, string][] = [
  ['seq', 'l.seq'],
  ['ts', 'l.ts'],
  ['k', 'l.k'],
  ['region', 'l.region'],
  ['amount', 'l.amount'],
  ['tag', 'l.tag'],
  ['right_seq', 'r.seq'],
  ['right_ts', 'r.ts'],
  ['area', 'r.area'],
  ['price', 'r.price'],
  ['right_tag', 'r.tag'],
];
const TIMESTAMPS = ['window_start', 'window_end', 'ts', 'right_ts'];
const DOUBLES = ['amount', 'price'];

function side(seed: number, count: number, maxDisorder: number, area: 'region' | 'area'): Row[] {
  const random = new Random(seed);
  const times = timeline(random, { count, maxStep: 200, granularity: 50, maxDisorder });
  return times.map((ts, seq) => ({
    seq,
    ts,
    k: random.maybe(0.1, () => random.pick(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])),
    [area]: random.maybe(0.05, () => random.pick(['north', 'south'])),
    [area === 'region' ? 'amount' : 'price']: random.maybe(
      area === 'region' ? 0 : 0.1,
      () => random.int(0, 10_000) / 100,
    ),
    tag: random.pick(['x', 'y', 'z']),
  }));
}

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-golden-joins-'));
  db = await openDatabase();
  const orders = await writeJsonl(dir, 'orders.jsonl', ORDERS, side(31, 2000, 1000, 'region'));
  const payments = await writeJsonl(dir, 'payments.jsonl', PAYMENTS, side(32, 2000, 3000, 'area'));
  await db.loadJsonl('orders', orders, ORDERS);
  await db.loadJsonl('payments', payments, PAYMENTS);
});

afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

/** orders (left) and payments (right) into a join, out to a file and a preview. */
async function runJoin(kind: string, config: object, path: string, inputs = '') {
  const outcome = await run(
    pipeline(
      [
        fileSource('orders', `${inputs}orders.jsonl`, ORDERS, {
          field: 'ts',
          maxOutOfOrderness: '1s',
        }),
        fileSource('payments', `${inputs}payments.jsonl`, PAYMENTS, {
          field: 'ts',
          maxOutOfOrderness: '3s',
        }),
        node('join', kind, { on: ON, ...config }),
        fileSink('file', path),
        preview('out'),
      ],
      [
        { from: 'orders', to: 'join', toPort: 'left' },
        { from: 'payments', to: 'join', toPort: 'right' },
        { from: 'join', to: 'file' },
        { from: 'join', to: 'out' },
      ],
    ),
    dir,
  );
  expect(outcome.late('join')).toBe(0);
  return { rows: await readJsonl(dir, path, TIMESTAMPS), outcome };
}

const WINDOW = 5000;
const windowOf = (t: string) => `${t}.ts - ((${t}.ts % ${WINDOW}) + ${WINDOW}) % ${WINDOW}`;

function windowJoinSql(type: 'JOIN' | 'LEFT JOIN', where = ''): string {
  return `SELECT ${windowOf('l')} AS window_start, ${windowOf('l')} + ${WINDOW} AS window_end,
      ${JOINED.map(([name, sql]) => `${sql} AS ${name}`).join(', ')}
    FROM orders l ${type} payments r
      ON ${windowOf('l')} = ${windowOf('r')} AND l.k = r.k AND l.region = r.area ${where}`;
}

describe('golden: joins', () => {
  const windowColumns = ['window_start', 'window_end', ...JOINED.map(([name]) => name)];

  it('window join, inner: every pair with equal non-NULL keys in the same window', async () => {
    const { rows, outcome } = await runJoin(
      'join.window',
      { window: { type: 'tumbling', size: '5s' } },
      'out/inner.jsonl',
    );
    expect(Object.keys(rows[0] ?? {})).toEqual(windowColumns);
    expectSameRows(rows, await db.query(windowJoinSql('JOIN')), windowColumns, DOUBLES);
    // Results carry the event time of their window, window_end − 1 ms.
    const { rows: kept, times } = outcome.preview('out');
    expect(times).toEqual(kept.map((r) => (r.window_end as number) - 1));
  });

  it('window join, left: also each left record without a match (NULL keys included), with NULL right fields', async () => {
    const { rows } = await runJoin(
      'join.window',
      { window: { type: 'tumbling', size: '5s' }, type: 'left' },
      'out/left.jsonl',
    );
    const expected = await db.query(windowJoinSql('LEFT JOIN'));
    expect(expected.some((r) => r.k === null && r.right_seq === null)).toBe(true);
    expectSameRows(rows, expected, windowColumns, DOUBLES);
  });

  it('window join, inner, with a condition over the joined fields', async () => {
    const where = 'amount > price AND tag <> right_tag';
    const { rows } = await runJoin(
      'join.window',
      { window: { type: 'tumbling', size: '5s' }, where },
      'out/where.jsonl',
    );
    const expected = await db.query(
      windowJoinSql('JOIN', 'AND l.amount > r.price AND l.tag <> r.tag'),
    );
    expectSameRows(rows, expected, windowColumns, DOUBLES);
  });

  it('interval join: right time within [left − 2 s, left + 1 s], bounds included', async () => {
    const { rows, outcome } = await runJoin(
      'join.interval',
      { lower: '-2s', upper: '1s' },
      'out/interval.jsonl',
    );
    const columns = JOINED.map(([name]) => name);
    const expected = await db.query(
      `SELECT ${JOINED.map(([name, sql]) => `${sql} AS ${name}`).join(', ')}
       FROM orders l JOIN payments r
         ON l.k = r.k AND l.region = r.area AND r.ts BETWEEN l.ts - 2000 AND l.ts + 1000`,
    );
    // The bounds are met exactly, so an off-by-one would show.
    expect(expected.some((r) => (r.right_ts as number) - (r.ts as number) === -2000)).toBe(true);
    expect(expected.some((r) => (r.right_ts as number) - (r.ts as number) === 1000)).toBe(true);
    expect(Object.keys(rows[0] ?? {})).toEqual(columns);
    expectSameRows(rows, expected, columns, DOUBLES);
    // As in Flink, a joined record carries the later of its two event times.
    const { rows: kept, times } = outcome.preview('out');
    expect(times).toEqual(kept.map((r) => Math.max(r.ts as number, r.right_ts as number)));
  });

  it('interval join with a window entirely after the left record, and a condition', async () => {
    const where = 'tag = right_tag';
    const { rows } = await runJoin(
      'join.interval',
      { lower: '500ms', upper: '3s', where },
      'out/interval-after.jsonl',
    );
    const columns = JOINED.map(([name]) => name);
    const expected = await db.query(
      `SELECT ${JOINED.map(([name, sql]) => `${sql} AS ${name}`).join(', ')}
       FROM orders l JOIN payments r
         ON l.k = r.k AND l.region = r.area AND r.ts BETWEEN l.ts + 500 AND l.ts + 3000 AND l.tag = r.tag`,
    );
    expectSameRows(rows, expected, columns, DOUBLES);
  });
});

describe('golden: regular join', () => {
  // Every pair of a regular join is a match, so the inputs are smaller (a few
  // thousand pairs); both sides are kept far longer than the inputs span.
  beforeAll(async () => {
    const orders = await writeJsonl(
      dir,
      'small-orders.jsonl',
      ORDERS,
      side(33, 300, 1000, 'region'),
    );
    const payments = await writeJsonl(
      dir,
      'small-payments.jsonl',
      PAYMENTS,
      side(34, 300, 3000, 'area'),
    );
    await db.loadJsonl('small_orders', orders, ORDERS);
    await db.loadJsonl('small_payments', payments, PAYMENTS);
  });

  const columns = JOINED.map(([name]) => name);
  const retention = { leftRetention: '1d', rightRetention: '1d' };
  const innerJoinSql = (condition = '') =>
    `SELECT ${JOINED.map(([name, sql]) => `${sql} AS ${name}`).join(', ')}
     FROM small_orders l JOIN small_payments r ON l.k = r.k AND l.region = r.area ${condition}`;

  it('with retention longer than the input: SQL inner join, each record at the later time of its pair', async () => {
    const { rows, outcome } = await runJoin(
      'join.regular',
      retention,
      'out/regular.jsonl',
      'small-',
    );
    const expected = await db.query(innerJoinSql());
    // Pairs far apart in time, so a hidden time bound would show.
    expect(expected.some((r) => Math.abs((r.ts as number) - (r.right_ts as number)) > 20_000)).toBe(
      true,
    );
    expect(Object.keys(rows[0] ?? {})).toEqual(columns);
    expectSameRows(rows, expected, columns, DOUBLES);
    const { rows: kept, times } = outcome.preview('out');
    expect(times).toEqual(kept.map((r) => Math.max(r.ts as number, r.right_ts as number)));
  });

  it('with a condition over the joined fields', async () => {
    const { rows } = await runJoin(
      'join.regular',
      { ...retention, where: 'amount > price AND tag <> right_tag' },
      'out/regular-where.jsonl',
      'small-',
    );
    const expected = await db.query(innerJoinSql('AND l.amount > r.price AND l.tag <> r.tag'));
    expectSameRows(rows, expected, columns, DOUBLES);
  });
});
