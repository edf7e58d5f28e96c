import { describe, expect, it } from 'vitest';
import { parseExpression } from './parser.js';
import { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from './problem.js';
import { sexpr } from './test-print.js';

function tree(text: string): string {
  const { expr, problems } = parseExpression(text);
  expect(problems).toEqual([]);
  return sexpr(expr!);
}

describe('parseExpression: precedence and associativity', () => {
  it.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['8 / 4 / 2', '(/ (/ 8 4) 2)'],
    ['7 % 3 * 2', '(* (% 7 3) 2)'],
    ['-a * b', '(* (- a) b)'],
    ['- -a', '(- (- a))'],
    ['-5 + 2', '(+ -5 2)'],
    ['-1.5e3', '-1500'],
    ['a || b || c', '(|| (|| a b) c)'],
    ["a || 'x' + 1", "(+ (|| a 'x') 1)"],
    ['a = 1 OR b = 2 AND c = 3', '(OR (= a 1) (AND (= b 2) (= c 3)))'],
    ['(a = 1 OR b = 2) AND c = 3', '(AND (OR (= a 1) (= b 2)) (= c 3))'],
    ['NOT a = 1', '(NOT (= a 1))'],
    ['NOT NOT a', '(NOT (NOT a))'],
    ['NOT a AND b', '(AND (NOT a) b)'],
    ['a + 1 > b * 2', '(> (+ a 1) (* b 2))'],
    ['a <> 1', '(<> a 1)'],
    ['a != 1', '(<> a 1)'],
    ['a <= 1 AND a >= 0', '(AND (<= a 1) (>= a 0))'],
    ['a IS NULL', '(is-null a)'],
    ['a IS NOT NULL OR b IS TRUE', '(OR (is-not-null a) (is-true b))'],
    ['a IS NOT FALSE', '(is-not-false a)'],
    ['a IS UNKNOWN', '(is-null a)'],
    ['a BETWEEN 1 AND 2 AND b', '(AND (between a 1 2) b)'],
    ['a NOT BETWEEN 1 + 1 AND 2 * 3', '(not-between a (+ 1 1) (* 2 3))'],
    ["a IN (1, 2, 'x')", "(in a 1 2 'x')"],
    ['a NOT IN (1)', '(not-in a 1)'],
    ["a LIKE 'x%'", "(like a 'x%')"],
    ["a NOT LIKE 'x!%' ESCAPE '!'", "(not-like a 'x!%' '!')"],
    ["NOT a LIKE 'x'", "(NOT (like a 'x'))"],
    ['a + 1 IS NULL', '(is-null (+ a 1))'],
  ])('%s', (text, expected) => {
    expect(tree(text)).toBe(expected);
  });
});

describe('parseExpression: literals, fields and calls', () => {
  it.each([
    ['42', '42'],
    ['4.5', '4.5'],
    ['.5', '0.5'],
    ['1e3', '1000'],
    ["'it''s'", "'it's'"],
    ["''", "''"],
    ['TRUE', 'true'],
    ['false', 'false'],
    ['null', 'null'],
    ["TIMESTAMP '2024-01-01 00:00:00'", 'ts:1704067200000'],
    ["timestamp '2024-01-01 00:00:01.5'", 'ts:1704067201500'],
    ['`odd name`', 'odd name'],
    ['`a``b`', 'a`b'],
    ['`from`', 'from'],
    ['timestamp', 'timestamp'],
    ['Amount', 'Amount'],
    ['upper(a)', '(UPPER a)'],
    ['CONCAT(a, b, c)', '(CONCAT a b c)'],
    ['f()', '(F)'],
    ['SUBSTRING(s, 2, 3)', '(SUBSTRING s 2 3)'],
    ['SUBSTRING(s FROM 2 FOR 3)', '(SUBSTRING s 2 3)'],
    ['SUBSTRING(s FROM 2)', '(SUBSTRING s 2)'],
    ["POSITION('a' IN s)", "(POSITION 'a' s)"],
    ['TRIM(s)', '(TRIM s)'],
    ["TRIM(BOTH 'x' FROM s)", "(TRIM s 'x')"],
    ["TRIM(LEADING 'x' FROM s)", "(LTRIM s 'x')"],
    ['TRIM(TRAILING FROM s)', '(RTRIM s)'],
    ["TRIM('x' FROM s)", "(TRIM s 'x')"],
    ['TRIM(leading)', '(TRIM leading)'],
    ['CAST(a AS BIGINT)', '(cast a long)'],
    ['cast(a as varchar(20))', '(cast a string)'],
    ['CAST(a AS DECIMAL(10, 2))', '(cast a double)'],
    ['TRY_CAST(a AS TIMESTAMP(3))', '(try_cast a timestamp)'],
    ['CAST(a AS int)', '(cast a long)'],
    ['CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END', '(case [a 1] [b 2] else 3)'],
    ["CASE a WHEN 1 THEN 'x' END", "(case a [1 'x'])"],
    ['a -- a comment\n + 1', '(+ a 1)'],
    ['a /* block */ + 1', '(+ a 1)'],
  ])('%s', (text, expected) => {
    expect(tree(text)).toBe(expected);
  });

  it('records source ranges on every node', () => {
    const { expr } = parseExpression('amount  >  -10');
    expect(expr).toMatchObject({
      kind: 'binary',
      range: { start: 0, end: 14 },
      opRange: { start: 8, end: 9 },
      left: { range: { start: 0, end: 6 } },
      right: { value: -10, range: { start: 11, end: 14 } },
    });
  });

  it('gives the range of a whole call and of its name', () => {
    const { expr } = parseExpression('x + upper( s )');
    expect(expr).toMatchObject({
      right: { kind: 'call', range: { start: 4, end: 14 }, nameRange: { start: 4, end: 9 } },
    });
  });
});

describe('parseExpression: problems', () => {
  it.each([
    ['', 'expression.syntax', 0, 0, 'empty'],
    ['  -- only a comment', 'expression.syntax', 0, 19, 'empty'],
    ['1 +', 'expression.syntax', 3, 3, 'end of the expression'],
    ['(1 + 2', 'expression.syntax', 6, 6, 'closing )'],
    ['1 + 2)', 'expression.syntax', 5, 6, 'no matching ('],
    ['a b', 'expression.syntax', 2, 3, "Unexpected 'b'"],
    ["'abc", 'expression.syntax', 0, 4, 'closing quote'],
    ['`abc', 'expression.syntax', 0, 4, 'backtick'],
    ['"abc" = 1', 'expression.syntax', 0, 5, "single quotes ('abc')"],
    ['a ; b', 'expression.syntax', 2, 3, 'remove the ;'],
    ['a # b', 'expression.syntax', 2, 3, "Unexpected character '#'"],
    ['a /* open', 'expression.syntax', 2, 9, '*/'],
    ['a AND AND b', 'expression.syntax', 6, 9, 'keyword AND'],
    ['from = 1', 'expression.syntax', 0, 4, '`from`'],
    ['a IS 1', 'expression.syntax', 5, 6, 'NULL, TRUE or FALSE'],
    ['a BETWEEN 1', 'expression.syntax', 11, 11, 'AND is missing'],
    ['a IN 1', 'expression.syntax', 5, 6, 'in parentheses'],
    ['a IN ()', 'expression.syntax', 6, 7, 'empty'],
    ['a IN (1, 2', 'expression.syntax', 10, 10, 'closing )'],
    ['CASE END', 'expression.syntax', 5, 8, 'at least one WHEN'],
    ['CASE WHEN a 1 END', 'expression.syntax', 12, 13, 'THEN'],
    ['CASE WHEN a THEN 1', 'expression.syntax', 18, 18, 'END'],
    ['CAST(a BIGINT)', 'expression.syntax', 7, 13, 'AS is missing'],
    ['CAST(a AS DATE)', 'expression.invalid-cast', 10, 14, 'TIMESTAMP'],
    ['CAST(a AS MONEY)', 'expression.invalid-cast', 10, 15, 'not a type'],
    ['upper(a', 'expression.syntax', 7, 7, 'closing )'],
    ['POSITION(a, b)', 'expression.syntax', 10, 11, 'POSITION(part IN text)'],
    ['99999999999999999999', 'expression.invalid-literal', 0, 20, 'too large for a long'],
    ['1e999', 'expression.invalid-literal', 0, 5, 'too large'],
    [
      "TIMESTAMP '2024-13-01 00:00:00'",
      'expression.invalid-literal',
      10,
      31,
      'not a valid timestamp',
    ],
    ["TIMESTAMP 'yesterday'", 'expression.invalid-literal', 10, 21, 'yyyy-MM-dd HH:mm:ss'],
  ])('%j', (text, code, start, end, words) => {
    const { expr, problems } = parseExpression(text);
    expect(expr).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code, range: { start, end } });
    expect(problems[0]?.message).toContain(words);
  });

  it('refuses text longer than MAX_EXPRESSION_LENGTH, pointing at the excess', () => {
    const text = `${'a + '.repeat(MAX_EXPRESSION_LENGTH / 4)}1`;
    const { expr, problems } = parseExpression(text);
    expect(expr).toBeUndefined();
    expect(problems[0]).toMatchObject({
      code: 'expression.too-long',
      range: { start: MAX_EXPRESSION_LENGTH, end: text.length },
    });
  });

  it('accepts an expression of exactly MAX_EXPRESSION_LENGTH characters', () => {
    const text = `'${'x'.repeat(MAX_EXPRESSION_LENGTH - 2)}'`;
    expect(parseExpression(text).problems).toEqual([]);
  });

  it('reports 10 000 nested parentheses as too deep, without overflowing the stack', () => {
    const text = `${'('.repeat(10_000)}1${')'.repeat(10_000)}`;
    const codes = parseExpression(text).problems.map((p) => p.code);
    expect(codes).toContain('expression.too-deep');
  });

  it('reports deep nesting of unary operators and NOT as too deep', () => {
    expect(parseExpression(`${'- '.repeat(5000)}1`).problems.map((p) => p.code)).toContain(
      'expression.too-deep',
    );
    expect(parseExpression(`${'NOT '.repeat(2000)}a`).problems.map((p) => p.code)).toContain(
      'expression.too-deep',
    );
  });

  it('reports a long left-leaning chain deeper than the limit as too deep', () => {
    const chain = Array.from({ length: MAX_EXPRESSION_DEPTH + 1 }, (_, i) => `a = ${i}`).join(
      ' OR ',
    );
    expect(parseExpression(chain).problems.map((p) => p.code)).toEqual(['expression.too-deep']);
    const ok = Array.from({ length: MAX_EXPRESSION_DEPTH - 2 }, (_, i) => `a = ${i}`).join(' OR ');
    expect(parseExpression(ok).problems).toEqual([]);
  });

  it('never throws on values that are not text', () => {
    expect(parseExpression(undefined as unknown as string).problems[0]?.code).toBe(
      'expression.syntax',
    );
  });
});
