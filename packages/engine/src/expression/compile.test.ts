import { checkExpression } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { compileExpression } from './compile.js';
import { ExpressionError } from './error.js';
import { evaluate, FIELDS } from './test-fields.js';

const R = {
  i: 7,
  j: 2,
  d: 2.5,
  s: 'Hello',
  t: 'x',
  b: true,
  ts: Date.UTC(2024, 4, 17, 10, 30, 15, 250),
};
const NULLS = {};

describe('operators', () => {
  it.each([
    ['i + j', 9],
    ['i - j', 5],
    ['i * j', 14],
    ['i / j', 3],
    ['-i / j', -3],
    ['i / -2', -3],
    ['i % j', 1],
    ['-i % j', -1],
    ['i + d', 9.5],
    ['d * 2', 5],
    ['d / 2', 1.25],
    ['7.5 % 2', 1.5],
    ['-i', -7],
    ['+i', 7],
    ['- -d', 2.5],
    ['9007199254740990 / 3', 3002399751580330],
    ['9007199254740991 / 2', 4503599627370495],
    ["s || ' ' || t", 'Hello x'],
    ['i = 7', true],
    ['i = 7.0', true],
    ['i <> 7', false],
    ['i != 8', true],
    ['i < 8', true],
    ['8 < i', false],
    ['8 > i', true],
    ['i <= 7', true],
    ['i >= 8', false],
    ['i > d', true],
    ['d < i', true],
    ["s = 'Hello'", true],
    ["s < 'Jello'", true],
    ["'a' < 'B'", false],
    ['b = TRUE', true],
    ['FALSE < TRUE', true],
    ["ts > TIMESTAMP '2024-05-17 10:30:15'", true],
    ["ts = TIMESTAMP '2024-05-17 10:30:15.250'", true],
    ['i > 1 AND d > 1', true],
    ['i > 1 AND d > 3', false],
    ['i > 9 OR d > 1', true],
    ['NOT b', false],
    ['i BETWEEN 7 AND 8', true],
    ['i BETWEEN 8 AND 9', false],
    ['i NOT BETWEEN 8 AND 9', true],
    ["s BETWEEN 'A' AND 'Z'", true],
    ['i IN (1, 7)', true],
    ['i IN (1, 2)', false],
    ['i NOT IN (1, 2)', true],
    ['i IN (j + 5, 0)', true],
    ['i IN (j, 0)', false],
    ["s IN ('Hello')", true],
    ['i IS NULL', false],
    ['i IS NOT NULL', true],
    ['b IS TRUE', true],
    ['b IS FALSE', false],
    ['b IS NOT TRUE', false],
    ["s LIKE 'He%'", true],
    ["s LIKE 'h%'", false],
    ["s LIKE '_ello'", true],
    ["s LIKE '%l_o'", true],
    ["s NOT LIKE '%z%'", true],
    ["'100%' LIKE '100!%' ESCAPE '!'", true],
    ["'1000' LIKE '100!%' ESCAPE '!'", false],
    ["s LIKE t || '%'", false],
    ["CASE WHEN i > 5 THEN 'big' ELSE 'small' END", 'big'],
    ["CASE WHEN i > 50 THEN 'big' END", null],
    ["CASE i WHEN 1 THEN 'one' WHEN 7 THEN 'seven' ELSE 'other' END", 'seven'],
    ['CASE WHEN b THEN i ELSE d END', 7],
  ])('%s', (text, expected) => {
    expect(evaluate(text, R)).toBe(expected);
  });
});

describe('NULL semantics', () => {
  it.each([
    ['i + 1', null],
    ['1 + NULL', null],
    ['d * i', null],
    ['-i', null],
    ["s || 'x'", null],
    ['i = NULL', null],
    ['NULL = NULL', null],
    ['i > 1', null],
    ['1 > i', null],
    ['i = j', null],
    ['NOT b', null],
    // Three-valued logic
    ['b AND FALSE', false],
    ['FALSE AND b', false],
    ['b AND TRUE', null],
    ['b OR TRUE', true],
    ['TRUE OR b', true],
    ['b OR FALSE', null],
    ['NULL AND NULL', null],
    ['i IS NULL', true],
    ['i IS NOT NULL', false],
    ['b IS TRUE', false],
    ['b IS NOT TRUE', true],
    ['b IS FALSE', false],
    ['b IS NOT FALSE', true],
    ['i BETWEEN 1 AND 2', null],
    ['5 BETWEEN i AND 2', false],
    ['1 BETWEEN i AND 2', null],
    ['i IN (1, 2)', null],
    ['1 IN (2, NULL)', null],
    ['1 IN (1, NULL)', true],
    ['1 NOT IN (2, NULL)', null],
    ['1 IN (i, 1)', true],
    ['1 IN (i, 2)', null],
    ["s LIKE 'a%'", null],
    ["'a' LIKE s", null],
    ["'a' LIKE NULL", null],
    ["'a' LIKE 'a' ESCAPE NULL", null],
    ["CASE WHEN b THEN 'y' ELSE 'n' END", 'n'],
    ["CASE i WHEN 1 THEN 'one' ELSE 'other' END", 'other'],
    ["CASE NULL WHEN NULL THEN 'same' ELSE 'unknown' END", 'unknown'],
    ['CAST(i AS STRING)', null],
    ['TRY_CAST(s AS BIGINT)', null],
    ['COALESCE(i, j, 3)', 3],
    ['COALESCE(i, NULL)', null],
    ['IFNULL(d, 0.5)', 0.5],
    ['NULLIF(i, 1)', null],
    ['IF(b, 1, 2)', 2],
    ['UPPER(s)', null],
    ["CONCAT('a', s)", null],
    ['ABS(i)', null],
    ['ROUND(d, i)', null],
    ['YEAR(ts)', null],
    ["DATE_FORMAT(ts, 'yyyy')", null],
    ["REGEXP(s, 'a')", null],
    ["REGEXP_EXTRACT('a', s)", null],
    ["SUBSTRING('abc', i)", null],
  ])('%s with every field NULL gives %j', (text, expected) => {
    expect(evaluate(text, NULLS)).toBe(expected);
  });

  it('reads an explicit null and a missing field the same way', () => {
    expect(evaluate('i IS NULL', { i: null })).toBe(true);
    expect(evaluate('i IS NULL', { i: undefined })).toBe(true);
  });

  it('does not evaluate the right side of AND after FALSE, nor of OR after TRUE', () => {
    expect(evaluate('FALSE AND i / j > 0', { i: 1, j: 0 })).toBe(false);
    expect(evaluate('TRUE OR i / j > 0', { i: 1, j: 0 })).toBe(true);
    expect(evaluate('CASE WHEN j = 0 THEN 0 ELSE i / j END', { i: 1, j: 0 })).toBe(0);
  });
});

describe('CAST and TRY_CAST', () => {
  it.each([
    ["CAST('42' AS BIGINT)", 42],
    ["CAST(' -42 ' AS INT)", -42],
    ["CAST('2.5' AS DOUBLE)", 2.5],
    ["CAST('1e3' AS DOUBLE)", 1000],
    ["CAST('NaN' AS DOUBLE) = CAST('NaN' AS DOUBLE)", false],
    ["CAST('true' AS BOOLEAN)", true],
    ["CAST('N' AS BOOLEAN)", false],
    ["CAST('2024-05-17' AS TIMESTAMP)", Date.UTC(2024, 4, 17)],
    ["CAST('2024-05-17T10:30:00.123' AS TIMESTAMP)", Date.UTC(2024, 4, 17, 10, 30, 0, 123)],
    ['CAST(i AS STRING)', '7'],
    ['CAST(d AS STRING)', '2.5'],
    ['CAST(2.0 AS STRING)', '2.0'],
    ['CAST(1e20 AS STRING)', '1.0E20'],
    ['CAST(0.0001 AS STRING)', '1.0E-4'],
    ['CAST(b AS STRING)', 'TRUE'],
    ['CAST(ts AS STRING)', '2024-05-17 10:30:15.250'],
    ['CAST(d AS BIGINT)', 2],
    ['CAST(-2.9 AS BIGINT)', -2],
    ['CAST(i AS DOUBLE)', 7],
    ['CAST(b AS INT)', 1],
    ['CAST(0 AS BOOLEAN)', false],
    ['CAST(d AS BOOLEAN)', true],
    ['CAST(s AS STRING)', 'Hello'],
    ["TRY_CAST('abc' AS DOUBLE)", null],
    ["TRY_CAST('12' AS BIGINT)", 12],
    ['TRY_CAST(1e300 AS BIGINT)', null],
    ["TRY_CAST('2024-02-30' AS TIMESTAMP)", null],
  ])('%s', (text, expected) => {
    expect(evaluate(text, R)).toBe(expected);
  });

  it.each([
    ["CAST('abc' AS DOUBLE)", "cannot CAST 'abc' AS DOUBLE"],
    ["CAST('1.5' AS BIGINT)", "cannot CAST '1.5' AS BIGINT"],
    ["CAST('99999999999999999999' AS BIGINT)", 'AS BIGINT'],
    ["CAST('maybe' AS BOOLEAN)", "cannot CAST 'maybe' AS BOOLEAN"],
    ["CAST('yesterday' AS TIMESTAMP)", "cannot CAST 'yesterday' AS TIMESTAMP"],
    ['CAST(1e300 AS BIGINT)', 'cannot CAST 1e+300 AS BIGINT'],
    ["CAST(CAST('NaN' AS DOUBLE) AS BIGINT)", 'cannot CAST NaN AS BIGINT'],
  ])('%s fails with cast-failed', (text, message) => {
    expect(() => evaluate(text, R)).toThrow(
      expect.objectContaining({ code: 'cast-failed', message: expect.stringContaining(message) }),
    );
  });
});

describe('run-time errors are ExpressionError with a code', () => {
  it.each([
    ['i / j', { i: 1, j: 0 }, 'division-by-zero', 'cannot compute 1 / 0: division by zero'],
    ['d / j', { d: 1.5, j: 0 }, 'division-by-zero', 'division by zero'],
    ['d / (j * 1.0)', { d: 1.5, j: 0 }, 'division-by-zero', 'cannot compute 1.5 / 0'],
    ['i % j', { i: 1, j: 0 }, 'division-by-zero', '1 % 0'],
    ['MOD(d, j)', { d: 1, j: 0 }, 'division-by-zero', 'division by zero'],
    ['i * j', { i: 2 ** 52, j: 4 }, 'overflow', 'too large for a long'],
    ['i + j', { i: Number.MAX_SAFE_INTEGER, j: 1 }, 'overflow', 'CAST a value to DOUBLE'],
    [
      'i + 1',
      { i: 'seven' },
      'invalid-field-value',
      "field 'i' should hold a long but holds 'seven'",
    ],
    ['i + 1', { i: 1.5 }, 'invalid-field-value', 'holds 1.5'],
    ['UPPER(s)', { s: 42 }, 'invalid-field-value', "field 's' should hold a string but holds 42"],
    ['b IS TRUE', { b: 'true' }, 'invalid-field-value', 'boolean'],
    ['ts IS NULL', { ts: new Date(0) }, 'invalid-field-value', 'JavaScript type object'],
  ])('%s with %j', (text, record, code, message) => {
    let caught: unknown;
    try {
      evaluate(text, record);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    expect(caught).toMatchObject({ code });
    expect((caught as Error).message).toContain(message);
  });

  it('never reads the prototype for a field the record lacks', () => {
    expect(evaluate('toString IS NULL', {})).toBe(true);
    expect(evaluate('toString', { toString: 'own' })).toBe('own');
  });

  it('wraps anything unexpected (a throwing getter) in an ExpressionError', () => {
    const record = Object.defineProperty({}, 'i', {
      get() {
        throw new TypeError('boom');
      },
    });
    expect(() => evaluate('i + 1', record)).toThrow(ExpressionError);
    expect(() => evaluate('i + 1', record)).toThrow(/boom/);
  });
});

describe('compileExpression', () => {
  it('compiles once and evaluates many records', () => {
    const { expr } = checkExpression("i > 5 AND s LIKE 'a%'", FIELDS);
    const f = compileExpression(expr!);
    expect([{ i: 6, s: 'ab' }, { i: 4, s: 'ab' }, { i: 6, s: 'b' }, {}].map(f)).toEqual([
      true,
      false,
      false,
      null,
    ]);
  });

  it('refuses a tree that names a function it has no runtime for', () => {
    const { expr } = checkExpression('UPPER(s)', FIELDS);
    const forged = { ...expr!, name: 'NO_SUCH' } as typeof expr;
    expect(() => compileExpression(forged!)).toThrow(/no runtime for function NO_SUCH/);
  });
});
