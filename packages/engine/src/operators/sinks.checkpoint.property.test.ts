// The sinks' checkpoints are complete: cut anywhere, restored into a fresh
// sink, a preview shows the same latest rows and a console the same lines
// and counts, and prints what it would have printed uninterrupted.
// (sink.blackhole keeps nothing.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { type Step, stepsOf } from '../testing/checkpoint.js';
import { shownUninterrupted, shownWithRestore } from '../testing/checkpoint-view.js';
import { operatorHarness, stream } from '../testing/harness.js';
import type { PreviewView } from './sinks.js';

const INPUT = stream([
  ['n', 'long'],
  ['text', 'string'],
  ['i', 'long'],
]);

const record = fc.record({
  row: fc.record({
    n: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
    text: fc.option(fc.constantFrom('x', 'yy', 'a "quoted" one'), { nil: null }),
  }),
  t: fc.integer({ min: -60, max: 220 }),
});

/**
 * Steps with batches of up to 30 records and the clock moving on by up to
 * 2.4 s, so a console's limit per second is reached, said and reset, and a
 * preview's ring wraps around.
 */
function busySteps(): fc.Arbitrary<{ steps: Step[]; cut: number }> {
  const busier = (step: Step): Step => {
    if ('advance' in step) return { advance: step.advance * 60 };
    if (!('push' in step)) return step;
    const { rows, times } = step.push;
    return {
      push: {
        rows: rows.flatMap((row) => Array.from({ length: 6 }, (_, i) => ({ ...row, i }))),
        times: times.flatMap((t) => Array.from({ length: 6 }, () => t)),
      },
    };
  };
  return stepsOf(record, { maxSteps: 40 })
    .map((steps) => steps.map(busier))
    .chain((steps) => fc.integer({ min: 0, max: steps.length }).map((cut) => ({ steps, cut })));
}

const SINKS = {
  'sink.preview': [{ capacity: 4 }, { capacity: 200 }],
  'sink.console': [{ format: 'json' }, { format: 'table' }],
};

describe('sinks restored from a checkpoint', () => {
  for (const [kind, configs] of Object.entries(SINKS)) {
    for (const config of configs) {
      it(`show what they showed, and go on as uninterrupted: ${kind} ${JSON.stringify(config)}`, () => {
        const options = { kind, config, inputs: [INPUT] };
        fc.assert(
          fc.property(busySteps(), ({ steps, cut }) => {
            const { atCut, restored, end } = shownWithRestore(options, steps, cut);
            expect(restored).toEqual(atCut);
            expect(end).toEqual(shownUninterrupted(options, steps));
          }),
          { numRuns: 150 },
        );
      });
    }
  }

  it('a preview restored with another capacity keeps the latest rows that fit', () => {
    const rows: Row[] = Array.from({ length: 7 }, (_, n) => ({ n, text: 'x' }));
    const first = operatorHarness({
      kind: 'sink.preview',
      config: { capacity: 5 },
      inputs: [INPUT],
    });
    first.push(rows, [0, 1, 2, 3, 4, 5, 6]);
    const snapshot = first.snapshot();
    const view = (capacity: number) => {
      const h = operatorHarness({
        kind: 'sink.preview',
        config: { capacity },
        inputs: [INPUT],
        restore: snapshot,
      });
      h.push([{ n: 7, text: 'x' }], [7]);
      const shown = h.operator.inspect?.() as PreviewView;
      return { ns: shown.rows.map((r) => r.n), times: shown.times, total: shown.total };
    };
    expect(view(3)).toEqual({ ns: [5, 6, 7], times: [5, 6, 7], total: 8 });
    expect(view(8)).toEqual({ ns: [2, 3, 4, 5, 6, 7], times: [2, 3, 4, 5, 6, 7], total: 8 });
  });
});
