import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { BlockLedger, CheckpointFileBlocks, inlineBlocks } from '../checkpoint/blocks.js';
import { Column, type ColumnSnapshot, RowColumns, type RowColumnsSnapshot } from './row-columns.js';

/** Values a record can hold, and some it should not but may: all must come back exactly. */
const value = fc.oneof(
  fc.double(),
  fc.constantFrom(-0, 0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53),
  fc.integer(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', 'a', 'ü✓'),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.array(fc.integer(), { maxLength: 2 }),
);

/** Columns of one type with NULLs, as most are, or of anything. */
const columnValues = fc.oneof(
  fc.array(fc.oneof(fc.double(), fc.constant(null)), { maxLength: 40 }),
  fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constant(null)), { maxLength: 40 }),
  // Strings that hardly repeat are kept as bytes: ASCII, and any (lone surrogates too).
  fc.array(fc.oneof(fc.string({ unit: 'grapheme-ascii' }), fc.constant(null)), { maxLength: 40 }),
  fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.constant(null)), { maxLength: 40 }),
  fc.array(fc.oneof(fc.boolean(), fc.constant(null)), { maxLength: 40 }),
  fc.array(value, { maxLength: 40 }),
);

function expectSameValues(actual: readonly unknown[], expected: readonly unknown[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => {
    if (!Object.is(v, expected[i]) && typeof v !== 'object')
      expect([i, v]).toEqual([i, expected[i]]);
    if (typeof v === 'object') expect([i, v]).toStrictEqual([i, expected[i]]);
  });
}

function valuesOf(column: Column): unknown[] {
  return Array.from({ length: column.length }, (_, i) => column.get(i));
}

const roundTrip = <T>(plain: T): T => deserialize(serialize(plain)) as T;

describe('Column', () => {
  it('gives back every value exactly, in blocks sealed or open, of any size', () => {
    fc.assert(
      fc.property(columnValues, fc.integer({ min: 1, max: 4 }), (values, bits) => {
        const column = new Column(bits);
        for (const v of values) column.push(v);
        expectSameValues(valuesOf(column), values);
      }),
    );
  });

  it('restored from a snapshot at any point, goes on as if never stopped', () => {
    fc.assert(
      fc.property(columnValues, fc.nat(), fc.integer({ min: 1, max: 3 }), (values, at, bits) => {
        const cut = values.length === 0 ? 0 : at % values.length;
        const first = new Column(bits);
        for (const v of values.slice(0, cut)) first.push(v);
        const restored = Column.decode(roundTrip(first.encode(inlineBlocks)), inlineBlocks);
        for (const v of values.slice(cut)) restored.push(v);
        expectSameValues(valuesOf(restored), values);
      }),
    );
  });

  it('through checkpoint files, writes each sealed block once and names it after', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double(), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (values, cuts) => {
          const ledger = new BlockLedger();
          const files = new Map<number, unknown[]>();
          const column = new Column(2);
          let pushed = 0;
          let written = 0;
          let last: { id: number; plain: ColumnSnapshot } | undefined;
          const points = cuts
            .map((c) => (values.length === 0 ? 0 : c % values.length))
            .sort((a, b) => a - b);
          for (const [i, point] of points.entries()) {
            while (pushed < point) column.push(values[pushed++]);
            const writer = ledger.begin();
            const plain = roundTrip(column.encode(writer));
            const id = i + 1;
            files.set(id, roundTrip(writer.fresh));
            ledger.confirm(writer, id);
            written += writer.fresh.length;
            last = { id, plain };
          }
          // Every sealed block was written once over all the checkpoints.
          expect(written).toBe(Math.floor(pushed / 4));
          if (!last) return;
          const restored = Column.decode(last.plain, new CheckpointFileBlocks(last.id, files));
          expectSameValues(valuesOf(restored), values.slice(0, pushed));
        },
      ),
    );
  });

  it('refuses a snapshot that names a block its files do not have', () => {
    const column = new Column(1);
    for (const v of [1, 2, 3]) column.push(v);
    const writer = new BlockLedger().begin();
    const plain = column.encode(writer);
    expect(() => Column.decode(plain, new CheckpointFileBlocks(7, new Map()))).toThrow(
      'state block 0 of checkpoint 7 is missing',
    );
  });
});

const field = fc.constantFrom('a', 'b', 'price', '1', '__proto__');

/** Rows mostly of one shape, some with other fields or another order. */
const rows = fc
  .tuple(
    fc.uniqueArray(field, { minLength: 0, maxLength: 4 }),
    fc.array(fc.nat(), { maxLength: 40 }),
  )
  .chain(([names, seeds]) =>
    fc.tuple(
      ...seeds.map((seed) =>
        seed % 5 === 0
          ? fc.dictionary(field, value, { maxKeys: 3 })
          : fc.tuple(...names.map(() => value)).map((values) => {
              // Made as JSON.parse makes a row, so a `__proto__` field is a field.
              const row = JSON.parse('{}') as Row;
              names.forEach((name, i) => {
                Object.defineProperty(row, name, {
                  value: values[i],
                  enumerable: true,
                  writable: true,
                  configurable: true,
                });
              });
              return row;
            }),
      ),
    ),
  );

function rowsOf(buffer: RowColumns): Row[] {
  return Array.from({ length: buffer.length }, (_, i) => buffer.row(i));
}

function expectSameRows(actual: readonly Row[], expected: readonly Row[]): void {
  expect(actual.map((r) => Object.keys(r))).toEqual(expected.map((r) => Object.keys(r)));
  actual.forEach((row, i) => {
    expectSameValues(Object.values(row), Object.values(expected[i]!));
  });
}

describe('RowColumns', () => {
  it('gives back every row with its fields, in their order, and its values exactly', () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 3 }), (input, bits) => {
        const buffer = new RowColumns(bits);
        for (const row of input) buffer.push(row);
        expectSameRows(rowsOf(buffer), input);
      }),
    );
  });

  it('restored from a snapshot at any point, goes on as if never stopped', () => {
    fc.assert(
      fc.property(rows, fc.nat(), (input, at) => {
        const cut = input.length === 0 ? 0 : at % input.length;
        const first = new RowColumns(2);
        for (const row of input.slice(0, cut)) first.push(row);
        const plain: RowColumnsSnapshot = roundTrip(first.encode(inlineBlocks));
        const restored = RowColumns.decode(plain, inlineBlocks);
        for (const row of input.slice(cut)) restored.push(row);
        expectSameRows(rowsOf(restored), input);
      }),
    );
  });
});
