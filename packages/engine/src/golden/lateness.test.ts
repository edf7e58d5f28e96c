// Golden: late records, with and without allowed lateness, against DuckDB.
// The SQL decides lateness from the watermark each record met on arrival
// (per record, in file order); the inputs are settled so that batch
// boundaries cannot change the answer (see settleLateness).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AggregateConfig, Field } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameRows } from './compare.js';
import {
  type Holds,
  hopping,
  Random,
  type Row,
  SOURCE_BATCH,
  settleLateness,
  timeline,
  tumbling,
  writeJsonl,
} from './data.js';
import { type Database, openDatabase } from './duckdb.js';
import { fileSource, names, node, pipeline, preview, run } from './pipeline.js';
import { assignWindows, windowAggregate, withWatermark } from './sql.js';

const READINGS: Field[] = [
  { name: 'seq', type: 'long' },
  { name: 'ts', type: 'timestamp' },
  { name: 'sensor', type: 'string' },
  { name: 'value', type: 'double' },
  { name: 'level', type: 'long' },
];

const BOUND = 2000;

const AGGREGATES: AggregateConfig[] = [
  { name: 'n', fn: 'count' },
  { name: 'levels', fn: 'count_distinct', expr: 'level' },
  { name: 'total', fn: 'sum', expr: 'value' },
  { name: 'mean_level', fn: 'avg', expr: 'level' },
  { name: 'low', fn: 'min', expr: 'level' },
  { name: 'high', fn: 'max', expr: 'ts' },
  { name: 'first_seq', fn: 'first', expr: 'seq' },
  { name: 'last_seq', fn: 'last', expr: 'seq' },
  { name: 'n_high', fn: 'count', where: 'level > 5' },
];

interface Case {
  readonly file: string;
  readonly size: number;
  readonly slide: number;
  readonly lateness: number;
  /** With holds, late records are only a little late (see `timeline`); without, up to 15 s. */
  readonly holds?: Holds;
}

/**
 * A record is late for window w when w.end − 1 + lateness ≤ watermark, and the
 * watermark in a hold is newest − BOUND − 1. Aligning the hold's newest time
 * puts a window edge exactly where an off-by-one would show: with lateness
 * 7000 the window ending at newest − BOUND − 7000 is just too late (probes the
 * ≤); with lateness 3001 the one ending 1 ms later is just in time (probes the
 * − 1 ms of the watermark).
 */
const CASES = {
  tumbling: { file: 'tumbling', size: 5000, slide: 5000, lateness: 0 },
  tumblingLateness: {
    file: 'tumbling_lateness',
    size: 5000,
    slide: 5000,
    lateness: 7000,
    holds: { every: 1000, length: 1224, align: { period: 5000, phase: BOUND + 7000 } },
  },
  hoppingLateness: {
    file: 'hopping_lateness',
    size: 6000,
    slide: 2000,
    lateness: 3001,
    holds: { every: 1000, length: 1224, align: { period: 2000, phase: BOUND + 3001 - 1 } },
  },
} satisfies { [name: string]: Case };

function readings(seed: number, c: Case): Row[] {
  const random = new Random(seed);
  const times = timeline(random, {
    count: c.holds ? 3 * (c.holds.every + c.holds.length) : 4000,
    maxStep: 200,
    granularity: 100,
    maxDisorder: BOUND,
    ...(c.holds
      ? { holds: c.holds, lateShare: 0.5, lateBy: [0, 12_000] }
      : { lateShare: 0.04, lateBy: [0, 15_000] }),
  });
  const assign = c.size === c.slide ? tumbling(c.size) : hopping(c.size, c.slide);
  const moved = settleLateness(times, {
    bound: BOUND,
    lateness: c.lateness,
    assign,
    step: c.slide,
  });
  // In a hold's tail the watermark is the same whatever the batches: nothing to settle.
  if (c.holds && moved > 0)
    throw new Error(`${moved} records of ${c.file} were ambiguous in spite of the holds`);
  return times.map((ts, seq) => ({
    seq,
    ts,
    sensor: random.maybe(0.1, () => random.pick(['s1', 's2', 's3'])),
    value: random.maybe(0.1, () => random.int(-1000, 1000) / 10),
    level: random.maybe(0.1, () => random.int(0, 9)),
  }));
}

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-golden-late-'));
  db = await openDatabase();
  let seed = 21;
  for (const c of Object.values(CASES)) {
    const path = await writeJsonl(dir, `${c.file}.jsonl`, READINGS, readings(seed++, c));
    await db.loadJsonl(c.file, path, READINGS);
  }
});

afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

/** What the SQL expects: results per key and window, late records, and records taken in after their window fired. */
async function expectations(c: Case, keys: string[]) {
  const windowed = `SELECT * FROM (${assignWindows(withWatermark(c.file, BOUND), c.size, c.slide)})
    WHERE window_end - 1 + ${c.lateness} > watermark`;
  const results = await db.query(windowAggregate(windowed, keys, AGGREGATES));
  const late = await db.query(
    `SELECT ${names(READINGS).join(', ')} FROM (${withWatermark(c.file, BOUND)})
     WHERE seq NOT IN (SELECT seq FROM (${windowed}))`,
  );
  // Records taken into a window that had surely fired before they arrived, batches or not.
  const [{ n: takenLate }] = (await db.query(
    `SELECT count(*) AS n FROM (${windowed}) w JOIN (
       SELECT seq, max(ts) OVER (ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND ${SOURCE_BATCH} PRECEDING) - ${BOUND} - 1 AS early
       FROM ${c.file}) USING (seq)
     WHERE window_end - 1 <= early`,
  )) as [{ n: number }];
  // (record, window) pairs exactly at the edge: just too late, and just in time.
  const [edges] = (await db.query(
    `SELECT count(*) FILTER (WHERE window_end - 1 + ${c.lateness} = watermark) AS just_late,
            count(*) FILTER (WHERE window_end - 1 + ${c.lateness} = watermark + 1) AS just_in_time
     FROM (${assignWindows(withWatermark(c.file, BOUND), c.size, c.slide)})`,
  )) as [{ just_late: number; just_in_time: number }];
  return { results, late, takenLate, edges };
}

/** source → window.aggregate → preview, with the late port into a second preview. */
async function runWindow(c: Case, keys: string[]) {
  const window =
    c.size === c.slide
      ? { type: 'tumbling', size: `${c.size}ms` }
      : { type: 'hopping', size: `${c.size}ms`, slide: `${c.slide}ms` };
  const config = {
    window,
    groupBy: keys,
    aggregates: AGGREGATES,
    ...(c.lateness > 0 ? { allowedLateness: `${c.lateness}ms` } : {}),
  };
  const outcome = await run(
    pipeline(
      [
        fileSource('readings', `${c.file}.jsonl`, READINGS, {
          field: 'ts',
          maxOutOfOrderness: `${BOUND}ms`,
        }),
        node('agg', 'window.aggregate', config),
        preview('out'),
        preview('late'),
      ],
      [
        { from: 'readings', to: 'agg' },
        { from: 'agg', to: 'out' },
        { from: 'agg', fromPort: 'late', to: 'late' },
      ],
    ),
    dir,
  );
  return {
    out: outcome.preview('out'),
    late: outcome.preview('late'),
    lateCount: outcome.late('agg'),
  };
}

const columns = (keys: string[]) => [
  ...keys,
  'window_start',
  'window_end',
  ...AGGREGATES.map((a) => a.name),
];

/** The last result emitted per key and window: with allowed lateness, a window fires again on each late record. */
function lastPerWindow(rows: readonly Row[], keys: string[]): Row[] {
  const last = new Map<string, Row>();
  for (const row of rows)
    last.set(JSON.stringify([...keys, 'window_start'].map((k) => row[k])), row);
  return [...last.values()];
}

describe('golden: late records', () => {
  it('without allowed lateness: each window fires once without its late records, which leave by the late port', async () => {
    const c = CASES.tumbling;
    const keys = ['sensor'];
    const expected = await expectations(c, keys);
    expect(expected.late.length).toBeGreaterThan(20);
    const actual = await runWindow(c, keys);
    expectSameRows(actual.out.rows, expected.results, columns(keys), ['total', 'mean_level']);
    expectSameRows(actual.late.rows, expected.late, names(READINGS), ['value']);
    expect(actual.late.times).toEqual(actual.late.rows.map((r) => r.ts));
    expect(actual.lateCount).toBe(expected.late.length);
  });

  it('with allowed lateness: the last result of each window counts every record not too late', async () => {
    const c = CASES.tumblingLateness;
    const keys = ['sensor'];
    const expected = await expectations(c, keys);
    expect(expected.late.length).toBeGreaterThan(20);
    expect(expected.takenLate).toBeGreaterThan(20);
    expect(expected.edges.just_late).toBeGreaterThan(5);
    const actual = await runWindow(c, keys);
    expectSameRows(lastPerWindow(actual.out.rows, keys), expected.results, columns(keys), [
      'total',
      'mean_level',
    ]);
    expectSameRows(actual.late.rows, expected.late, names(READINGS), ['value']);
    expect(actual.lateCount).toBe(expected.late.length);
    // Every result, first firing or update, carries its window's event time.
    expect(actual.out.times).toEqual(actual.out.rows.map((r) => (r.window_end as number) - 1));
  });

  it('hopping windows with allowed lateness: a record joins only those of its windows still kept', async () => {
    const c = CASES.hoppingLateness;
    const keys = ['sensor'];
    const expected = await expectations(c, keys);
    // Records that joined some but not all of their windows.
    const [{ n: partial }] = (await db.query(
      `SELECT count(*) AS n FROM (SELECT seq, count(*) AS k FROM (${assignWindows(withWatermark(c.file, BOUND), c.size, c.slide)})
       WHERE window_end - 1 + ${c.lateness} > watermark GROUP BY seq) WHERE k < ${c.size / c.slide}`,
    )) as [{ n: number }];
    expect(partial).toBeGreaterThan(10);
    expect(expected.late.length).toBeGreaterThan(20);
    expect(expected.takenLate).toBeGreaterThan(20);
    expect(expected.edges.just_in_time).toBeGreaterThan(5);
    const actual = await runWindow(c, keys);
    expectSameRows(lastPerWindow(actual.out.rows, keys), expected.results, columns(keys), [
      'total',
      'mean_level',
    ]);
    expectSameRows(actual.late.rows, expected.late, names(READINGS), ['value']);
    expect(actual.lateCount).toBe(expected.late.length);
  });
});
