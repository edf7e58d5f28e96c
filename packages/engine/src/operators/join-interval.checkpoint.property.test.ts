// join.interval's checkpoint is complete: cut anywhere, restored into a fresh
// operator, a run gives exactly what it gives uninterrupted and ends holding
// the same state — bounds around the left record's time or all before it (a
// side that only probes), with NULL and badly typed keys, a `where` that
// fails on some pairs, late records and kept records expiring on watermarks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutSteps, runUninterrupted, runWithRestore, stepsOf } from '../testing/checkpoint.js';
import { stream } from '../testing/harness.js';

// Both sides draw from the same few keys, so most records meet some.
const record = fc.record({
  row: fc.record({
    id: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(0, 1, null) },
      // Not a long: the record goes to the error output.
      { weight: 1, arbitrary: fc.constant('x') },
    ),
    g: fc.constantFrom('p', 'q', null),
    v: fc.option(fc.integer({ min: -2, max: 2 }), { nil: null }),
  }),
  // Watermarks come in [-60, 260]: most records are later than most of them.
  t: fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 180, max: 300 }) },
    { weight: 1, arbitrary: fc.integer({ min: -60, max: 300 }) },
  ),
});

const SIDE = stream([
  ['id', 'long'],
  ['g', 'string'],
  ['v', 'long'],
]);

const BOUNDS = {
  around: { lower: '-20ms', upper: '15ms' },
  // The right side's retention is negative: its records only probe.
  before: { lower: '-30ms', upper: '-5ms' },
};

const CONFIGS = {
  'one key': { on: [{ left: 'id', right: 'id' }] },
  'two keys': {
    on: [
      { left: 'id', right: 'id' },
      { left: 'g', right: 'g' },
    ],
  },
  // Fails on right_v = 0: the pair goes to the error output.
  where: { on: [{ left: 'id', right: 'id' }], where: '10 / right_v > v' },
};

describe('join.interval restored from a checkpoint', () => {
  for (const [bounds, interval] of Object.entries(BOUNDS)) {
    for (const [name, config] of Object.entries(CONFIGS)) {
      it(`gives the uninterrupted output and state: ${bounds} the left time, ${name}`, () => {
        const options = {
          kind: 'join.interval',
          config: { ...interval, ...config },
          inputs: [SIDE, SIDE],
        };
        fc.assert(
          // Runs end with or without the end of input: what is still held shows then.
          fc.property(
            fc.boolean().chain((finish) => cutSteps(stepsOf(record, { ports: 2, finish }))),
            ({ steps, cut }) => {
              expect(runWithRestore(options, steps, cut)).toEqual(runUninterrupted(options, steps));
            },
          ),
          { numRuns: 150 },
        );
      });
    }
  }
});
