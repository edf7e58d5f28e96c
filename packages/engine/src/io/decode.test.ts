import type { Field } from '@sluice/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { preview, RowDecoder } from './decode.js';

const field = (type: Field['type']): Field[] => [{ name: 'v', type }];
const json = (type: Field['type'], value: unknown) =>
  new RowDecoder(field(type)).fromJson({ v: value })?.v;
const cell = (type: Field['type'], text: string) =>
  new RowDecoder(field(type)).fromCells([text], [0])?.v;

describe('RowDecoder from JSON', () => {
  it.each([
    ['string', 'abc', 'abc'],
    ['string', '', ''],
    ['long', 42, 42],
    ['long', -9007199254740991, -9007199254740991],
    ['double', 1.25, 1.25],
    ['double', 3, 3],
    ['boolean', false, false],
    ['timestamp', '2024-02-29T10:00:00.5+01:00', Date.UTC(2024, 1, 29, 9, 0, 0, 500)],
    ['timestamp', '2024-02-29', Date.UTC(2024, 1, 29)],
    ['timestamp', 1700000000000, 1700000000000],
    ['long', null, null],
    ['timestamp', null, null],
  ] as const)('reads a %s from %j', (type, value, expected) => {
    expect(json(type, value)).toEqual(expected);
  });

  it.each([
    ['string', 5, 'v: 5 is not a string'],
    ['long', 1.5, 'v: 1.5 is not a long: it has a fractional part'],
    ['long', '12', "v: '12' is not a long"],
    ['long', 2 ** 60, 'v: 1152921504606847000 is outside the range of a long (±9007199254740991)'],
    ['double', 'abc', "v: 'abc' is not a double"],
    ['boolean', 'true', "v: 'true' is not a boolean (true or false)"],
    [
      'timestamp',
      'soon',
      "v: 'soon' is not a timestamp (use ISO-8601 such as 2024-05-01T12:00:00Z, or epoch milliseconds)",
    ],
    ['string', { a: 1 }, 'v: {"a":1} is not a string'],
    ['timestamp', '2026-02-30', "v: '2026-02-30' is not a date: February 2026 has 28 days"],
    [
      'timestamp',
      '2024-04-31T10:00:00Z',
      "v: '2024-04-31T10:00:00Z' is not a date: April 2024 has 30 days",
    ],
    ['timestamp', '2024-01-01T24:30:00Z', "v: '2024-01-01T24:30:00Z' is not a time of day"],
    [
      'timestamp',
      9007199254740991,
      'v: 9007199254740991 is outside the range of a timestamp (±8640000000000000 ms from 1970)',
    ],
    [
      'timestamp',
      '+275760-09-14T00:00:00Z',
      "v: '+275760-09-14T00:00:00Z' is not a timestamp (use ISO-8601 such as 2024-05-01T12:00:00Z, or epoch milliseconds)",
    ],
  ] as const)('refuses a %s from %j and says why', (type, value, reason) => {
    const decoder = new RowDecoder(field(type));
    expect(decoder.fromJson({ v: value })).toBeUndefined();
    expect(decoder.jsonProblems({ v: value })).toBe(reason);
  });

  it('names every bad field and shortens long values', () => {
    const decoder = new RowDecoder([
      { name: 'a', type: 'long' },
      { name: 'b', type: 'string' },
      { name: 'c', type: 'double' },
    ]);
    const record = { a: 'x'.repeat(100), b: 'fine', c: false };
    expect(decoder.fromJson(record)).toBeUndefined();
    expect(decoder.jsonProblems(record)).toBe(
      `a: '${'x'.repeat(40)}…' is not a long; c: false is not a double`,
    );
  });

  it('ignores inherited properties, so a field named like an Object method is NULL when absent', () => {
    const decoder = new RowDecoder([{ name: 'toString', type: 'string' }]);
    expect(decoder.fromJson({})).toEqual({ toString: null });
  });

  it('builds rows of exactly the schema fields in schema order, whatever the input holds', () => {
    const decoder = new RowDecoder([
      { name: 'z', type: 'long' },
      { name: 'a', type: 'string' },
    ]);
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'z', 'q', 'b'), fc.constant(null)),
        (record) => {
          expect(Object.keys(decoder.fromJson(record)!)).toEqual(['z', 'a']);
        },
      ),
    );
  });
});

describe('RowDecoder from CSV cells', () => {
  it.each([
    ['string', ' padded ', ' padded '],
    ['long', '-12', -12],
    ['long', ' +7 ', 7],
    ['double', '1e3', 1000],
    ['double', '-.5', -0.5],
    ['double', '42', 42],
    ['boolean', 'TRUE', true],
    ['boolean', 'fAlSe', false],
    ['timestamp', '2024-01-01 10:00:00', Date.UTC(2024, 0, 1, 10)],
    ['timestamp', '-1000', -1000],
    ['long', '', null],
    ['string', '', null],
    ['double', '   ', null],
  ] as const)('reads a %s from %j', (type, text, expected) => {
    expect(cell(type, text)).toEqual(expected);
  });

  it.each([
    ['long', '1.0', "v: '1.0' is not a long: it has a fractional part"],
    ['long', '12abc', "v: '12abc' is not a long"],
    [
      'long',
      '99999999999999999999',
      "v: '99999999999999999999' is outside the range of a long (±9007199254740991)",
    ],
    ['double', 'NaN', "v: 'NaN' is not a double"],
    ['double', '1,5', "v: '1,5' is not a double"],
    ['boolean', 'yes', "v: 'yes' is not a boolean (true or false)"],
    ['timestamp', '2026-02-30', "v: '2026-02-30' is not a date: February 2026 has 28 days"],
    [
      'timestamp',
      '-9000000000000000',
      "v: '-9000000000000000' is outside the range of a timestamp (±8640000000000000 ms from 1970)",
    ],
    [
      'timestamp',
      '01/02/2024',
      "v: '01/02/2024' is not a timestamp (use ISO-8601 such as 2024-05-01T12:00:00Z, or epoch milliseconds)",
    ],
  ] as const)('refuses a %s from %j and says why', (type, text, reason) => {
    const decoder = new RowDecoder(field(type));
    expect(decoder.fromCells([text], [0])).toBeUndefined();
    expect(decoder.cellProblems([text], [0])).toBe(reason);
  });

  it('reads NULL for a column the file lacks and for a short row', () => {
    const decoder = new RowDecoder([
      { name: 'a', type: 'string' },
      { name: 'b', type: 'long' },
    ]);
    expect(decoder.fromCells(['x'], [0, -1])).toEqual({ a: 'x', b: null });
    expect(decoder.fromCells(['x'], [0, 1])).toEqual({ a: 'x', b: null });
  });

  it('reads back every double JavaScript writes (-0 is written as 0)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(cell('double', String(value))).toBe(value === 0 ? 0 : value);
      }),
    );
  });
});

describe('preview of a JSON value', () => {
  it('writes the start of the JSON text, with keys quoted and arrays', () => {
    expect(preview({ a: [1, 'x', null, { 'b"': true }] }, 100)).toBe(
      '{"a":[1,"x",null,{"b\\"":true}]}',
    );
    expect(preview([], 10)).toBe('[]');
  });

  it('stops soon after the length asked for, without recursion, however deep the value', () => {
    let value: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) value = { a: value };
    const shown = preview(value, 41);
    expect(shown.startsWith('{"a":{"a":')).toBe(true);
    expect(shown.length).toBeLessThan(50);
  });
});
