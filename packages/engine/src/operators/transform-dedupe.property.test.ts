// Deduplication against a brute-force oracle on random input with watermarks:
// whatever the batches, each record is passed, dropped as a repeat or sent to
// late as the rule says, judged from the whole history rather than from state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operatorHarness, stream } from '../testing/harness.js';

const INPUT = stream([
  ['k', 'string'],
  ['j', 'long'],
  ['seq', 'long'],
]);

const RETENTION = 20;

interface Rec {
  readonly k: string | null;
  readonly j: number | null;
  readonly t: number;
}

/** A record, or the watermark moving to the newest time so far minus a lag. */
type Step = { readonly rec: Rec } | { readonly lag: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      rec: fc.record({
        k: fc.constantFrom('a', 'b', 'null', null),
        j: fc.constantFrom(1, 2, null),
        t: fc.integer({ min: 0, max: 100 }),
      }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ lag: fc.integer({ min: 0, max: 30 }) }) },
);

type Verdict = 'pass' | 'repeat' | 'late';

/**
 * The rule, from the history: a record repeats the last record of its key that
 * passed before it, if that one is within the retention before it (or after it)
 * and the watermark had not yet passed its retention; else it is late at or
 * behind the watermark; else it passes.
 */
function oracle(steps: readonly Step[], fields: readonly ('k' | 'j')[]): Verdict[] {
  const verdicts: Verdict[] = [];
  const history: { key: string; t: number; verdict: Verdict }[] = [];
  let watermark = Number.NEGATIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  for (const s of steps) {
    if ('lag' in s) {
      watermark = Math.max(watermark, newest - s.lag);
      continue;
    }
    const key = JSON.stringify(fields.map((f) => s.rec[f]));
    const first = history.findLast((h) => h.key === key && h.verdict === 'pass');
    const known = first !== undefined && first.t + RETENTION - 1 > watermark;
    const verdict: Verdict =
      known && s.rec.t < first.t + RETENTION ? 'repeat' : s.rec.t <= watermark ? 'late' : 'pass';
    history.push({ key, t: s.rec.t, verdict });
    verdicts.push(verdict);
    newest = Math.max(newest, s.rec.t);
  }
  return verdicts;
}

/** Runs the steps, the records between two watermarks in batches of the given sizes. */
function run(steps: readonly Step[], fields: readonly ('k' | 'j')[], sizes: readonly number[]) {
  const h = operatorHarness({
    kind: 'transform.dedupe',
    config: { key: fields, retention: `${RETENTION}ms` },
    inputs: [INPUT],
  });
  let pending: { k: string | null; j: number | null; seq: number }[] = [];
  let pendingTimes: number[] = [];
  let seq = 0;
  let newest = Number.NEGATIVE_INFINITY;
  let cut = 0;
  const flush = () => {
    while (pending.length > 0) {
      const size = sizes.length > 0 ? sizes[cut++ % sizes.length]! : pending.length;
      h.push(pending.slice(0, size), pendingTimes.slice(0, size));
      pending = pending.slice(size);
      pendingTimes = pendingTimes.slice(size);
    }
  };
  for (const s of steps) {
    if ('lag' in s) {
      flush();
      h.watermark(newest - s.lag);
      continue;
    }
    pending.push({ k: s.rec.k, j: s.rec.j, seq: seq++ });
    pendingTimes.push(s.rec.t);
    newest = Math.max(newest, s.rec.t);
  }
  flush();
  const verdicts: Verdict[] = Array.from({ length: seq }, () => 'repeat');
  for (const row of h.emitted().rows) verdicts[row.seq as number] = 'pass';
  for (const row of h.late) verdicts[row.seq as number] = 'late';
  return { verdicts, h };
}

const keyFields = fc.constantFrom<('k' | 'j')[]>(['k'], ['j'], ['k', 'j']);

describe('transform.dedupe against brute force, however the input is batched', () => {
  it('passes, drops and sends to late exactly the records the rule says', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 120, size: 'max' }),
        keyFields,
        fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 6 }),
        (steps, fields, sizes) => {
          const want = oracle(steps, fields);
          for (const cut of [sizes, [1], []]) {
            const { verdicts, h } = run(steps, fields, cut);
            expect(verdicts).toEqual(want);
            const repeats = want.filter((v) => v === 'repeat').length;
            expect(h.operator.metrics?.().duplicates).toBe(repeats);
            // Passed records leave in arrival order, at their own times.
            const seqs = h.emitted().rows.map((r) => r.seq as number);
            expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
          }
        },
      ),
    );
  });

  it('keeps only keys whose first record the watermark has not passed', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120, size: 'max' }), keyFields, (steps, fields) => {
        const { h } = run(steps, fields, []);
        let newest = Number.NEGATIVE_INFINITY;
        let watermark = Number.NEGATIVE_INFINITY;
        for (const s of steps) {
          if ('lag' in s) watermark = Math.max(watermark, newest - s.lag);
          else newest = Math.max(newest, s.rec.t);
        }
        // The last passed record of each key, from the output alone.
        const last = new Map<string, number>();
        const { rows, times } = h.emitted();
        rows.forEach((row, i) => {
          last.set(JSON.stringify(fields.map((f) => row[f])), times[i]!);
        });
        const kept = [...last.values()].filter((t) => t + RETENTION - 1 > watermark).length;
        expect(h.operator.metrics?.().keys).toBe(kept);
        expect(h.state.size().keys).toBe(kept);
      }),
    );
  });
});
