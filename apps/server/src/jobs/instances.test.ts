import type { JobMetrics, OperatorMetrics, RecordedRecord, RecordPage } from '@sluice/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operatorMetrics } from '../testing/metrics.js';
import {
  instanceQuery,
  mergeMetrics,
  mergeRecordPages,
  mergeSlices,
  nextCursors,
} from './instances.js';
import type { RecordsQuery } from './protocol.js';

/** What one instance's recorder answers: its records before the cursor, newest first. */
function page(records: readonly RecordedRecord[], query: RecordsQuery): RecordPage {
  const chosen = records
    .filter((r) => query.before === undefined || r.seq < query.before)
    .sort((a, b) => b.seq - a.seq)
    .slice(0, query.limit ?? 50);
  return {
    edgeId: 'e',
    records: chosen,
    kept: records.length,
    bytes: 0,
    oldestAt: null,
    newestAt: null,
    passed: records.length,
    perSecond: 0,
    ageMs: 0,
  };
}

describe('an edge’s records over instances', () => {
  it('pages through every instance’s records once each, newest first by when they passed, however skewed', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            count: fc.integer({ min: 0, max: 40 }),
            every: fc.integer({ min: 1, max: 50 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 1, max: 9 }),
        (shapes, limit) => {
          const n = shapes.length;
          // Instance i records one record every `every` ms: a busy one has many more.
          const instances = shapes.map(({ count, every }, index) =>
            Array.from({ length: count }, (_, seq) => ({
              seq,
              time: 0,
              at: 1000 + seq * every,
              row: { instance: index, seq },
            })),
          );
          const served = new Map<number, (number | undefined)[]>();
          const seen: RecordedRecord[] = [];
          let before: number | undefined;
          for (let round = 0; round < 200; round++) {
            const query = { limit, ...(before === undefined ? {} : { before }) };
            const cursors = before === undefined ? undefined : served.get(before);
            const queries = instances.map((_r, index) => instanceQuery(query, index, n, cursors));
            const merged = mergeRecordPages(
              instances.map((records, index) => ({ index, page: page(records, queries[index]!) })),
              n,
              limit,
            );
            if (merged.records.length === 0) break;
            seen.push(...merged.records);
            before = merged.records.at(-1)!.seq;
            served.set(
              before,
              nextCursors(
                merged,
                queries.map((q) => q.before),
                n,
              ),
            );
          }
          const all = instances.flat();
          expect(seen).toHaveLength(all.length);
          expect(new Set(seen.map((r) => JSON.stringify(r.row))).size).toBe(all.length);
          const at = seen.map((r) => r.at);
          expect(at).toEqual([...at].sort((a, b) => b - a));
        },
      ),
    );
  });
});

const operator = operatorMetrics;

function metrics(op: OperatorMetrics): JobMetrics {
  return {
    status: 'running',
    at: 1000,
    startedAt: 0,
    uptimeMs: 1000,
    recordsIn: op.recordsOut,
    recordsOut: 0,
    errors: op.errors,
    late: 0,
    operators: [op],
    edges: [],
  };
}

describe('a job’s metrics over instances', () => {
  it('sums counts and per-partition lag, takes the slowest watermark, and lists each instance', () => {
    const a = operator({
      recordsOut: 10,
      outPerSecond: 5,
      watermark: 2000,
      busy: 0.5,
      extra: { lag: 3, 't:0': 0, 'lag t:0': 3 },
    });
    const b = operator({
      recordsOut: 30,
      outPerSecond: 15,
      watermark: 1500,
      busy: 0.1,
      extra: { lag: 4, 'lag t:1': 4 },
    });
    const merged = mergeMetrics([metrics(a), metrics(b)]);
    const source = merged.operators[0]!;
    expect(merged.recordsIn).toBe(40);
    expect(source.recordsOut).toBe(40);
    expect(source.outPerSecond).toBe(20);
    expect(source.watermark).toBe(1500);
    expect(source.busy).toBeCloseTo(0.3);
    expect(source.extra).toMatchObject({ lag: 7, 'lag t:0': 3, 'lag t:1': 4 });
    expect(merged.instances?.map((i) => [i.index, i.recordsIn, i.lag, i.partitions])).toEqual([
      [0, 10, 3, ['t:0']],
      [1, 30, 4, ['t:1']],
    ]);
    // An idle instance (no partitions with records) holds nobody back.
    const idle = operator({ watermark: null, idle: true });
    expect(mergeMetrics([metrics(a), metrics(idle)]).operators[0]!.watermark).toBe(2000);
  });
});

describe('a slice to replay, over instances', () => {
  it('is every instance’s rows in event-time order, ties in each instance’s order', () => {
    const merged = mergeSlices([
      { slices: { e: [{ n: 'a1' }, { n: 'a5' }] }, times: { e: [1, 5] } },
      { slices: { e: [{ n: 'b2' }, { n: 'b5' }, { n: 'b9' }] }, times: { e: [2, 5, 9] } },
    ]);
    expect(merged.e?.map((r) => r.n)).toEqual(['a1', 'b2', 'a5', 'b5', 'b9']);
  });
});

describe('a job’s checkpoints over instances', () => {
  const figures = (lastId: number | null, lastAt: number | null, completed: number) => ({
    completed,
    failed: 0,
    lastId,
    lastAt,
    lastDurationMs: lastId === null ? null : 10,
    lastBytes: lastId === null ? null : 100,
    restoredFrom: null,
  });
  const with_ = (c: ReturnType<typeof figures>) => ({
    ...metrics(operator({})),
    checkpoints: c,
  });

  it('has a last one only once every instance has taken one: the oldest of theirs, sizes summed', () => {
    const none = mergeMetrics([with_(figures(3, 5000, 3)), with_(figures(null, null, 0))]);
    expect(none.checkpoints).toMatchObject({
      completed: 0,
      lastId: null,
      lastAt: null,
      lastBytes: null,
    });
    const both = mergeMetrics([with_(figures(3, 5000, 3)), with_(figures(2, 4000, 2))]);
    expect(both.checkpoints).toMatchObject({
      completed: 2,
      lastId: 3,
      lastAt: 4000,
      lastBytes: 200,
    });
  });
});
