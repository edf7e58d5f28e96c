import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { operatorHarness, stream } from '../testing/harness.js';

describe('join.interval against a nested-loop join', () => {
  const arrival = fc.record({
    side: fc.constantFrom(0 as const, 1 as const),
    id: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
    v: fc.integer({ min: 0, max: 9 }),
    time: fc.integer({ min: -10, max: 10 }),
  });
  const bounds = fc
    .tuple(fc.integer({ min: -8, max: 8 }), fc.integer({ min: -8, max: 8 }))
    .map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));
  // Watermarks: only at the end; the highest that makes no later record late; or any, late records included.
  const watermarking = fc.constantFrom('end' as const, 'safe' as const, 'any' as const);

  /** Records as comparable text, sorted: the interval join promises no order across records. */
  function canonical(rows: Row[], times: number[]): string[] {
    return rows.map((r, i) => `${JSON.stringify(r)}@${times[i]}`).sort();
  }

  it('gives the same records as a nested loop over the on-time records, whatever the batches and watermarks', () => {
    fc.assert(
      fc.property(
        fc.array(arrival, { maxLength: 60 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: -12, max: 12 })), { maxLength: 60 }),
        bounds,
        fc.boolean(),
        watermarking,
        (arrivals, cuts, [lower, upper], withWhere, mode) => {
          const h = operatorHarness({
            kind: 'join.interval',
            config: {
              lower: `${lower}ms`,
              upper: `${upper}ms`,
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
          let watermark = Number.NEGATIVE_INFINITY;
          const onTime: typeof arrivals = [];
          const late: Row[] = [];
          let i = 0;
          while (i < arrivals.length) {
            const side = arrivals[i]!.side;
            let j = i + 1;
            while (j < arrivals.length && arrivals[j]!.side === side && !cuts[j]?.[0]) j++;
            const part = arrivals.slice(i, j);
            const rows = part.map((a) =>
              side === 0 ? { id: a.id, lv: a.v } : { id: a.id, rv: a.v },
            );
            for (const [k, a] of part.entries()) {
              if (a.time <= watermark) late.push(rows[k]!);
              else onTime.push(a);
            }
            h.push(
              rows,
              part.map((a) => a.time),
              side,
            );
            const next =
              mode === 'end' || j === arrivals.length
                ? undefined
                : mode === 'safe'
                  ? Math.min(...arrivals.slice(j).map((a) => a.time)) - 1
                  : cuts[j]?.[1];
            if (next !== undefined) {
              h.watermark(next);
              watermark = Math.max(watermark, next);
            }
            i = j;
          }
          h.watermark(Number.POSITIVE_INFINITY);

          const rows: Row[] = [];
          const times: number[] = [];
          for (const l of onTime.filter((a) => a.side === 0)) {
            for (const r of onTime.filter((a) => a.side === 1)) {
              if (l.id === null || l.id !== r.id) continue;
              if (r.time < l.time + lower || r.time > l.time + upper) continue;
              if (withWhere && !(l.v <= r.v)) continue;
              rows.push({ id: l.id, lv: l.v, rv: r.v });
              times.push(Math.max(l.time, r.time));
            }
          }
          expect(h.late).toEqual(late);
          expect(canonical(h.emitted().rows, h.emitted().times)).toEqual(canonical(rows, times));
          expect(h.state.size().keys).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
