import { describe, it } from 'vitest';
import { checkRestores, stepsEndingOrNot } from '../testing/checkpoint.js';
import { joinRecord as record, JOIN_SIDE as SIDE } from '../testing/join-records.js';

const RETENTIONS = {
  'both kept': { leftRetention: '30ms', rightRetention: '15ms' },
  // 0s: the right side only looks up.
  'right only looks up': { leftRetention: '25ms', rightRetention: '0s' },
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

describe('join.regular restored from a checkpoint', () => {
  for (const [retentions, retention] of Object.entries(RETENTIONS)) {
    for (const [name, config] of Object.entries(CONFIGS)) {
      it(`gives the uninterrupted output and state: ${retentions}, ${name}`, () => {
        const options = {
          kind: 'join.regular',
          config: { ...retention, ...config },
          inputs: [SIDE, SIDE],
        };
        checkRestores(options, stepsEndingOrNot(record, { ports: 2 }), 150);
      });
    }
  }
});
