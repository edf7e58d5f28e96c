// transform.topn's checkpoint is complete: cut anywhere, restored into a
// fresh operator, a run gives exactly what it gives uninterrupted, and shows
// the same metrics — with and without retention, in event and processing time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRestores, cutSteps, stepsOf } from '../testing/checkpoint.js';
import { shownUninterrupted, shownWithRestore } from '../testing/checkpoint-view.js';
import { stream } from '../testing/harness.js';

/** p descending, then 10 / q ascending (failing when q is 0); NULLs last. */
const ORDER_BY = [
  { expr: 'p', direction: 'desc' },
  { expr: '10 / q', direction: 'asc' },
];

// Times below the watermarks stepsOf sends: records arrive late as well as on time.
const record = fc.record({
  row: fc.record({
    k: fc.constantFrom('a', 'b', 'c', null),
    p: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
    q: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
  }),
  t: fc.integer({ min: -60, max: 220 }),
});

describe('transform.topn restored from a checkpoint', () => {
  for (const retention of [undefined, '40ms']) {
    for (const time of ['event', 'processing'] as const) {
      // Retention counts in event time only.
      if (retention !== undefined && time === 'processing') continue;
      const name = `${retention ? `retention ${retention}` : 'no retention'}, ${time} time`;
      const options = {
        kind: 'transform.topn',
        config: {
          partitionBy: ['k'],
          orderBy: ORDER_BY,
          n: 3,
          ...(retention ? { retention } : {}),
        },
        inputs: [
          stream(
            [
              ['k', 'string'],
              ['p', 'long'],
              ['q', 'long'],
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
});
