// Top N against brute force on random input: whatever the batches, the last
// row emitted per (key, rank) is the key's records sorted, taking the first N
// (SQL's ROW_NUMBER() <= N, ties in arrival order).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operatorHarness, stream } from '../testing/harness.js';

const INPUT = stream([
  ['k', 'string'],
  ['p', 'long'],
  ['q', 'long'],
  ['seq', 'long'],
]);

/** p descending, then 10 / q ascending (failing when q is 0); NULLs last. */
const ORDER_BY = [
  { expr: 'p', direction: 'desc' },
  { expr: '10 / q', direction: 'asc' },
];

interface Rec {
  readonly k: string | null;
  readonly p: number | null;
  readonly q: number | null;
  readonly t: number;
}

const record = fc.record({
  k: fc.constantFrom('a', 'b', 'c', null),
  p: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
  q: fc.option(fc.integer({ min: -4, max: 4 }), { nil: null }),
  t: fc.integer({ min: -60, max: 200 }),
});

/** NULL last in both directions, else by value in the term's direction. */
function compareTerm(x: number | null, y: number | null, sign: number): number {
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return (x - y) * sign;
}

/** Per key, its records that sort first, best first; failing records never count. */
function expectedTop(recs: readonly Rec[], n: number): Map<string | null, number[]> {
  const byKey = new Map<string | null, { seq: number; p: number | null; r: number | null }[]>();
  recs.forEach((rec, seq) => {
    if (rec.q === 0) return;
    const r = rec.q === null ? null : Math.trunc(10 / rec.q);
    byKey.set(rec.k, [...(byKey.get(rec.k) ?? []), { seq, p: rec.p, r }]);
  });
  const top = new Map<string | null, number[]>();
  for (const [k, mine] of byKey) {
    // Array.prototype.sort is stable: ties keep arrival order.
    mine.sort((x, y) => compareTerm(x.p, y.p, -1) || compareTerm(x.r, y.r, 1));
    top.set(
      k,
      mine.slice(0, n).map((x) => x.seq),
    );
  }
  return top;
}

/** Runs the records in batches of the given sizes (the rest in one); checks each batch's rows. */
function runInBatches(recs: readonly Rec[], sizes: readonly number[], n: number) {
  const h = operatorHarness({
    kind: 'transform.topn',
    config: { partitionBy: ['k'], orderBy: ORDER_BY, n },
    inputs: [INPUT],
  });
  let at = 0;
  for (const size of [...sizes, recs.length]) {
    const part = recs.slice(at, at + size);
    if (part.length === 0) break;
    const before = h.emitted().rows.length;
    h.push(
      part.map((r, i) => ({ k: r.k, p: r.p, q: r.q, seq: at + i })),
      part.map((r) => r.t),
    );
    const rows = h.emitted().rows.slice(before);
    const times = h.emitted().times.slice(before);
    // Per key: one row per changed rank, contiguous down to the last rank, in rank order.
    const ranksByKey = new Map<unknown, number[]>();
    rows.forEach((row, i) => {
      ranksByKey.set(row.k, [...(ranksByKey.get(row.k) ?? []), row.rank as number]);
      const mine = part.filter((r) => r.k === row.k);
      expect(times[i]).toBeLessThanOrEqual(Math.max(...mine.map((r) => r.t)));
      expect(mine.map((r) => r.t)).toContain(times[i]);
    });
    for (const ranks of ranksByKey.values()) {
      expect(ranks).toEqual(ranks.map((_, i) => ranks[0]! + i));
      expect(ranks.at(-1)).toBeLessThanOrEqual(n);
    }
    at += part.length;
  }
  const last = new Map<string | null, number[]>();
  for (const row of h.emitted().rows) {
    const k = row.k as string | null;
    const ranks = last.get(k) ?? [];
    ranks[(row.rank as number) - 1] = row.seq as number;
    last.set(k, ranks);
  }
  return { last, errors: h.errors.length, metrics: h.operator.metrics?.() };
}

describe('transform.topn against brute force, however the input is batched', () => {
  it('the last row per (key, rank) is the sorted records of the key, first N', () => {
    const sizes = fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 10 });
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 80 }),
        sizes,
        fc.integer({ min: 1, max: 5 }),
        (recs, split, n) => {
          const expected = expectedTop(recs, n);
          for (const cut of [split, recs.map(() => 1), []]) {
            const { last, errors, metrics } = runInBatches(recs, cut, n);
            expect(last).toEqual(expected);
            expect(errors).toBe(recs.filter((r) => r.q === 0).length);
            const rows = [...expected.values()].reduce((s, seqs) => s + seqs.length, 0);
            expect(metrics).toEqual({ partitions: expected.size, rows });
          }
        },
      ),
    );
  });

  it('emits nothing for a record that misses the top N', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 60 }),
        fc.integer({ min: 1, max: 3 }),
        (recs, n) => {
          const h = operatorHarness({
            kind: 'transform.topn',
            config: { partitionBy: ['k'], orderBy: ORDER_BY, n },
            inputs: [INPUT],
          });
          const emitted = recs.map((r, seq) => {
            const before = h.emitted().rows.length;
            h.push([{ k: r.k, p: r.p, q: r.q, seq }], [r.t]);
            return h.emitted().rows.length - before;
          });
          recs.forEach((r, seq) => {
            const top = expectedTop(recs.slice(0, seq + 1), n).get(r.k) ?? [];
            // One record at a time: rows only if it entered, one for its rank and each below it.
            if (!top.includes(seq)) expect(emitted[seq]).toBe(0);
            else expect(emitted[seq]).toBe(top.length - top.indexOf(seq));
          });
        },
      ),
    );
  });
});
