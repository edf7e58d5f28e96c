import { describe, it } from 'vitest';
import { checkRestores, stepsEndingOrNot } from '../testing/checkpoint.js';
import { joinRecord as record, JOIN_SIDE as SIDE } from '../testing/join-records.js';

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

describe('join.window restored from a checkpoint', () => {
  for (const type of ['inner', 'left'] as const) {
    for (const [name, config] of Object.entries(CONFIGS)) {
      it(`gives the uninterrupted output and state: ${type} join, ${name}`, () => {
        const options = {
          kind: 'join.window',
          config: { window: { type: 'tumbling', size: '30ms' }, type, ...config },
          inputs: [SIDE, SIDE],
        };
        checkRestores(options, stepsEndingOrNot(record, { ports: 2 }), 150);
      });
    }
  }
});
