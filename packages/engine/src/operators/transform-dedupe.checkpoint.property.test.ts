// transform.dedupe's checkpoint is complete: cut anywhere, restored into a
// fresh operator, a run drops exactly the repeats the uninterrupted run drops,
// sends the same records late, and holds the same keys at the end.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkRestores, stepsEndingOrNot } from '../testing/checkpoint.js';
import { stream } from '../testing/harness.js';

const record = fc.record({
  row: fc.record({
    k: fc.constantFrom('a', 'b', 'c', null),
    j: fc.constantFrom(1, 2),
  }),
  t: fc.integer({ min: -60, max: 260 }),
});

describe('transform.dedupe restored from a checkpoint', () => {
  for (const key of [['k'], ['k', 'j']]) {
    it(`gives the uninterrupted output and state: key ${key.join(', ')}`, () => {
      const options = {
        kind: 'transform.dedupe',
        config: { key, retention: '30ms' },
        inputs: [
          stream([
            ['k', 'string'],
            ['j', 'long'],
          ]),
        ],
      };
      checkRestores(options, stepsEndingOrNot(record), 200);
    });
  }
});
