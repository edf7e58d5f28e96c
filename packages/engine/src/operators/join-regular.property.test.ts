import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { operatorHarness, stream } from '../testing/harness.js';

interface Arrival {
  readonly side: 0 | 1;
  readonly id: number | null;
  readonly v: number;
  readonly time: number;
}

const arrival = fc.record({
  side: fc.constantFrom(0 as const, 1 as const),
  id: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
  v: fc.integer({ min: 0, max: 9 }),
  time: fc.integer({ min: -10, max: 10 }),
});

/** Records as comparable text, sorted: the regular join promises no order across records. */
function canonical(rows: Row[], times: number[]): string[] {
  return rows.map((r, i) => `${JSON.stringify(r)}@${times[i]}`).sort();
}

/**
 * Runs the join over `arrivals`, a new batch where `cut[k]` is set (and
 * wherever the side changes), and the watermark `watermarks[k]` (if any)
 * before arrival k.
 */
function run(
  arrivals: readonly Arrival[],
  watermarks: readonly (number | undefined)[],
  cut: readonly boolean[],
  retention: [number, number],
  withWhere: boolean,
) {
  const h = operatorHarness({
    kind: 'join.regular',
    config: {
      leftRetention: `${retention[0]}ms`,
      rightRetention: `${retention[1]}ms`,
      on: [{ left: 'id', right: 'id' }],
      ...(withWhere ? { where: 'lv <= rv' } : {}),
    },
    inputs: [
      stream([
        ['id', 'long'],
        ['lv', 'long'],
      ]),
      stream([
        ['id', 'long'],
        ['rv', 'long'],
      ]),
    ],
  });
  let i = 0;
  while (i < arrivals.length) {
    const w = watermarks[i];
    if (w !== undefined) h.watermark(w);
    const side = arrivals[i]!.side;
    let j = i + 1;
    while (
      j < arrivals.length &&
      arrivals[j]!.side === side &&
      watermarks[j] === undefined &&
      !cut[j]
    )
      j++;
    const part = arrivals.slice(i, j);
    h.push(
      part.map((a) => (side === 0 ? { id: a.id, lv: a.v } : { id: a.id, rv: a.v })),
      part.map((a) => a.time),
      side,
    );
    i = j;
  }
  h.watermark(Number.POSITIVE_INFINITY);
  return h;
}

describe('join.regular against a model of its retention', () => {
  const retention = fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }));

  it('pairs each record with the earlier arrivals of the other side still kept, whatever the batches', () => {
    fc.assert(
      fc.property(
        fc.array(arrival, { maxLength: 60 }),
        fc.array(fc.option(fc.integer({ min: -12, max: 12 }), { nil: undefined, freq: 3 }), {
          maxLength: 60,
        }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        retention,
        fc.boolean(),
        (arrivals, watermarks, cut, [keepLeft, keepRight], withWhere) => {
          const h = run(arrivals, watermarks, cut, [keepLeft, keepRight], withWhere);

          // The watermark each record arrives under; a record b is kept when a
          // later record a of the other side arrives iff retention_b > 0 and
          // t_b + retention_b > W(a).
          const under: number[] = [];
          let w = Number.NEGATIVE_INFINITY;
          for (let k = 0; k < arrivals.length; k++) {
            w = Math.max(w, watermarks[k] ?? w);
            under.push(w);
          }
          const rows: Row[] = [];
          const times: number[] = [];
          arrivals.forEach((a, k) => {
            for (let m = 0; m < k; m++) {
              const b = arrivals[m]!;
              if (b.side === a.side || a.id === null || a.id !== b.id) continue;
              const keep = b.side === 0 ? keepLeft : keepRight;
              if (keep === 0 || b.time + keep <= under[k]!) continue;
              const [l, r] = a.side === 0 ? [a, b] : [b, a];
              if (withWhere && !(l.v <= r.v)) continue;
              rows.push({ id: l.id, lv: l.v, rv: r.v });
              times.push(Math.max(a.time, b.time));
            }
          });
          expect(h.late).toEqual([]);
          expect(canonical(h.emitted().rows, h.emitted().times)).toEqual(canonical(rows, times));
          expect(h.state.size().keys).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same records one per batch as in any batches, with watermarks at the same points', () => {
    fc.assert(
      fc.property(
        fc.array(arrival, { maxLength: 60 }),
        fc.array(fc.option(fc.integer({ min: -12, max: 12 }), { nil: undefined, freq: 3 }), {
          maxLength: 60,
        }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        retention,
        (arrivals, watermarks, cut, keep) => {
          const split = run(arrivals, watermarks, cut, keep, false).emitted();
          const single = run(
            arrivals,
            watermarks,
            arrivals.map(() => true),
            keep,
            false,
          ).emitted();
          expect(canonical(split.rows, split.times)).toEqual(canonical(single.rows, single.times));
        },
      ),
      { numRuns: 300 },
    );
  });
});
