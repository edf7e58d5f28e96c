import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeOrderedRows } from './time-ordered-rows.js';

function live(buffer: TimeOrderedRows): [number, unknown][] {
  const out: [number, unknown][] = [];
  for (let i = buffer.head; i < buffer.times.length; i++)
    out.push([buffer.times[i]!, buffer.rows[i]!.n]);
  return out;
}

describe('TimeOrderedRows', () => {
  it('keeps records in time order, equal times in arrival order', () => {
    const buffer = new TimeOrderedRows();
    for (const [n, t] of [3, 1, 2, 1, 3].entries()) buffer.insert(t, { n });
    expect(live(buffer)).toEqual([
      [1, 1],
      [1, 3],
      [2, 2],
      [3, 0],
      [3, 4],
    ]);
    expect(buffer.first).toBe(1);
    expect(buffer.from(2)).toBe(2);
  });

  it('drops the records at or before a time and says how many', () => {
    const buffer = new TimeOrderedRows();
    for (const [n, t] of [1, 2, 2, 5].entries()) buffer.insert(t, { n });
    expect(buffer.dropThrough(2)).toBe(3);
    expect(buffer.size).toBe(1);
    expect(buffer.first).toBe(5);
    expect(buffer.dropThrough(4)).toBe(0);
  });

  it('stays sorted and holds exactly the live records through random inserts and drops', () => {
    const op = fc.oneof(
      fc.record({ insert: fc.integer({ min: 0, max: 200 }) }),
      fc.record({ drop: fc.integer({ min: 0, max: 200 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const buffer = new TimeOrderedRows();
        let model: [number, number][] = [];
        ops.forEach((o, n) => {
          if ('insert' in o) {
            buffer.insert(o.insert, { n });
            model.push([o.insert, n]);
          } else {
            const before = model.length;
            model = model.filter(([t]) => t > o.drop);
            expect(buffer.dropThrough(o.drop)).toBe(before - model.length);
          }
        });
        model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(live(buffer)).toEqual(model);
        expect(buffer.size).toBe(model.length);
        // Compaction keeps the dead prefix no larger than the live part (or a small constant).
        expect(buffer.head).toBeLessThanOrEqual(Math.max(32, buffer.size));
      }),
    );
  });
});
