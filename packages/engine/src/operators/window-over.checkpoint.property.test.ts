// window.over's checkpoint is complete: cut anywhere, restored into a fresh
// operator, a run gives exactly what it gives uninterrupted — frames of rows
// and of time, in event and processing time, with late records and bad values.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkRestores, stepsEndingOrNot } from '../testing/checkpoint.js';
import { stream } from '../testing/harness.js';

const AGGREGATES = [
  { name: 'n', fn: 'count' },
  { name: 's', fn: 'sum', expr: 'v' },
  { name: 'a', fn: 'avg', expr: 'v' },
  { name: 'mx', fn: 'max', expr: 'v' },
  { name: 'd', fn: 'count_distinct', expr: 'v' },
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

const CASES = [
  ['rows', { type: 'rows', preceding: 3 }, 'event'],
  ['time', { type: 'range', preceding: '25ms' }, 'event'],
  ['rows', { type: 'rows', preceding: 2 }, 'processing'],
] as const;

describe('window.over restored from a checkpoint', () => {
  for (const [name, frame, time] of CASES) {
    it(`gives the uninterrupted output and state: a frame of ${name}, ${time} time`, () => {
      const options = {
        kind: 'window.over',
        config: { partitionBy: ['k'], frame, aggregates: AGGREGATES },
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
});
