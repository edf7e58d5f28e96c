import { EXPRESSION_FUNCTIONS } from '@sluice/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpressionError } from './error.js';
import { FUNCTION_RUNTIMES } from './functions.js';
import { evaluate } from './test-fields.js';

const TS = Date.UTC(2024, 4, 7, 9, 5, 3, 45);
const R = { s: '  Hello  ', t: 'a,b,,c', i: 3, d: -2.5, ts: TS };

describe('every catalogued function has a runtime', () => {
  it.each(EXPRESSION_FUNCTIONS.map((f) => f.name))('%s', (name) => {
    const canonical =
      { CHARACTER_LENGTH: 'CHAR_LENGTH', SUBSTR: 'SUBSTRING', CEILING: 'CEIL' }[name] ?? name;
    expect(FUNCTION_RUNTIMES[canonical]).toBeTypeOf('function');
  });
});

describe('functions', () => {
  it.each([
    ["UPPER('straße')", 'STRASSE'],
    ["LOWER('ÀB')", 'àb'],
    ['TRIM(s)', 'Hello'],
    ["TRIM(BOTH 'xy' FROM 'xyaxy')", 'a'],
    ["TRIM(LEADING '0' FROM '0070')", '70'],
    ["TRIM(TRAILING '0' FROM '0070')", '007'],
    ['LTRIM(s)', 'Hello  '],
    ['RTRIM(s)', '  Hello'],
    ["TRIM('\t a ')", '\t a'],
    ["CHAR_LENGTH('héllo')", 5],
    ["CHAR_LENGTH('a😀b')", 3],
    ["CHARACTER_LENGTH('')", 0],
    ["SUBSTRING('abcdef', 2, 3)", 'bcd'],
    ["SUBSTRING('abcdef' FROM 3)", 'cdef'],
    ["SUBSTRING('abcdef' FROM 0 FOR 2)", 'ab'],
    ["SUBSTRING('abcdef', -2)", 'ef'],
    ["SUBSTRING('abcdef', 10)", ''],
    ["SUBSTRING('abcdef', 2, 0)", ''],
    ["SUBSTR('a😀bc', 2, 2)", '😀b'],
    ["CONCAT('a', 'b', 'c')", 'abc'],
    ["CONCAT('a')", 'a'],
    ["REPLACE('a-b-c', '-', '$&')", 'a$&b$&c'],
    ["REPLACE('abc', '', 'x')", 'abc'],
    ["SPLIT_INDEX(t, ',', 1)", 'b'],
    ["SPLIT_INDEX(t, ',', 2)", ''],
    ["SPLIT_INDEX(t, ',', 9)", null],
    ["SPLIT_INDEX(t, ',', -1)", null],
    ["SPLIT_INDEX('a::b', '::', 1)", 'b'],
    ["SPLIT_INDEX('abc', '', 0)", 'abc'],
    ["LPAD('7', 3, '0')", '007'],
    ["LPAD('hi', 1, '?')", 'h'],
    ["LPAD('hi', 7, 'ab')", 'ababahi'],
    ["RPAD('ab', 4, '.')", 'ab..'],
    ["RPAD('ab', 2, '.')", 'ab'],
    ["POSITION('b' IN 'abc')", 2],
    ["POSITION('z' IN 'abc')", 0],
    ["POSITION('' IN 'abc')", 1],
    ["POSITION('b' IN '😀b')", 2],
    ["LOCATE('a', 'banana')", 2],
    ["LOCATE('a', 'banana', 3)", 4],
    ["LOCATE('a', 'banana', 0)", 0],
    ["REGEXP('order-42', '[0-9]+')", true],
    ["REGEXP('order', '^[0-9]+$')", false],
    ["REGEXP_EXTRACT('order-42', 'order-([0-9]+)', 1)", '42'],
    ["REGEXP_EXTRACT('order-42', '[0-9]+')", '42'],
    ["REGEXP_EXTRACT('order', '[0-9]+')", null],
    ["REGEXP_EXTRACT('ab', 'a(x)?', 1)", null],
    ["REGEXP_EXTRACT('x=1', s)", null],
    ["REGEXP_REPLACE('a1b22', '[0-9]+', '#')", 'a#b#'],
    ["REGEXP_REPLACE('john smith', '(\\w+) (\\w+)', '$2, $1')", 'smith, john'],
    ['ABS(d)', 2.5],
    ['ABS(-i)', 3],
    ['ROUND(2.345, 2)', 2.35],
    ['ROUND(1.005, 2)', 1.01],
    ['ROUND(-2.5)', -3],
    ['ROUND(2.5)', 3],
    ['ROUND(1234.5, -2)', 1200],
    ['ROUND(1250, -2)', 1300],
    ['ROUND(-1250, -2)', -1300],
    ['ROUND(i, 2)', 3],
    ['ROUND(0.0001, 2)', 0],
    ['ROUND(123.456, 10)', 123.456],
    ['ROUND(9.99, -3)', 0],
    ['FLOOR(d)', -3],
    ['FLOOR(i)', 3],
    ['CEIL(d)', -2],
    ['CEILING(2.1)', 3],
    ['MOD(7, 3)', 1],
    ['MOD(-7, 3)', -1],
    ['MOD(7.5, 2)', 1.5],
    ['POWER(2, 10)', 1024],
    ['POWER(4, 0.5)', 2],
    ['SQRT(16)', 4],
    ['SQRT(-1) > 0', false],
    ['YEAR(ts)', 2024],
    ['MONTH(ts)', 5],
    ['DAYOFMONTH(ts)', 7],
    ['HOUR(ts)', 9],
    ['MINUTE(ts)', 5],
    ['SECOND(ts)', 3],
    ["YEAR(TIMESTAMP '1969-12-31 23:59:59.999')", 1969],
    ["DAYOFMONTH(TIMESTAMP '2024-02-29 00:00:00')", 29],
    ["HOUR(TIMESTAMP '1969-12-31 23:59:59.999')", 23],
    ["DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm:ss')", '2024-05-07 09:05:03'],
    ["DATE_FORMAT(ts, 'yyyy-MM-dd''T''HH:mm:ss.SSS')", '2024-05-07T09:05:03.045'],
    ["DATE_FORMAT(ts, 'd/M/yy')", '7/5/24'],
    ["DATE_FORMAT(ts, 'MMM d, yyyy')", 'May 7, 2024'],
    ["DATE_FORMAT(ts, 'MMMM')", 'May'],
    ["DATE_FORMAT(ts, 'S')", '0'],
    ["DATE_FORMAT(ts, 'SS')", '04'],
    ["DATE_FORMAT(ts, '''at'' H')", 'at 9'],
    ["TO_TIMESTAMP('2024-05-07 09:05:03')", Date.UTC(2024, 4, 7, 9, 5, 3)],
    ["TO_TIMESTAMP('2024-05-07 09:05:03.045')", TS],
    ["TO_TIMESTAMP('07/05/2024', 'dd/MM/yyyy')", Date.UTC(2024, 4, 7)],
    ["TO_TIMESTAMP('20240507', 'yyyyMMdd')", Date.UTC(2024, 4, 7)],
    ["TO_TIMESTAMP('7 May 24', 'd MMM yy')", Date.UTC(2024, 4, 7)],
    ["TO_TIMESTAMP('2024-05-07 09:05:03.045', 'yyyy-MM-dd HH:mm:ss.SSS')", TS],
    ['TO_TIMESTAMP_LTZ(1715072703045, 3)', TS],
    ['TO_TIMESTAMP_LTZ(1715072703, 0)', TS - 45],
    ['COALESCE(NULL, i, 1)', 3],
    ["NULLIF('a', 'a')", null],
    ["NULLIF('a', 'b')", 'a'],
    ["NULLIF('a', NULL)", 'a'],
    ['IFNULL(NULL, 4)', 4],
    ["IF(i > 2, 'big', 'small')", 'big'],
    ["IF(NULL, 'yes', 'no')", 'no'],
  ])('%s', (text, expected) => {
    expect(evaluate(text, R)).toBe(expected);
  });

  it.each([
    ["SUBSTRING('abc', 1, -1)", 'SUBSTRING length cannot be negative (-1)'],
    ["LPAD('a', -1, 'x')", 'LPAD length cannot be negative (-1)'],

    ["LPAD('a', 3, '')", 'cannot pad with empty text'],
    [
      "TO_TIMESTAMP('17/05/2024')",
      "cannot read '17/05/2024' as a timestamp with the format 'yyyy-MM-dd HH:mm:ss'",
    ],
    ["TO_TIMESTAMP('2024-02-30', 'yyyy-MM-dd')", "cannot read '2024-02-30'"],
    ["TO_TIMESTAMP('2024-05-07x', 'yyyy-MM-dd')", 'cannot read'],
    ["TO_TIMESTAMP('2024-05-07', s)", "the date format 'yyyy-mm-DD hh' is not valid"],
    ["REGEXP('a', s)", "the regular expression '(' is not valid"],
    ["REGEXP_EXTRACT('a', 'a', i)", 'group 3 does not exist'],
    ["REGEXP_REPLACE('a', 'a', '$2')", "cannot use the replacement '$2'"],
    ["'a' LIKE s ESCAPE '!'", "the LIKE pattern 'a!' is not valid"],
  ])('%s fails with invalid-argument', (text, message) => {
    const record = {
      s: text.includes('TO_TIMESTAMP(') ? 'yyyy-mm-DD hh' : text.includes('LIKE') ? 'a!' : '(',
      i: text.includes('LTZ') ? 2 ** 52 : 3,
    };
    let caught: unknown;
    try {
      evaluate(text, record);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    expect(caught).toMatchObject({ code: 'invalid-argument' });
    expect((caught as Error).message).toContain(message);
  });

  it('formats with a pattern that comes from data', () => {
    expect(evaluate('DATE_FORMAT(ts, s)', { ts: TS, s: 'yyyy/MM' })).toBe('2024/05');
  });

  it('rounds a long to far more digits than it has as 0, not an error', () => {
    expect(evaluate('ROUND(i, -300)', { i: 123 })).toBe(0);
  });

  it('fails with overflow when epoch seconds are too large to be milliseconds', () => {
    expect(() => evaluate('TO_TIMESTAMP_LTZ(i, 0)', { i: 2 ** 52 })).toThrow(
      expect.objectContaining({ code: 'overflow' }),
    );
  });
});

describe('SPLIT_INDEX', () => {
  it('returns the part that splitting the whole text would', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '/', ':', 'é') }),
        fc.constantFrom('/', '::', 'a/', 'é'),
        fc.integer({ min: -1, max: 6 }),
        (t, sep, i) => {
          const expected = i < 0 || t === '' ? null : (t.split(sep)[i] ?? null);
          expect(evaluate(`SPLIT_INDEX(t, '${sep}', ${i})`, { t })).toBe(expected);
        },
      ),
    );
  });
});
