// The window aggregate against brute-force computations on random input,
// and its independence from how the input is cut into batches.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { END_OF_TIME } from '../batch.js';
import { operatorHarness, stream } from '../testing/harness.js';

const INPUT = stream([
  ['k', 'string'],
  ['v', 'long'],
]);

const AGGREGATES = [
  { name: 'n', fn: 'count' },
  { name: 'vs', fn: 'count', expr: 'v' },
  { name: 's', fn: 'sum', expr: 'v' },
  { name: 'a', fn: 'avg', expr: 'v' },
  { name: 'mn', fn: 'min', expr: 'v' },
  { name: 'mx', fn: 'max', expr: 'v' },
  { name: 'd', fn: 'count_distinct', expr: 'v' },
  { name: 'f', fn: 'first', expr: 'v' },
  { name: 'l', fn: 'last', expr: 'v' },
  { name: 'pos', fn: 'sum', expr: 'v', where: 'v > 0' },
];

interface Rec {
  readonly k: string | null;
  readonly v: number | null;
  readonly t: number;
}

const record = fc.record({
  k: fc.constantFrom('a', 'b', 'c', null),
  v: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
  t: fc.integer({ min: -60, max: 200 }),
});

/** What SQL would give for one key's records in one window. */
function expectedRow(
  k: string | null,
  start: number,
  end: number,
  recs: readonly { r: Rec; i: number }[],
): Row {
  const values = recs.map(({ r }) => r.v).filter((v): v is number => v !== null);
  const sum = values.reduce((a, b) => a + b, 0);
  const byTime = [...recs].sort((x, y) => x.r.t - y.r.t || x.i - y.i);
  const positive = values.filter((v) => v > 0);
  return {
    k,
    window_start: start,
    window_end: end,
    n: recs.length,
    vs: values.length,
    s: values.length ? sum : null,
    a: values.length ? sum / values.length : null,
    mn: values.length ? Math.min(...values) : null,
    mx: values.length ? Math.max(...values) : null,
    d: new Set(values).size,
    f: byTime[0]!.r.v,
    l: byTime.at(-1)!.r.v,
    pos: positive.length ? positive.reduce((a, b) => a + b, 0) : null,
  };
}

/** Windows (start, end) with their records by arrival index, to rows in emit order. */
function expectedRows(windows: { start: number; end: number; recs: { r: Rec; i: number }[] }[]) {
  const rows: { row: Row; end: number; first: number }[] = [];
  for (const w of windows) {
    const keys = new Map<string | null, { r: Rec; i: number }[]>();
    for (const x of w.recs) keys.set(x.r.k, [...(keys.get(x.r.k) ?? []), x]);
    for (const [k, recs] of keys) {
      rows.push({
        row: expectedRow(k, w.start, w.end, recs),
        end: w.end,
        first: Math.min(...recs.map((x) => x.i)),
      });
    }
  }
  rows.sort((x, y) => x.end - y.end || x.first - y.first);
  return rows.map((x) => x.row);
}

function harness(window: Record<string, unknown>, allowedLateness?: string) {
  return operatorHarness({
    kind: 'window.aggregate',
    config: {
      window,
      groupBy: ['k'],
      aggregates: AGGREGATES,
      ...(allowedLateness ? { allowedLateness } : {}),
    },
    inputs: [INPUT],
  });
}

/** Pushes the records in consecutive batches of the given sizes, the rest in one. */
function pushInBatches(
  h: ReturnType<typeof harness>,
  recs: readonly Rec[],
  sizes: readonly number[],
) {
  let at = 0;
  for (const size of [...sizes, recs.length]) {
    const part = recs.slice(at, at + size);
    if (part.length === 0) break;
    h.push(
      part.map((r) => ({ k: r.k, v: r.v })),
      part.map((r) => r.t),
    );
    at += part.length;
  }
}

describe('window.aggregate against brute force', () => {
  it('computes tumbling and hopping windows from panes as if each window were computed alone', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 60 }),
        fc.constantFrom(5, 10),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 8 }),
        (recs, slide, panes, sizes) => {
          const size = slide * panes;
          const h = harness({ type: 'hopping', size: `${size}ms`, slide: `${slide}ms` });
          pushInBatches(h, recs, sizes);
          h.watermark(END_OF_TIME);
          const starts = new Set<number>();
          for (const r of recs) {
            const last = Math.floor(r.t / slide) * slide;
            for (let s = last - size + slide; s <= last; s += slide) starts.add(s);
          }
          const windows = [...starts].map((start) => ({
            start,
            end: start + size,
            recs: recs
              .map((r, i) => ({ r, i }))
              .filter(({ r }) => r.t >= start && r.t < start + size),
          }));
          expect(h.emitted().rows).toEqual(expectedRows(windows));
          expect(h.emitted().times).toEqual(
            h.emitted().rows.map((r) => (r.window_end as number) - 1),
          );
          expect(h.state.size().keys).toBe(0);
        },
      ),
    );
  });

  it('computes session windows as the merged [t, t + gap] intervals of each key, touching ones included', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 60 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 8 }),
        (recs, gap, sizes) => {
          const h = harness({ type: 'session', gap: `${gap}ms` });
          pushInBatches(h, recs, sizes);
          h.watermark(END_OF_TIME);
          const windows: { start: number; end: number; recs: { r: Rec; i: number }[] }[] = [];
          for (const k of new Set(recs.map((r) => r.k))) {
            const mine = recs.map((r, i) => ({ r, i })).filter((x) => x.r.k === k);
            mine.sort((x, y) => x.r.t - y.r.t);
            let current: (typeof windows)[number] | undefined;
            for (const x of mine) {
              if (current && x.r.t <= current.end) {
                current.end = Math.max(current.end, x.r.t + gap);
                current.recs.push(x);
              } else {
                current = { start: x.r.t, end: x.r.t + gap, recs: [x] };
                windows.push(current);
              }
            }
          }
          expect(h.emitted().rows).toEqual(expectedRows(windows));
          expect(h.state.size().keys).toBe(0);
        },
      ),
    );
  });
});

describe('window.aggregate and batches', () => {
  const window = fc.constantFrom<Record<string, unknown>>(
    { type: 'tumbling', size: '10ms' },
    { type: 'hopping', size: '30ms', slide: '10ms' },
    { type: 'session', gap: '8ms' },
  );
  // Records and watermarks in arrival order; a watermark is an advance from the last one.
  const event = fc.oneof(
    { weight: 4, arbitrary: record.map((r) => ({ record: r })) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }).map((advance) => ({ advance })) },
  );

  it('gives the same output however records are cut into batches between the same watermarks', () => {
    fc.assert(
      fc.property(
        window,
        fc.constantFrom(undefined, '5ms', '25ms'),
        fc.array(event, { maxLength: 80 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 20 }),
        (shape, lateness, events, sizes) => {
          const run = (batched: boolean) => {
            const h = operatorHarness({
              kind: 'window.aggregate',
              config: {
                window: shape,
                groupBy: ['k'],
                aggregates: [
                  ...AGGREGATES,
                  { name: 'q', fn: 'sum', expr: '10 / v', where: 'v <> 1' },
                ],
                ...(lateness ? { allowedLateness: lateness } : {}),
              },
              inputs: [INPUT],
            });
            let watermark = -50;
            let pending: Rec[] = [];
            let cut = 0;
            const flush = () => {
              pushInBatches(
                h,
                pending,
                batched ? sizes.slice(cut++ % Math.max(1, sizes.length)) : pending.map(() => 1),
              );
              pending = [];
            };
            for (const e of events) {
              if ('record' in e) pending.push(e.record);
              else {
                flush();
                watermark += e.advance;
                h.watermark(watermark);
              }
            }
            flush();
            h.watermark(END_OF_TIME);
            h.finish();
            expect(h.state.size().keys).toBe(0);
            return { out: h.emitted(), late: h.late, errors: h.errors };
          };
          expect(run(true)).toEqual(run(false));
        },
      ),
    );
  });
});
