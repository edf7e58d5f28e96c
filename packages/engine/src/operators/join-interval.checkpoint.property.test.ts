// join.interval's checkpoint is complete: cut anywhere, restored into a fresh
// operator, a run gives exactly what it gives uninterrupted and ends holding
// the same state — bounds around the left record's time or all before it (a
// side that only probes), with NULL and badly typed keys, a `where` that
// fails on some pairs, late records and kept records expiring on watermarks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutSteps, runUninterrupted, runWithRestore, stepsOf } from '../testing/checkpoint.js';
import { joinRecord as record, JOIN_SIDE as SIDE } from '../testing/join-records.js';

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
