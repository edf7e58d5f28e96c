// What the joins' checkpoint tests feed both sides: the same few keys, so
// most records meet some; a key that is not a long (the record goes to the
// error output); times mostly later than the watermarks stepsOf sends.
import fc from 'fast-check';
import { stream } from './harness.js';

export const joinRecord = fc.record({
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

export const JOIN_SIDE = stream([
  ['id', 'long'],
  ['g', 'string'],
  ['v', 'long'],
]);
