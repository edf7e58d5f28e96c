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

/** Sessions as a full scan of every key finds them at each watermark: fire, then drop. */
class SessionModel {
  readonly #keys = new Map<
    string | null,
    { start: number; end: number; recs: { r: Rec; i: number }[] }[]
  >();
  #progress = Number.NEGATIVE_INFINITY;
  readonly rows: Row[] = [];
  readonly late: Row[] = [];

  constructor(
    readonly gap: number,
    readonly lateness: number,
  ) {}

  add(r: Rec, i: number): void {
    if (r.t + this.gap - 1 + this.lateness <= this.#progress) {
      this.late.push({ k: r.k, v: r.v });
      return;
    }
    const sessions = this.#keys.get(r.k) ?? [];
    const meets = sessions.filter((s) => s.start <= r.t + this.gap && r.t <= s.end);
    const merged = {
      start: Math.min(r.t, ...meets.map((s) => s.start)),
      end: Math.max(r.t + this.gap, ...meets.map((s) => s.end)),
      recs: [...meets.flatMap((s) => s.recs), { r, i }],
    };
    const kept = sessions.filter((s) => !meets.includes(s));
    this.#keys.set(
      r.k,
      [...kept, merged].sort((a, b) => a.start - b.start),
    );
    if (merged.end - 1 <= this.#progress)
      this.rows.push(expectedRow(r.k, merged.start, merged.end, merged.recs));
  }

  watermark(w: number): void {
    if (w <= this.#progress) return;
    const due = [...this.#keys].flatMap(([k, sessions]) =>
      sessions
        .filter((s) => s.end - 1 > this.#progress && s.end - 1 <= w)
        .map((s) => ({ k, s, first: Math.min(...s.recs.map((x) => x.i)) })),
    );
    due.sort((a, b) => a.s.end - b.s.end || a.first - b.first);
    for (const { k, s } of due) this.rows.push(expectedRow(k, s.start, s.end, s.recs));
    this.#progress = w;
    for (const [k, sessions] of this.#keys) {
      const alive = sessions.filter((s) => s.end - 1 + this.lateness > w);
      if (alive.length === 0) this.#keys.delete(k);
      else this.#keys.set(k, alive);
    }
  }

  get openWindows(): number {
    return [...this.#keys.values()].reduce((n, sessions) => n + sessions.length, 0);
  }

  get keys(): number {
    return this.#keys.size;
  }
}

describe('window.aggregate: session windows watermark by watermark', () => {
  // A record's time is drawn around the watermark at hand, so that most records are on time
  // and a key often has several sessions open ahead of the watermark.
  const event = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        k: fc.constantFrom('a', 'b', 'c', null),
        v: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
        ahead: fc.integer({ min: -15, max: 60 }),
      }),
    },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }).map((advance) => ({ advance })) },
  );

  it('fires, re-fires and drops the sessions a full scan of every key would, at every watermark', () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 150 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (events, gap, lateness) => {
          const h = harness({ type: 'session', gap: `${gap}ms` }, `${lateness}ms`);
          const model = new SessionModel(gap, lateness);
          const check = () => {
            expect(h.emitted().rows).toEqual(model.rows);
            expect(h.late).toEqual(model.late);
            expect(h.operator.metrics!()).toEqual({ openWindows: model.openWindows });
            expect(h.state.size().keys).toBe(model.keys);
          };
          let watermark = 0;
          events.forEach((e, i) => {
            if ('advance' in e) {
              watermark += e.advance;
              h.watermark(watermark);
              model.watermark(watermark);
              check();
            } else {
              const r = { k: e.k, v: e.v, t: watermark + e.ahead };
              h.push([{ k: r.k, v: r.v }], [r.t]);
              model.add(r, i);
            }
          });
          h.watermark(END_OF_TIME);
          model.watermark(END_OF_TIME);
          check();
        },
      ),
      // Stale queue entries take a few steps to build up: more runs than the default.
      { numRuns: 300 },
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
