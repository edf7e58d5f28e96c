import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { operatorHarness, stream } from '../testing/harness.js';

describe('join.window against a nested-loop join', () => {
  interface Arrival {
    side: 0 | 1;
    row: Row;
    time: number;
  }
  const SIZE = 100;
  const arrival = fc.record({
    side: fc.constantFrom(0 as const, 1 as const),
    id: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    v: fc.integer({ min: 0, max: 9 }),
    time: fc.integer({ min: -250, max: 400 }),
  });

  /** For each window in order: left rows in arrival order, each with its right rows in arrival order. */
  function nestedLoop(arrivals: Arrival[], leftJoin: boolean, where: (l: Row, r: Row) => boolean) {
    const starts = [...new Set(arrivals.map((a) => Math.floor(a.time / SIZE) * SIZE))].sort(
      (a, b) => a - b,
    );
    const rows: Row[] = [];
    const times: number[] = [];
    for (const start of starts) {
      const inWindow = arrivals.filter((a) => Math.floor(a.time / SIZE) * SIZE === start);
      for (const l of inWindow.filter((a) => a.side === 0)) {
        let matched = false;
        for (const r of inWindow.filter((a) => a.side === 1)) {
          if (l.row.id === null || l.row.id !== r.row.id || !where(l.row, r.row)) continue;
          rows.push({
            window_start: start,
            window_end: start + SIZE,
            id: l.row.id,
            lv: l.row.v,
            rv: r.row.v,
          });
          times.push(start + SIZE - 1);
          matched = true;
        }
        if (!matched && leftJoin) {
          rows.push({
            window_start: start,
            window_end: start + SIZE,
            id: l.row.id,
            lv: l.row.v,
            rv: null,
          });
          times.push(start + SIZE - 1);
        }
      }
    }
    return { rows, times };
  }

  it('gives the same records, in the same order, as a nested loop over the on-time records, whatever the batches and watermarks', () => {
    fc.assert(
      fc.property(
        fc.array(arrival, { maxLength: 60 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: -300, max: 450 })), { maxLength: 60 }),
        fc.constantFrom('inner', 'left'),
        fc.boolean(),
        // Watermarks: only at the end; the highest that makes no later record late; or any, late records included.
        fc.constantFrom('end', 'safe', 'any'),
        (raw, cuts, type, withWhere, mode) => {
          const arrivals: Arrival[] = raw.map((a) => ({
            side: a.side,
            row: { id: a.id, v: a.v },
            time: a.time,
          }));
          const h = operatorHarness({
            kind: 'join.window',
            config: {
              window: { type: 'tumbling', size: `${SIZE}ms` },
              on: [{ left: 'id', right: 'id' }],
              type,
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
          const asRow = (a: Arrival) =>
            a.side === 0 ? { id: a.row.id, lv: a.row.v } : { id: a.row.id, rv: a.row.v };
          const windowOf = (time: number) => Math.floor(time / SIZE) * SIZE;
          let watermark = Number.NEGATIVE_INFINITY;
          const onTime: Arrival[] = [];
          const late: Row[] = [];
          // Batches: runs of one side, cut where the random cuts say.
          let i = 0;
          while (i < arrivals.length) {
            const side = arrivals[i]!.side;
            let j = i + 1;
            while (j < arrivals.length && arrivals[j]!.side === side && !cuts[j]?.[0]) j++;
            const part = arrivals.slice(i, j);
            for (const a of part) {
              if (windowOf(a.time) + SIZE - 1 <= watermark) late.push(asRow(a));
              else onTime.push(a);
            }
            h.push(
              part.map(asRow),
              part.map((a) => a.time),
              side,
            );
            const next =
              mode === 'end' || j === arrivals.length
                ? undefined
                : mode === 'safe'
                  ? Math.min(...arrivals.slice(j).map((a) => windowOf(a.time))) + SIZE - 2
                  : cuts[j]?.[1];
            if (next !== undefined) {
              h.watermark(next);
              watermark = Math.max(watermark, next);
            }
            i = j;
          }
          h.watermark(Number.POSITIVE_INFINITY);
          const where = withWhere
            ? (l: Row, r: Row) => (l.v as number) <= (r.v as number)
            : () => true;
          const expected = nestedLoop(onTime, type === 'left', where);
          expect(h.late).toEqual(late);
          expect(h.emitted().rows).toEqual(expected.rows);
          expect(h.emitted().times).toEqual(expected.times);
          expect(h.state.size().keys).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
