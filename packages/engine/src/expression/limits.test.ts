import { describe, expect, it } from 'vitest';
import { ExpressionError } from './error.js';
import { evaluate } from './test-fields.js';

function failure(text: string, record: Record<string, unknown> = {}): ExpressionError {
  try {
    evaluate(text, record);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`${text} did not fail`);
}

describe('text an expression builds is bounded', () => {
  it.each([
    ["REPLACE(LPAD('!', 1000000, 'a'), 'a', 'aaaaaaaaaa')", 'REPLACE'],
    ["LPAD('!', 2000000, 'a')", 'LPAD'],
    ["RPAD('!', 2000000, 'a')", 'RPAD'],
    ["CONCAT(LPAD('a', 1000000, 'a'), LPAD('a', 1000000, 'a'))", 'CONCAT'],
    ["LPAD('a', 1000000, 'a') || LPAD('a', 1000000, 'a')", '||'],
    ["REGEXP_REPLACE(LPAD('a', 1000000, 'a'), 'a', 'bb')", 'REGEXP_REPLACE'],
    ["REGEXP_REPLACE(LPAD('a', 1000, 'a'), 'a', s)", 'REGEXP_REPLACE'],
  ])('%s fails for that record, naming %s and the limit', (text, name) => {
    const error = failure(text, { s: 'x'.repeat(2000) });
    expect(error.code).toBe('too-large');
    expect(error.message).toContain(name);
    expect(error.message).toContain('1048576 characters');
  });

  it('still builds text up to the limit', () => {
    expect((evaluate("LPAD('!', 1048576, 'a')") as string).length).toBe(1048576);
    expect(evaluate("REPLACE('banana', 'a', 'oo')")).toBe('boonoonoo');
    expect(evaluate("REGEXP_REPLACE('banana', '(a)', '[$1]')")).toBe('b[a]n[a]n[a]');
  });
});

describe('results no format can hold are errors for that record', () => {
  it.each([
    ['POWER(10.0, 400)', 'Infinity'],
    ['SQRT(-1.0)', 'NaN'],
    ["CAST('NaN' AS DOUBLE)", 'NaN'],
    ['d * 1e308', '-Infinity'],
  ])('%s fails, showing %s', (text, shown) => {
    const error = failure(text, { d: -10 });
    expect(error.code).toBe('not-finite');
    expect(error.message).toContain(shown);
  });

  it('lets NaN and infinities be used within an expression, as long as the result is finite', () => {
    expect(evaluate("CAST('NaN' AS DOUBLE) IS NULL")).toBe(false);
    expect(evaluate('TRY_CAST(SQRT(-1.0) AS BIGINT)')).toBe(null);
  });

  it.each(['TO_TIMESTAMP_LTZ(9007199254740991, 3)', 'TO_TIMESTAMP_LTZ(-8640000000000001, 3)'])(
    '%s fails as a timestamp out of range',
    (text) => {
      const error = failure(text);
      expect(error.code).toBe('overflow');
      expect(error.message).toMatch(/outside the range of a timestamp/);
    },
  );

  it('keeps the last representable timestamp', () => {
    expect(evaluate('TO_TIMESTAMP_LTZ(8640000000000000, 3)')).toBe(8.64e15);
  });
});
