// transform.map keeps no state: its snapshot is empty, and a run cut
// anywhere and continued in a fresh operator gives what it gives
// uninterrupted, failing records (to the error output) and NULLs included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRestores, stepsOf } from '../testing/checkpoint.js';
import { operatorHarness, stream } from '../testing/harness.js';

const INPUT = stream([
  ['k', 'string'],
  ['v', 'long'],
]);

// 10 / v fails on v = 0.
const FIELDS = [
  { name: 'q', expr: '10 / v' },
  { name: 'upper', expr: 'UPPER(k)' },
  { name: 'k2', expr: 'k' },
];

const record = fc.record({
  row: fc.record({
    k: fc.option(fc.constantFrom('a', 'b'), { nil: null }),
    v: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
  }),
  t: fc.integer({ min: -60, max: 220 }),
});

describe('transform.map restored from a checkpoint', () => {
  for (const keepInput of [false, true]) {
    const options = {
      kind: 'transform.map',
      config: { fields: FIELDS, keepInput },
      inputs: [INPUT],
    };

    it(`keeps nothing, and gives the uninterrupted output: keepInput ${keepInput}`, () => {
      checkRestores(options, stepsOf(record), 100);
      const h = operatorHarness(options);
      h.push([{ k: 'a', v: 2 }], [0]);
      expect(h.snapshot().state).toEqual({ maps: {}, cells: {} });
    });
  }
});
