// Golden: the Nexmark queries of examples/nexmark, run by the engine on the
// generator's events, against the same events loaded into DuckDB.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Field, NEXMARK_FIELDS, type Pipeline } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Auction, type Bid, NexmarkGenerator, type Person } from '../nexmark/generator.js';
import { expectSameRows } from './compare.js';
import { type Row, writeJsonl } from './data.js';
import { type Database, openDatabase } from './duckdb.js';
import { readJsonl, run } from './pipeline.js';
import { assignSessions, assignWindows } from './sql.js';

const EXAMPLES = fileURLToPath(new URL('../../../../examples/nexmark/', import.meta.url));
const EVENTS = 50_000;
/** 1 000 events a second of event time: 50 s, so five 10-second windows and many sessions. */
const RATE = 1000;
const BASE_TIME = '2026-01-01T00:00:00Z';
const BID_FIELDS: Field[] = [...NEXMARK_FIELDS.bid, { name: 'seq', type: 'long' }];
const PERSON_FIELDS: Field[] = NEXMARK_FIELDS.person.filter((f) => f.name !== 'extra');
const AUCTION_FIELDS: Field[] = NEXMARK_FIELDS.auction.filter((f) => f.name !== 'extra');

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-golden-nexmark-'));
  db = await openDatabase();
  const generator = new NexmarkGenerator({ baseTime: Date.parse(BASE_TIME), rate: RATE });
  const people: Person[] = [];
  const auctions: Auction[] = [];
  const bids: Bid[] = [];
  generator.fill(
    0,
    EVENTS,
    { rows: people, times: [] },
    { rows: auctions, times: [] },
    { rows: bids, times: [] },
  );
  await db.loadJsonl(
    'person',
    await writeJsonl(dir, 'person.jsonl', PERSON_FIELDS, people),
    PERSON_FIELDS,
  );
  await db.loadJsonl(
    'auction',
    await writeJsonl(dir, 'auction.jsonl', AUCTION_FIELDS, auctions),
    AUCTION_FIELDS,
  );
  // seq (arrival order) and ts let the shared SQL helpers order and window the bids.
  const rows = bids.map((b, seq) => ({ ...b, seq }) as Row);
  const path = await writeJsonl(dir, 'bid.jsonl', BID_FIELDS, rows);
  await db.loadJsonl('bid_raw', path, BID_FIELDS);
  await db.run('CREATE VIEW bid AS SELECT *, "dateTime" AS ts FROM bid_raw');
});

afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The example with a small, slow-in-event-time input and a file sink in place of the discard. */
async function runQuery(query: string, timestamps: string[] = ['dateTime']): Promise<Row[]> {
  const document = JSON.parse(readFileSync(join(EXAMPLES, `${query}.json`), 'utf8')) as Pipeline;
  const nodes = document.nodes.map((node) => {
    if (node.kind === 'source.nexmark')
      return {
        ...node,
        config: { ...node.config, count: EVENTS, rate: RATE, baseTime: BASE_TIME },
      };
    if (node.kind === 'sink.blackhole')
      return { ...node, kind: 'sink.file', config: { path: `${query}.jsonl`, format: 'jsonl' } };
    return node;
  });
  await run({ ...document, nodes }, dir);
  return readJsonl(dir, `${query}.jsonl`, timestamps);
}

/** The last row of each key in an update stream: each row replaces the earlier one of its key. */
function lastPerKey(rows: readonly Row[], key: readonly string[]): Row[] {
  const last = new Map<string, Row>();
  for (const row of rows) last.set(JSON.stringify(key.map((k) => row[k])), row);
  return [...last.values()];
}

const BID_OUT = ['auction', 'bidder', 'price', 'dateTime', 'extra'];

describe('golden: Nexmark queries', () => {
  it('q0 passes every bid through', async () => {
    const expected = await db.query('SELECT auction, bidder, price, "dateTime", extra FROM bid');
    expect(expected).toHaveLength((EVENTS * 46) / 50);
    expectSameRows(await runQuery('q0'), expected, BID_OUT);
  });

  it('q1 converts prices to euros', async () => {
    const expected = await db.query(
      'SELECT auction, bidder, 0.908::DOUBLE * price AS price, "dateTime", extra FROM bid',
    );
    expectSameRows(await runQuery('q1'), expected, BID_OUT, ['price']);
  });

  it('q2 keeps the bids on every 123rd auction', async () => {
    const expected = await db.query('SELECT auction, price FROM bid WHERE auction % 123 = 0');
    expectSameRows(await runQuery('q2', []), expected, ['auction', 'price']);
  });

  it('q3 finds the category-10 auctions of sellers in Oregon, Idaho and California', async () => {
    const expected = await db.query(`
      SELECT p.name, p.city, p.state, a.id FROM auction a JOIN person p ON a.seller = p.id
      WHERE a.category = 10 AND p.state IN ('OR', 'ID', 'CA')`);
    expect(expected.length).toBeGreaterThan(20);
    expectSameRows(await runQuery('q3', []), expected, ['name', 'city', 'state', 'id']);
  });

  it('q4 ends with the average closing price of each category', async () => {
    const expected = await db.query(`
      WITH closing AS (
        SELECT a.id, a.category, max(b.price) AS final
        FROM auction a JOIN bid b ON a.id = b.auction
          AND b."dateTime" BETWEEN a."dateTime" AND a.expires
        GROUP BY a.id, a.category)
      SELECT category, avg(final) AS avg_final FROM closing GROUP BY category`);
    expect(expected).toHaveLength(5);
    const updates = await runQuery('q4', []);
    // An update stream: each row replaces the category's earlier one, so the last rows are the answer.
    expect(updates.length).toBeGreaterThan(expected.length);
    expectSameRows(
      lastPerKey(updates, ['category']),
      expected,
      ['category', 'avg_final'],
      ['avg_final'],
    );
  });

  it('q20 gives every bid on a category-10 auction with the auction beside it', async () => {
    const expected = await db.query(`
      SELECT b.auction, b.bidder, b.price, b."dateTime", a."itemName", a.seller, a.category,
        a."dateTime" AS "auction_dateTime"
      FROM bid b JOIN auction a ON b.auction = a.id WHERE a.category = 10`);
    expect(expected.length).toBeGreaterThan(1000);
    const fields = ['auction', 'bidder', 'price', 'dateTime', 'itemName', 'seller', 'category'];
    expectSameRows(await runQuery('q20', ['dateTime', 'auction_dateTime']), expected, [
      ...fields,
      'auction_dateTime',
    ]);
  });

  it('q5 finds the auctions with the most bids in each sliding window', async () => {
    const expected = await db.query(`
      WITH counts AS (
        SELECT auction, window_start, window_end, count(*) AS num
        FROM (${assignWindows('bid', 10_000, 2000)}) GROUP BY ALL),
      most AS (SELECT window_start, max(num) AS maxn FROM counts GROUP BY ALL)
      SELECT c.auction, c.num FROM counts c JOIN most m
        ON c.window_start = m.window_start AND c.num = m.maxn`);
    expect(expected.length).toBeGreaterThanOrEqual(25);
    expectSameRows(await runQuery('q5', []), expected, ['auction', 'num']);
  });

  it('q8 finds people who open an auction in the window they registered in', async () => {
    const expected = await db.query(`
      SELECT DISTINCT p.id, p.name, (p."dateTime" // 10000) * 10000 AS starttime
      FROM person p JOIN auction a
        ON p.id = a.seller AND p."dateTime" // 10000 = a."dateTime" // 10000`);
    expect(expected.length).toBeGreaterThan(0);
    expectSameRows(await runQuery('q8', ['starttime']), expected, ['id', 'name', 'starttime']);
  });

  it('q7 finds the highest bids of each 10-second window', async () => {
    const expected = await db.query(`
      WITH windows AS (SELECT ts // 10000 AS w, max(price) AS maxprice FROM bid GROUP BY w)
      SELECT b.auction, b.price, b.bidder, b."dateTime", b.extra
      FROM bid b JOIN windows m ON b.ts // 10000 = m.w AND b.price = m.maxprice`);
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expectSameRows(await runQuery('q7'), expected, ['auction', 'price', 'bidder', 'dateTime']);
  });

  it('q9 ends with the winning bid of each auction', async () => {
    const expected = await db.query(`
      WITH bids AS (
        SELECT a.id, b.price, b.bidder, b."dateTime" AS "bid_dateTime", b.seq
        FROM auction a JOIN bid b ON a.id = b.auction
          AND b."dateTime" BETWEEN a."dateTime" AND a.expires)
      SELECT id, price, bidder, "bid_dateTime" FROM (
        SELECT *, row_number() OVER (
          PARTITION BY id ORDER BY price DESC, "bid_dateTime", seq) AS rank_number
        FROM bids)
      WHERE rank_number = 1`);
    expect(expected.length).toBeGreaterThan(100);
    const updates = await runQuery('q9', ['bid_dateTime']);
    const winners = lastPerKey(updates, ['id']);
    expect(updates.length).toBeGreaterThan(winners.length);
    expectSameRows(winners, expected, ['id', 'price', 'bidder', 'bid_dateTime']);
  });

  it('q18 ends with the last bid of each bidder on each auction', async () => {
    const expected = await db.query(`
      SELECT auction, bidder, price, "dateTime" FROM (
        SELECT *, row_number() OVER (
          PARTITION BY bidder, auction ORDER BY "dateTime" DESC, seq) AS rank_number
        FROM bid)
      WHERE rank_number = 1`);
    const updates = await runQuery('q18');
    const last = lastPerKey(updates, ['bidder', 'auction']);
    expect(updates.length).toBeGreaterThan(last.length);
    expectSameRows(last, expected, ['auction', 'bidder', 'price', 'dateTime']);
  });

  it('q19 ends with the 10 highest bids of each auction', async () => {
    const expected = await db.query(`
      SELECT auction, bidder, price, "dateTime", rank_number FROM (
        SELECT *, row_number() OVER (PARTITION BY auction ORDER BY price DESC, seq) AS rank_number
        FROM bid)
      WHERE rank_number <= 10`);
    expect(expected.some((row) => row.rank_number === 10)).toBe(true);
    const top = lastPerKey(await runQuery('q19'), ['auction', 'rank_number']);
    expectSameRows(top, expected, ['auction', 'bidder', 'price', 'dateTime', 'rank_number']);
  });

  it('q11 counts the bids of each bidder session (gap 10 s)', async () => {
    const expected = await db.query(`
      SELECT bidder, window_start, window_end, count(*) AS bid_count
      FROM (${assignSessions('bid', ['bidder'], 10_000)}) GROUP BY ALL`);
    const actual = await runQuery('q11', ['window_start', 'window_end']);
    expectSameRows(actual, expected, ['bidder', 'window_start', 'window_end', 'bid_count']);
  });

  it("q17 reports each auction's bids and prices per day", async () => {
    const expected = await db.query(`
      SELECT auction, strftime(epoch_ms("dateTime"), '%Y-%m-%d') AS day, count(*) AS total_bids,
        count(*) FILTER (WHERE price < 10000) AS rank1_bids,
        count(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
        count(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
        min(price) AS min_price, max(price) AS max_price,
        avg(price) AS avg_price, sum(price) AS sum_price
      FROM bid GROUP BY auction, day`);
    expect(expected.length).toBeGreaterThan(100);
    // Every price band must be met somewhere, or the band conditions go unchecked.
    for (const band of ['rank1_bids', 'rank2_bids', 'rank3_bids'])
      expect(expected.some((row) => (row[band] as number) > 0)).toBe(true);
    expectSameRows(
      await runQuery('q17', []),
      expected,
      [
        ...['auction', 'day', 'total_bids', 'rank1_bids', 'rank2_bids', 'rank3_bids'],
        ...['min_price', 'max_price', 'avg_price', 'sum_price'],
      ],
      ['avg_price'],
    );
  });

  it('q14 converts, classifies and counts the letters of the bids in a price band', async () => {
    const expected = await db.query(`
      SELECT auction, bidder, 0.908::DOUBLE * price AS price,
        CASE WHEN hour(epoch_ms("dateTime")) BETWEEN 8 AND 18 THEN 'dayTime'
          WHEN hour(epoch_ms("dateTime")) <= 6 OR hour(epoch_ms("dateTime")) >= 20 THEN 'nightTime'
          ELSE 'otherTime' END AS "bidTimeType",
        "dateTime", length(extra) - length(replace(extra, 'c', '')) AS c_counts
      FROM bid WHERE 0.908::DOUBLE * price > 1000000 AND 0.908::DOUBLE * price < 50000000`);
    expect(expected.some((row) => (row.c_counts as number) > 0)).toBe(true);
    expectSameRows(
      await runQuery('q14'),
      expected,
      ['auction', 'bidder', 'price', 'bidTimeType', 'dateTime', 'c_counts'],
      ['price'],
    );
  });

  /** Bids, bidders and auctions per day, overall and in the three price bands of q15 and q16. */
  const DAILY_COUNTS = ['bid', 'bidder', 'auction']
    .map((what) => {
      const counted = what === 'bid' ? 'count(*)' : `count(DISTINCT ${what})`;
      return [
        `${counted} AS total_${what}s`,
        `${counted} FILTER (WHERE price < 10000) AS rank1_${what}s`,
        `${counted} FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_${what}s`,
        `${counted} FILTER (WHERE price >= 1000000) AS rank3_${what}s`,
      ].join(', ');
    })
    .join(', ');
  const DAILY_FIELDS = ['bid', 'bidder', 'auction'].flatMap((what) =>
    ['total', 'rank1', 'rank2', 'rank3'].map((band) => `${band}_${what}s`),
  );
  const DAY = `strftime(epoch_ms("dateTime"), '%Y-%m-%d')`;

  it('q15 reports the bids, bidders and auctions of each day by price band', async () => {
    const expected = await db.query(`SELECT ${DAY} AS day, ${DAILY_COUNTS} FROM bid GROUP BY day`);
    expect(expected).toHaveLength(1);
    expectSameRows(await runQuery('q15', []), expected, ['day', ...DAILY_FIELDS]);
  });

  it('q16 reports the bids, bidders and auctions of each channel and day', async () => {
    const expected = await db.query(`
      SELECT channel, ${DAY} AS day, max(strftime(epoch_ms("dateTime"), '%H:%M')) AS minute,
        ${DAILY_COUNTS}
      FROM bid GROUP BY channel, day`);
    expect(expected.length).toBeGreaterThan(4);
    expectSameRows(await runQuery('q16', []), expected, [
      'channel',
      'day',
      'minute',
      ...DAILY_FIELDS,
    ]);
  });

  it('q21 gives the bids of known channels or with a channel_id their channel id', async () => {
    const param = `regexp_extract(url, '(&|^)channel_id=([^&]*)', 2)`;
    const matches = `regexp_matches(url, '(&|^)channel_id=([^&]*)')`;
    const expected = await db.query(`
      SELECT auction, bidder, price, channel,
        CASE lower(channel) WHEN 'apple' THEN '0' WHEN 'google' THEN '1'
          WHEN 'facebook' THEN '2' WHEN 'baidu' THEN '3'
          ELSE CASE WHEN ${matches} THEN ${param} END END AS channel_id
      FROM bid WHERE ${matches} OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu')`);
    expect(expected.length).toBeLessThan((EVENTS * 46) / 50);
    expect(new Set(expected.map((row) => row.channel_id)).size).toBeGreaterThan(10);
    expectSameRows(await runQuery('q21', []), expected, [
      'auction',
      'bidder',
      'price',
      'channel',
      'channel_id',
    ]);
  });

  it("q22 splits each bid's URL into its first three directories", async () => {
    const expected = await db.query(`
      SELECT auction, bidder, price, channel, split_part(url, '/', 4) AS dir1,
        split_part(url, '/', 5) AS dir2, split_part(url, '/', 6) AS dir3
      FROM bid`);
    expect(expected.every((row) => (row.dir3 as string).length > 0)).toBe(true);
    expectSameRows(await runQuery('q22', []), expected, [
      'auction',
      'bidder',
      'price',
      'channel',
      'dir1',
      'dir2',
      'dir3',
    ]);
  });

  it('q12 counts every bid of each bidder once over its processing-time windows', async () => {
    const expected = await db.query('SELECT bidder, count(*) AS bid_count FROM bid GROUP BY ALL');
    const actual = await runQuery('q12', ['window_start', 'window_end']);
    const totals = new Map<unknown, number>();
    for (const row of actual)
      totals.set(row.bidder, (totals.get(row.bidder) ?? 0) + (row.bid_count as number));
    expectSameRows(
      [...totals].map(([bidder, bid_count]) => ({ bidder, bid_count }) as Row),
      expected,
      ['bidder', 'bid_count'],
    );
  });
});
