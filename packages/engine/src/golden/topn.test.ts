// Golden: top N (transform.topn) against DuckDB's ROW_NUMBER(). The output is
// an update stream keyed by the key and the rank, so what must equal SQL's
// `ROW_NUMBER() OVER (PARTITION BY … ORDER BY …) <= N` is the last row emitted
// per (key, rank). Ties in SQL's order are broken by `seq`, the arrival order,
// as the engine breaks them; NULLs sort last, as DuckDB's default.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Field } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameRows } from './compare.js';
import { Random, type Row, START, timeline, writeJsonl } from './data.js';
import { type Database, openDatabase } from './duckdb.js';
import { chain, fileSource, names, node, preview, run } from './pipeline.js';

const BIDS: Field[] = [
  { name: 'seq', type: 'long' },
  { name: 'ts', type: 'timestamp' },
  { name: 'auction', type: 'long' },
  { name: 'bidder', type: 'long' },
  { name: 'price', type: 'double' },
  { name: 'channel', type: 'string' },
];

/** Coarse prices and times for ties; disorder far beyond the source's bound. */
function bids(count: number, seed: number): Row[] {
  const random = new Random(seed);
  const times = timeline(random, {
    count,
    start: START,
    maxStep: 300,
    granularity: 1000,
    maxDisorder: 5_000,
  });
  return times.map((ts, seq) => ({
    seq,
    ts,
    auction: random.maybe(0.05, () => random.int(1, 20)),
    bidder: random.maybe(0.05, () => random.int(1, 10)),
    price: random.maybe(0.1, () => random.int(0, 400) / 4),
    channel: random.maybe(0.1, () => random.pick(['web', 'app', 'Apple', 'api', 'web2'])),
  }));
}

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-golden-topn-'));
  db = await openDatabase();
  // About 5 source batches, so that rankings change within and across batches.
  const path = await writeJsonl(dir, 'bids.jsonl', BIDS, bids(5_000, 42));
  await db.loadJsonl('bids', path, BIDS);
});

afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Case {
  readonly partitionBy: readonly string[];
  readonly orderBy: readonly { expr: string; direction: 'asc' | 'desc' }[];
  readonly n: number;
}

/** The last row emitted per (key, rank), from a run of bids → top N → preview. */
async function lastRows({ partitionBy, orderBy, n }: Case): Promise<Row[]> {
  const source = fileSource('bids', 'bids.jsonl', BIDS, { field: 'ts', maxOutOfOrderness: '1s' });
  const topn = node('top', 'transform.topn', { partitionBy, orderBy, n });
  const { rows } = (await run(chain(source, topn, preview('out')), dir)).preview('out');
  const last = new Map<string, Row>();
  for (const row of rows)
    last.set(JSON.stringify([...partitionBy, 'rank'].map((f) => row[f])), row);
  // Updates as records came, not one row per rank at the end.
  expect(rows.length).toBeGreaterThan(last.size);
  expect(Object.keys(rows[0] ?? {})).toEqual([...names(BIDS), 'rank']);
  return [...last.values()];
}

/** SQL's rows ranked at most N, ties by arrival, NULLs last. */
function expected({ partitionBy, orderBy, n }: Case): Promise<Row[]> {
  const partition = partitionBy.length > 0 ? `PARTITION BY ${partitionBy.join(', ')}` : '';
  const order = orderBy.map((t) => `${t.expr} ${t.direction.toUpperCase()} NULLS LAST`).join(', ');
  return db.query(
    `SELECT * FROM (SELECT *, row_number() OVER (${partition} ORDER BY ${order}, seq) AS rank FROM bids) WHERE rank <= ${n}`,
  );
}

const FIELDS = [...names(BIDS), 'rank'];

describe('golden: top N', () => {
  it.each<[string, Case]>([
    [
      'the 10 highest bids per auction (Nexmark q19)',
      { partitionBy: ['auction'], orderBy: [{ expr: 'price', direction: 'desc' }], n: 10 },
    ],
    [
      'the last bid per bidder and auction (q18: deduplication keeping the last)',
      { partitionBy: ['bidder', 'auction'], orderBy: [{ expr: 'ts', direction: 'desc' }], n: 1 },
    ],
    [
      'the winning bid per auction, the earlier of equal bids (q9)',
      {
        partitionBy: ['auction'],
        orderBy: [
          { expr: 'price', direction: 'desc' },
          { expr: 'ts', direction: 'asc' },
        ],
        n: 1,
      },
    ],
    ...(['asc', 'desc'] as const).map((direction): [string, Case] => [
      `NULL order values last, in arrival order, ${direction}`,
      {
        partitionBy: ['auction'],
        // Mostly NULL: fewer values than ranks in each auction.
        orderBy: [{ expr: 'CASE WHEN bidder = 1 AND price < 30 THEN price END', direction }],
        n: 10,
      },
    ]),
    [
      'one ranking of every bid, by text then a computed value',
      {
        partitionBy: [],
        orderBy: [
          { expr: 'channel', direction: 'asc' },
          { expr: 'price * 2 - bidder', direction: 'desc' },
        ],
        n: 25,
      },
    ],
  ])('the last row per key and rank is ROW_NUMBER() <= N: %s', async (_, topn) => {
    const want = await expected(topn);
    // A NULL key is a ranking of its own, compared too.
    expect(want.some((r) => topn.partitionBy.some((f) => r[f] === null))).toBe(
      topn.partitionBy.length > 0,
    );
    expectSameRows(await lastRows(topn), want, FIELDS);
  });

  it('the data has the ties and NULLs the cases rely on', async () => {
    const [ties] = await db.query(
      `SELECT count(*) AS n FROM (SELECT auction, price FROM bids WHERE price IS NOT NULL GROUP BY ALL HAVING count(*) > 1)`,
    );
    // Bidder and auction pairs whose latest time is shared by several bids.
    const [sameTime] = await db.query(
      `SELECT count(*) AS n FROM (SELECT bidder, auction FROM (SELECT *, max(ts) OVER (PARTITION BY bidder, auction) AS latest FROM bids) WHERE ts = latest GROUP BY ALL HAVING count(*) > 1)`,
    );
    // Auctions whose 10 ranks hold both values and NULLs in the mostly-NULL case.
    const [mixed] = await db.query(
      `SELECT count(*) AS n FROM (SELECT auction, count(*) FILTER (WHERE bidder = 1 AND price < 30) AS v FROM bids GROUP BY auction) WHERE v BETWEEN 1 AND 9`,
    );
    expect(ties!.n).toBeGreaterThan(100);
    expect(mixed!.n).toBeGreaterThan(10);
    expect(sameTime!.n).toBeGreaterThan(10);
  });
});
