// The flight recorder of an edge: its bounds (a rate, a count, bytes, an age)
// hold under a million records a second, on a clock driven by hand; and a
// job answers from its recorders: the latest records, filtered by a checked
// expression, paged back, and one key followed over every edge.
import type { Pipeline } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import type { Batch, Row } from '../batch.js';
import { startJob } from './job.js';
import { approxBytes, DEFAULT_RECORDER, Recorder } from './recorder.js';

const FIELDS = [
  { name: 'id', type: 'long' as const },
  { name: 'body', type: 'string' as const },
];

function batchOf(size: number, from: number, body = 'x'): Batch {
  const rows: Row[] = Array.from({ length: size }, (_, i) => ({ id: from + i, body }));
  return { rows, times: rows.map((r) => r.id as number) };
}

describe('the flight recorder', () => {
  it('keeps at most its rate, its count and its bytes under a million records a second', () => {
    const recorder = new Recorder(FIELDS);
    // One batch of 1000 rows every millisecond: a million a second, for 70 s of the clock.
    const batch = batchOf(1000, 0);
    let peakBytes = 0;
    for (let ms = 0; ms < 70_000; ms++) {
      recorder.offer(batch, ms);
      if (ms % 1000 === 999) {
        expect(recorder.kept).toBeLessThanOrEqual(DEFAULT_RECORDER.records);
        peakBytes = Math.max(peakBytes, recorder.bytes);
      }
    }
    // 200 a second for 50 s fill the 10 000; after that the oldest go as the newest come.
    expect(recorder.kept).toBe(DEFAULT_RECORDER.records);
    expect(peakBytes).toBeLessThanOrEqual(DEFAULT_RECORDER.bytes);
    const page = recorder.query({ limit: 5 }, 70_000);
    expect(page.passed).toBe(70_000_000);
    // Spread over the clock, one every 5 ms, not the head of each second.
    expect(page.records.map((r) => r.at)).toEqual([69_995, 69_990, 69_985, 69_980, 69_975]);
    expect(page.oldestAt).toBe(20_000);
  });

  it('keeps no more than its bytes of big records, and forgets records past its age', () => {
    const limits = { ...DEFAULT_RECORDER, bytes: 1024 * 1024 };
    const recorder = new Recorder(FIELDS, limits);
    const big = batchOf(100, 0, 'y'.repeat(10_000));
    for (let s = 0; s < 30; s++) recorder.offer(big, s * 1000);
    expect(recorder.bytes).toBeLessThanOrEqual(limits.bytes);
    expect(recorder.kept * approxBytes(big.rows[0]!)).toBe(recorder.bytes);
    expect(recorder.kept).toBeGreaterThan(40);
    // A minute and more with nothing: what was kept is too old.
    expect(recorder.query({ limit: 10 }, 30_000 + DEFAULT_RECORDER.ageMs).kept).toBe(0);
  });

  it('answers the latest first, before a point in time, before a record, and filtered', () => {
    const recorder = new Recorder(FIELDS, { ...DEFAULT_RECORDER, perSecond: 1000 });
    for (let s = 0; s < 10; s++) recorder.offer(batchOf(10, s * 10), s * 1000);
    const all = recorder.query({ limit: 1000 }, 10_000).records;
    expect(all.map((r) => r.row.id)).toEqual(Array.from({ length: 100 }, (_, i) => 99 - i));
    const until = recorder.query({ limit: 3, until: 4_500 }, 10_000).records;
    expect(until.map((r) => r.row.id)).toEqual([49, 48, 47]);
    const back = recorder.query({ limit: 2, before: until.at(-1)!.seq }, 10_000).records;
    expect(back.map((r) => r.row.id)).toEqual([46, 45]);
    const even = recorder.query({ limit: 3, where: (row) => (row.id as number) % 2 === 0 }, 10_000);
    expect(even.records.map((r) => r.row.id)).toEqual([98, 96, 94]);
  });
});

describe('a job’s recorders', () => {
  const pipeline: Pipeline = {
    format: 'sluice.pipeline/v1',
    name: 'recorded',
    nodes: [
      {
        id: 'gen',
        kind: 'source.datagen',
        config: {
          fields: [
            { name: 'n', type: 'long', generator: { kind: 'sequence' } },
            {
              name: 'category',
              type: 'string',
              generator: { kind: 'choice', values: ['books', 'games'] },
            },
          ],
          count: 400,
          seed: 2,
        },
      },
      { id: 'big', kind: 'transform.filter', config: { where: 'n >= 100' } },
      {
        id: 'per_category',
        kind: 'transform.aggregate',
        config: { groupBy: ['category'], aggregates: [{ name: 'orders', fn: 'count' }] },
      },
      { id: 'out', kind: 'sink.preview', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'gen', target: 'big' },
      { id: 'e2', source: 'big', target: 'per_category' },
      { id: 'e3', source: 'per_category', target: 'out' },
    ],
  };

  it('answer the records that passed, filtered by a type-checked expression', async () => {
    const job = startJob(pipeline, { recorder: { ...DEFAULT_RECORDER, perSecond: 10_000 } });
    await job.done;
    const page = job.records('e1', { limit: 1000 });
    expect(page.passed).toBe(400);
    expect(page.kept).toBe(400);
    expect(page.records[0]!.row).toMatchObject({ n: 399 });
    const filtered = job.records('e2', { where: "category = 'books' AND n < 110", limit: 100 });
    expect(filtered.records.length).toBeGreaterThan(0);
    for (const r of filtered.records) {
      expect(r.row.category).toBe('books');
      expect(r.row.n as number).toBeLessThan(110);
    }
    expect(() => job.records('e1', { where: 'n + ' })).toThrow(/./);
    expect(() => job.records('e1', { where: 'category + 1 > 2' })).toThrow(
      /category|string|number/i,
    );
    expect(() => job.records('e1', { where: 'n' })).toThrow(/boolean/i);
  });

  it('follow a key over every edge, saying where the field is not', async () => {
    const job = startJob(pipeline, { recorder: { ...DEFAULT_RECORDER, perSecond: 10_000 } });
    await job.done;
    const followed = job.follow('n', '150');
    const on = new Map(followed.edges.map((e) => [e.edgeId, e]));
    expect(on.get('e1')!.records.map((r) => r.row.n)).toEqual([150]);
    expect(on.get('e1')).toMatchObject({ matched: 1, kept: 400 });
    expect(on.get('e2')!.records.map((r) => r.row.n)).toEqual([150]);
    // The aggregate's output has no n.
    expect(on.get('e3')).toMatchObject({ hasField: false, records: [] });
    const gone = job.follow('n', '50');
    expect(gone.edges.find((e) => e.edgeId === 'e2')!.records).toEqual([]);
  });

  it('records nothing when told not to', async () => {
    const job = startJob(pipeline, { recorder: false });
    await job.done;
    expect(job.records('e1')).toMatchObject({ kept: 0, passed: 400, records: [] });
  });
});
