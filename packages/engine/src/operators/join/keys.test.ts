import type { Field } from '@sluice/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../expression/index.js';
import { keyReader } from './keys.js';

const FIELDS: Field[] = [
  { name: 's', type: 'string' },
  { name: 'l', type: 'long' },
  { name: 'd', type: 'double' },
  { name: 'b', type: 'boolean' },
  { name: 't', type: 'timestamp' },
];

describe('keyReader', () => {
  it('gives one key field as its own value, with −0 as 0', () => {
    expect(keyReader(['s'], FIELDS)({ s: 'x' })).toBe('x');
    expect(keyReader(['d'], FIELDS)({ d: 1.5 })).toBe(1.5);
    expect(Object.is(keyReader(['d'], FIELDS)({ d: -0 }), 0)).toBe(true);
    expect(keyReader(['b'], FIELDS)({ b: false })).toBe(false);
  });

  it('gives no key for NULL, a missing field or NaN, in any part', () => {
    expect(keyReader(['s'], FIELDS)({ s: null })).toBeUndefined();
    expect(keyReader(['s'], FIELDS)({})).toBeUndefined();
    expect(keyReader(['d'], FIELDS)({ d: Number.NaN })).toBeUndefined();
    expect(keyReader(['s', 'l'], FIELDS)({ s: 'x', l: null })).toBeUndefined();
  });

  it('encodes a long and a double of the same number alike', () => {
    expect(keyReader(['l', 's'], FIELDS)({ l: 1, s: 'a' })).toBe(
      keyReader(['d', 's'], FIELDS)({ d: 1.0, s: 'a' }),
    );
  });

  it('throws an ExpressionError for a value of the wrong type', () => {
    expect(() => keyReader(['l'], FIELDS)({ l: '1' })).toThrow(ExpressionError);
    expect(() => keyReader(['l', 's'], FIELDS)({ l: 1, s: 2 })).toThrow(ExpressionError);
  });

  it('refuses a key field its input does not have', () => {
    expect(() => keyReader(['nope'], FIELDS)).toThrow(/nope/);
  });

  it('gives equal composite keys exactly to equal tuples', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 4, unit: fc.constantFrom('a', ';', ':', 's', '1', 'n') }),
      fc.integer({ min: -3, max: 3 }),
      fc.boolean(),
    );
    const tuple = fc.array(value, { minLength: 3, maxLength: 3 });
    const fields: Field[] = ['x', 'y', 'z'].map((name) => ({ name, type: 'string' }));
    // A reader per kind of value, so the field types accept whatever the tuple holds.
    const typeOf = (v: unknown): Field['type'] =>
      typeof v === 'string' ? 'string' : typeof v === 'number' ? 'long' : 'boolean';
    const read = (t: unknown[]) =>
      keyReader(
        ['x', 'y', 'z'],
        fields.map((f, i) => ({ ...f, type: typeOf(t[i]) })),
      )({ x: t[0], y: t[1], z: t[2] });
    fc.assert(
      fc.property(tuple, tuple, (a, b) => {
        const same = a.every((v, i) => v === b[i]);
        expect(read(a) === read(b)).toBe(same);
      }),
    );
  });
});
