// Golden: deduplication (transform.dedupe) against DuckDB. The kept records
// form a chain per key, in arrival order (`seq`): the key's first record,
// then the first to arrive at least the retention after the last kept one.
// SQL says that with a recursive query, each step a ROW_NUMBER() over the
// candidates of each key. NULL key fields match each other (IS NOT DISTINCT
// FROM), as the engine's keys do. The disorder stays within the source's
// bound, so no record is late and when the watermark forgets a key cannot
// matter: the result is the SQL's whatever the batches.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Field } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameRows } from './compare.js';
import { Random, type Row, START, timeline, writeJsonl } from './data.js';
import { type Database, openDatabase } from './duckdb.js';
import { chain, fileSource, names, node, preview, run } from './pipeline.js';

const CLICKS: Field[] = [
  { name: 'seq', type: 'long' },
  { name: 'ts', type: 'timestamp' },
  { name: 'user', type: 'long' },
  { name: 'page', type: 'string' },
];

const BOUND = 5_000;

/** Whole seconds, so that records fall exactly a retention after a kept one; disorder within the bound. */
function clicks(count: number, seed: number): Row[] {
  const random = new Random(seed);
  const times = timeline(random, {
    count,
    start: START,
    maxStep: 1000,
    granularity: 1000,
    maxDisorder: BOUND,
  });
  return times.map((ts, seq) => ({
    seq,
    ts,
    user: random.maybe(0.05, () => random.int(1, 20)),
    page: random.maybe(0.1, () => random.pick(['home', 'cart', 'Cart', 'pay', 'help'])),
  }));
}

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-golden-dedupe-'));
  db = await openDatabase();
  // About 5 source batches: keys are kept and forgotten across batches.
  const path = await writeJsonl(dir, 'clicks.jsonl', CLICKS, clicks(5_000, 7));
  await db.loadJsonl('clicks', path, CLICKS);
});

afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Case {
  readonly key: readonly string[];
  readonly retention: string;
  readonly ms: number;
}

/** The records kept, by the chain rule: a recursive query, one link per key each step. */
function keptSql({ key, ms }: Case): string {
  const same = key.map((f) => `c.${f} IS NOT DISTINCT FROM k.${f}`).join(' AND ');
  const fields = names(CLICKS).join(', ');
  const cFields = names(CLICKS)
    .map((f) => `c.${f}`)
    .join(', ');
  return `WITH RECURSIVE kept AS (
      SELECT ${fields} FROM (
        SELECT *, row_number() OVER (PARTITION BY ${key.join(', ')} ORDER BY seq) AS n FROM clicks
      ) WHERE n = 1
      UNION ALL
      SELECT ${fields} FROM (
        SELECT ${cFields}, row_number() OVER (PARTITION BY ${key.map((f) => `c.${f}`).join(', ')} ORDER BY c.seq) AS n
        FROM kept k JOIN clicks c ON ${same} AND c.seq > k.seq AND c.ts >= k.ts + ${ms}
      ) WHERE n = 1
    )
    SELECT * FROM kept`;
}

const CASES: [string, Case][] = [
  ['one click per user a minute', { key: ['user'], retention: '1m', ms: 60_000 }],
  [
    'one click per user and page every 2 minutes, NULLs a value',
    { key: ['user', 'page'], retention: '2m', ms: 120_000 },
  ],
];

describe('golden: deduplication', () => {
  it.each(CASES)('keeps the chain of first records per key: %s', async (_, c) => {
    const dedupe = node('dedupe', 'transform.dedupe', { key: c.key, retention: c.retention });
    const source = fileSource('clicks', 'clicks.jsonl', CLICKS, {
      field: 'ts',
      maxOutOfOrderness: `${BOUND / 1000}s`,
    });
    const result = await run(chain(source, dedupe, preview('out')), dir);
    const { rows, times } = result.preview('out');
    const want = await db.query(keptSql(c));
    expectSameRows(rows, want, names(CLICKS));
    // In arrival order, each at its own time.
    expect(rows.map((r) => r.seq)).toEqual(want.map((r) => r.seq).sort((a, b) => +a! - +b!));
    expect(times).toEqual(rows.map((r) => r.ts));
    expect(result.late('dedupe')).toBe(0);
    const [{ n: total }] = (await db.query('SELECT count(*) AS n FROM clicks')) as [{ n: number }];
    const metrics = result.result.metrics.operators.find((o) => o.nodeId === 'dedupe')!;
    expect(metrics.extra).toEqual({ duplicates: total - want.length, keys: 0 });
    // Some keys keep a NULL field, and are kept more than once.
    expect(want.some((r) => c.key.some((f) => r[f] === null))).toBe(true);
    expect(want.length).toBeGreaterThan(3 * 100);
  });

  it('the data has the edges the cases rely on', async () => {
    for (const [, c] of CASES) {
      const same = c.key.map((f) => `c.${f} IS NOT DISTINCT FROM k.${f}`).join(' AND ');
      const [edges] = await db.query(
        `SELECT count(*) FILTER (WHERE c.ts = k.ts + ${c.ms}) AS exactly_after,
                count(*) FILTER (WHERE c.ts = k.ts + ${c.ms} - 1000) AS just_within,
                count(*) FILTER (WHERE c.ts < k.ts) AS older_than_kept
         FROM (${keptSql(c)}) k JOIN clicks c ON ${same} AND c.seq > k.seq`,
      );
      // A record exactly a retention after a kept one starts a new chain link; one a second less repeats it.
      expect(edges!.exactly_after).toBeGreaterThan(10);
      expect(edges!.just_within).toBeGreaterThan(10);
      // Repeats that arrived after the kept record with an earlier time (disorder).
      expect(edges!.older_than_kept).toBeGreaterThan(10);
    }
  });
});
