// window.aggregate's checkpoint is complete: cut anywhere, restored into a
// fresh operator, a run gives exactly what it gives uninterrupted — for
// tumbling, hopping and session windows, in event and processing time.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkRestores, stepsEndingOrNot } from '../testing/checkpoint.js';
import { stream } from '../testing/harness.js';

const AGGREGATES = [
  { name: 'n', fn: 'count' },
  { name: 's', fn: 'sum', expr: 'v' },
  { name: 'a', fn: 'avg', expr: 'v' },
  { name: 'mn', fn: 'min', expr: 'v' },
  { name: 'mx', fn: 'max', expr: 'v' },
  { name: 'd', fn: 'count_distinct', expr: 'v' },
  { name: 'f', fn: 'first', expr: 'v' },
  { name: 'l', fn: 'last', expr: 'v' },
  // Fails on v = 0: the record goes to the error output.
  { name: 'q', fn: 'sum', expr: '10 / v' },
];

const record = fc.record({
  row: fc.record({
    k: fc.constantFrom('a', 'b', null),
    v: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
  }),
  t: fc.integer({ min: -60, max: 220 }),
});

const WINDOWS = {
  tumbling: { type: 'tumbling', size: '20ms' },
  hopping: { type: 'hopping', size: '30ms', slide: '10ms' },
  session: { type: 'session', gap: '15ms' },
};

describe('window.aggregate restored from a checkpoint', () => {
  for (const [name, window] of Object.entries(WINDOWS)) {
    for (const time of ['event', 'processing'] as const) {
      it(`gives the uninterrupted output and state: ${name} windows, ${time} time`, () => {
        const options = {
          kind: 'window.aggregate',
          config: {
            window,
            time,
            groupBy: ['k'],
            aggregates: AGGREGATES,
            ...(time === 'event' ? { allowedLateness: '10ms' } : {}),
          },
          inputs: [
            stream(
              [
                ['k', 'string'],
                ['v', 'long'],
              ],
              time,
            ),
          ],
        };
        checkRestores(options, stepsEndingOrNot(record), 150);
      });
    }
  }
});
