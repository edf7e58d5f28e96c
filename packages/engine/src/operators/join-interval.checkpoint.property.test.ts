import { describe, it } from 'vitest';
import { checkRestores, stepsEndingOrNot } from '../testing/checkpoint.js';
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
        checkRestores(options, stepsEndingOrNot(record, { ports: 2 }), 150);
      });
    }
  }
});
