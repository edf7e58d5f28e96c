import { checkExpression, type ExprType } from '@sluice/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression } from './compile.js';
import { ExpressionError } from './error.js';
import { FIELDS } from './test-fields.js';

type T = 'long' | 'double' | 'string' | 'boolean' | 'timestamp';
const Arb = fc.Arbitrary;
type Gen = InstanceType<typeof Arb<string>>;

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const MIN_TS = Date.UTC(1000, 0, 1);
const MAX_TS = Date.UTC(2999, 11, 31);

const LEAVES: Record<T, Gen> = {
  long: fc.oneof(
    fc.constantFrom('i', 'j', 'NULL', '0', '-1', '9007199254740991'),
    fc.integer({ min: -1000, max: 1000 }).map(String),
  ),
  double: fc.oneof(
    fc.constantFrom('d', '0.0', '1e300', '-2.5'),
    fc
      .double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
      .map((x) => x.toFixed(3)),
  ),
  string: fc.oneof(
    fc.constantFrom('s', 't', "''", "'2024-01-31 10:00:00'", "'42'", "'a,b'", "'%'"),
    fc.string({ maxLength: 6 }).map(quote),
  ),
  boolean: fc.constantFrom('b', 'TRUE', 'FALSE', 'NULL'),
  timestamp: fc.constantFrom(
    'ts',
    "TIMESTAMP '2024-02-29 12:00:00.5'",
    "TIMESTAMP '1969-12-31 23:59:59'",
  ),
};

/** Random expressions of a given type, built from the grammar, so (nearly) all of them type-check. */
const expression = fc.letrec<Record<T, string>>((tie) => {
  const f = (template: (...args: string[]) => string, ...types: T[]): Gen =>
    fc.tuple(...types.map((t) => tie(t))).map((args) => template(...args));
  const anyType = (template: (a: string, b: string) => string) =>
    fc.oneof(
      ...(['long', 'double', 'string', 'boolean', 'timestamp'] as const).map((t) =>
        f(template, t, t),
      ),
    );
  const numeric = (op: string): Gen =>
    fc.oneof(
      f((a, b) => `(${a} ${op} ${b})`, 'long', 'double'),
      f((a, b) => `(${a} ${op} ${b})`, 'double', 'double'),
    );
  return {
    long: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      LEAVES.long,
      ...['+', '-', '*', '/', '%'].map((op) => f((a, b) => `(${a} ${op} ${b})`, 'long', 'long')),
      f((a) => `-(${a})`, 'long'),
      f((a) => `CHAR_LENGTH(${a})`, 'string'),
      f((a) => `YEAR(${a})`, 'timestamp'),
      f((a) => `SECOND(${a})`, 'timestamp'),
      f((a) => `CAST(${a} AS BIGINT)`, 'string'),
      f((a) => `TRY_CAST(${a} AS BIGINT)`, 'double'),
      f((a, b) => `ROUND(${a}, ${b})`, 'long', 'long'),
      f((a, b) => `MOD(${a}, ${b})`, 'long', 'long'),
      f((a, b, c) => `CASE WHEN ${a} THEN ${b} ELSE ${c} END`, 'boolean', 'long', 'long'),
      f((a, b) => `COALESCE(${a}, ${b})`, 'long', 'long'),
      f((a, b) => `POSITION(${a} IN ${b})`, 'string', 'string'),
      f((a, b, c) => `LOCATE(${a}, ${b}, ${c})`, 'string', 'string', 'long'),
      f((a) => `ABS(${a})`, 'long'),
      f((a) => `FLOOR(${a})`, 'long'),
    ),
    double: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      LEAVES.double,
      numeric('+'),
      numeric('*'),
      numeric('/'),
      numeric('%'),
      f((a, b) => `POWER(${a}, ${b})`, 'double', 'long'),
      f((a) => `SQRT(${a})`, 'double'),
      f((a, b) => `ROUND(${a}, ${b})`, 'double', 'long'),
      f((a) => `CEIL(${a})`, 'double'),
      f((a) => `CAST(${a} AS DOUBLE)`, 'string'),
      f((a) => `TRY_CAST(${a} AS DOUBLE)`, 'string'),
      f((a, b) => `NULLIF(${a}, ${b})`, 'double', 'long'),
      f((a, b, c) => `IF(${a}, ${b}, ${c})`, 'boolean', 'double', 'long'),
    ),
    string: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      LEAVES.string,
      f((a, b) => `(${a} || ${b})`, 'string', 'string'),
      f((a) => `UPPER(${a})`, 'string'),
      f((a) => `TRIM(${a})`, 'string'),
      f((a, b, c) => `SUBSTRING(${a}, ${b}, ${c})`, 'string', 'long', 'long'),
      f((a, b) => `CONCAT(${a}, ${b})`, 'string', 'string'),
      f((a, b, c) => `REPLACE(${a}, ${b}, ${c})`, 'string', 'string', 'string'),
      f((a, b, c) => `SPLIT_INDEX(${a}, ${b}, ${c})`, 'string', 'string', 'long'),
      f((a, b, c) => `LPAD(${a}, ${b} % 50, ${c})`, 'string', 'long', 'string'),
      f((a) => `REGEXP_EXTRACT(${a}, '([a-z]+)([0-9]*)', 2)`, 'string'),
      f((a, b) => `REGEXP_REPLACE(${a}, ${b}, 'x')`, 'string', 'string'),
      f((a) => `DATE_FORMAT(${a}, 'yyyy-MM-dd''T''HH:mm:ss.SSS')`, 'timestamp'),
      f((a) => `CAST(${a} AS STRING)`, 'double'),
      f((a) => `CAST(${a} AS STRING)`, 'timestamp'),
      f((a) => `CAST(${a} AS STRING)`, 'boolean'),
    ),
    boolean: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      LEAVES.boolean,
      ...['=', '<>', '<', '>='].map((op) => anyType((a, b) => `(${a} ${op} ${b})`)),
      f((a, b) => `(${a} AND ${b})`, 'boolean', 'boolean'),
      f((a, b) => `(${a} OR ${b})`, 'boolean', 'boolean'),
      f((a) => `(NOT ${a})`, 'boolean'),
      f((a) => `(${a} IS NULL)`, 'double'),
      f((a) => `(${a} IS NOT TRUE)`, 'boolean'),
      f((a, b, c) => `(${a} BETWEEN ${b} AND ${c})`, 'long', 'double', 'long'),
      f((a, b, c) => `(${a} IN (${b}, ${c}, 'z'))`, 'string', 'string', 'string'),
      f((a, b) => `(${a} LIKE ${b})`, 'string', 'string'),
      f((a, b) => `(${a} NOT LIKE ${b} ESCAPE '!')`, 'string', 'string'),
      f((a, b) => `REGEXP(${a}, ${b})`, 'string', 'string'),
    ),
    timestamp: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      LEAVES.timestamp,
      f((a) => `TO_TIMESTAMP(${a})`, 'string'),
      f((a) => `TO_TIMESTAMP(${a}, 'yyyy-MM-dd HH:mm:ss')`, 'string'),
      f((a) => `TRY_CAST(${a} AS TIMESTAMP)`, 'string'),
      f((a) => `TO_TIMESTAMP_LTZ(${a}, 3)`, 'long'),
      f((a, b, c) => `CASE WHEN ${a} THEN ${b} ELSE ${c} END`, 'boolean', 'timestamp', 'timestamp'),
    ),
  };
});

const value: Record<T, fc.Arbitrary<unknown>> = {
  long: fc.oneof(fc.integer({ min: -100, max: 100 }), fc.maxSafeInteger(), fc.constant(0)),
  double: fc.oneof(fc.double(), fc.constant(0)),
  string: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('', '42', '-1.5e3', 'abc', '2024-01-31 10:00:00', '(', '!', 'true', '😀x'),
  ),
  boolean: fc.boolean(),
  timestamp: fc.integer({ min: MIN_TS, max: MAX_TS }),
};

/** Records of the declared types; any field may be null or missing. */
const record = fc.record(
  Object.fromEntries(
    FIELDS.map((f) => [f.name, fc.option(value[f.type as T], { nil: null, freq: 5 })]),
  ),
  { requiredKeys: [] },
);

function hasType(v: unknown, type: ExprType): boolean {
  if (v === null) return true;
  switch (type) {
    case 'long':
    case 'timestamp':
      return Number.isSafeInteger(v);
    case 'double':
      return typeof v === 'number';
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return false;
  }
}

describe('compiled expressions over random records', () => {
  for (const type of ['long', 'double', 'string', 'boolean', 'timestamp'] as const) {
    it(`a ${type} expression gives a ${type} or NULL, or throws ExpressionError, nothing else`, () => {
      fc.assert(
        fc.property(
          expression[type],
          fc.array(record, { minLength: 1, maxLength: 5 }),
          (text, records) => {
            const checked = checkExpression(text, FIELDS);
            // Literal division by zero, regexes and LIKE patterns are refused by the checker
            // (random literals can be invalid); everything else must check.
            const allowed = [
              'expression.division-by-zero',
              'expression.invalid-regex',
              'expression.invalid-like-pattern',
            ];
            expect(checked.problems.map((p) => p.code).filter((c) => !allowed.includes(c))).toEqual(
              [],
            );
            if (!checked.expr) return;
            expect(
              checked.type === type ||
                checked.type === 'null' ||
                (type === 'double' && checked.type === 'long'),
            ).toBe(true);
            const run = compileExpression(checked.expr);
            for (const r of records) {
              try {
                const v = run(r);
                expect(hasType(v, checked.type as ExprType)).toBe(true);
              } catch (error) {
                expect(error).toBeInstanceOf(ExpressionError);
              }
            }
          },
        ),
        { numRuns: 400 },
      );
    });
  }
});
