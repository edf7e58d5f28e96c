// transform.aggregate's checkpoint is complete: cut anywhere, restored into a
// fresh operator, a run gives exactly what it gives uninterrupted, and shows
// the same metrics — with and without update keys and retention, in event
// and processing time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRestores, cutSteps, stepsOf } from '../testing/checkpoint.js';
import { shownUninterrupted, shownWithRestore } from '../testing/checkpoint-view.js';
import { stream } from '../testing/harness.js';

/** The aggregates that can take a value back; q fails (division by zero) when v is 0. */
const RETRACTABLE = [
  { name: 'n', fn: 'count' },
  { name: 'vs', fn: 'count', expr: 'v' },
  { name: 's', fn: 'sum', expr: 'v' },
  { name: 'a', fn: 'avg', expr: 'v' },
  { name: 'pos', fn: 'sum', expr: 'v', where: 'v > 0' },
  { name: 'q', fn: 'sum', expr: '10 / v', where: 'v <> 1' },
];

const EVERY = [
  ...RETRACTABLE,
  { name: 'mn', fn: 'min', expr: 'v' },
  { name: 'mx', fn: 'max', expr: 'v' },
  { name: 'd', fn: 'count_distinct', expr: 'v' },
  { name: 'f', fn: 'first', expr: 'v' },
  { name: 'l', fn: 'last', expr: 'v' },
];

// Times below the watermarks stepsOf sends: records arrive late as well as on time.
const record = fc.record({
  row: fc.record({
    k: fc.constantFrom('a', 'b', 'c', null),
    u: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    v: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
  }),
  t: fc.integer({ min: -60, max: 220 }),
});

describe('transform.aggregate restored from a checkpoint', () => {
  for (const byUpdateKey of [false, true]) {
    for (const retention of [undefined, '40ms']) {
      for (const time of ['event', 'processing'] as const) {
        // Retention counts in event time only.
        if (retention !== undefined && time === 'processing') continue;
        const name = `${byUpdateKey ? 'update keys' : 'no update key'}, ${retention ? `retention ${retention}` : 'no retention'}, ${time} time`;
        const options = {
          kind: 'transform.aggregate',
          config: {
            groupBy: ['k'],
            aggregates: byUpdateKey ? RETRACTABLE : EVERY,
            ...(byUpdateKey ? { updateKey: ['u'] } : {}),
            ...(retention ? { retention } : {}),
          },
          inputs: [
            stream(
              [
                ['k', 'string'],
                ['u', 'long'],
                ['v', 'long'],
              ],
              time,
            ),
          ],
        };

        it(`gives the uninterrupted output: ${name}`, () => {
          checkRestores(options, stepsOf(record), 150);
        });

        it(`shows the uninterrupted metrics: ${name}`, () => {
          // Without the end of input, which clears the state the metrics count.
          fc.assert(
            fc.property(cutSteps(stepsOf(record, { finish: false })), ({ steps, cut }) => {
              const { atCut, restored, end } = shownWithRestore(options, steps, cut);
              expect(restored).toEqual(atCut);
              expect(end).toEqual(shownUninterrupted(options, steps));
            }),
            { numRuns: 50 },
          );
        });
      }
    }
  }
});
