import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Field } from '../schema/field.js';
import type { ExpressionProblem } from './ast.js';
import { checkExpression } from './check.js';
import { EXPRESSION_FUNCTIONS } from './functions.js';
import { EXPRESSION_KEYWORDS } from './keywords.js';
import { parseExpression } from './parser.js';
import { tokenizeExpression } from './tokenize.js';

const FIELDS: Field[] = [
  { name: 'a', type: 'long' },
  { name: 'x', type: 'double' },
  { name: 's', type: 'string' },
  { name: 'ts', type: 'timestamp' },
  { name: 'ok', type: 'boolean' },
];

/** Every kind of token the grammar knows, plus a few broken ones. */
const TOKENS = [
  ...EXPRESSION_KEYWORDS,
  ...EXPRESSION_FUNCTIONS.map((f) => f.name),
  ...['a', 'x', 's', 'ts', 'ok', '`a`', '`__proto__`', 'constructor', 'nope'],
  ...['0', '1', '42', '1.5', '.5', '1e3', '99999999999999999999', '1e999'],
  ...["'text'", "''", "'it''s'", "'%a_'", "'('", "'2024-01-01 00:00:00'", "'yyyy-MM-dd'"],
  ...[
    '+',
    '-',
    '*',
    '/',
    '%',
    '||',
    '=',
    '<>',
    '!=',
    '<',
    '<=',
    '>',
    '>=',
    '(',
    ')',
    ',',
    '(',
    ')',
  ],
  ...['-- comment\n', '/* c */', "'open", '`open', '"dq"', ';', '#', '.', '/*'],
];

const soup = fc
  .tuple(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }), fc.constantFrom(' ', '', '\n'))
  .map(([tokens, sep]) => tokens.join(sep));

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme-ascii' }),
);

function wellFormed(problems: readonly ExpressionProblem[], text: string): void {
  for (const p of problems) {
    expect(p.code).toMatch(/^expression\.[a-z]+(-[a-z]+)*$/);
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.range.start).toBeGreaterThanOrEqual(0);
    expect(p.range.end).toBeGreaterThanOrEqual(p.range.start);
    expect(p.range.end).toBeLessThanOrEqual(text.length);
  }
}

describe('never throws, whatever the text', () => {
  for (const [name, texts] of [
    ['arbitrary strings', anyText],
    ['token soups from the grammar', soup],
  ] as const) {
    it(`parseExpression on ${name}: an expression or problems within the text`, () => {
      fc.assert(
        fc.property(texts, (text) => {
          const parsed = parseExpression(text);
          expect(parsed.expr !== undefined || parsed.problems.length > 0).toBe(true);
          if (parsed.expr) expect(parsed.problems).toEqual([]);
          wellFormed(parsed.problems, text);
        }),
        { numRuns: 500 },
      );
    });

    it(`checkExpression on ${name}: a type or problems, never both missing`, () => {
      fc.assert(
        fc.property(texts, fc.constantFrom(undefined, 'boolean' as const), (text, expected) => {
          const checked = checkExpression(text, FIELDS, expected ? { expected } : {});
          expect(checked.type !== undefined || checked.problems.length > 0).toBe(true);
          if (checked.expr) expect(checked.expr.type).toBe(checked.type);
          wellFormed(checked.problems, text);
          for (const f of checked.fields) expect(FIELDS.map((x) => x.name)).toContain(f);
        }),
        { numRuns: 500 },
      );
    });

    it(`tokenizeExpression on ${name}: ordered, non-overlapping tokens inside the text`, () => {
      fc.assert(
        fc.property(texts, (text) => {
          let end = 0;
          for (const token of tokenizeExpression(text)) {
            expect(token.range.start).toBeGreaterThanOrEqual(end);
            expect(token.range.end).toBeGreaterThan(token.range.start);
            end = token.range.end;
          }
          expect(end).toBeLessThanOrEqual(text.length);
        }),
        { numRuns: 500 },
      );
    });
  }

  it('reports 10 000 nested parentheses as too deep from all three entry points', () => {
    const text = `${'('.repeat(10_000)}a${')'.repeat(10_000)}`;
    expect(parseExpression(text).problems.map((p) => p.code)).toContain('expression.too-deep');
    expect(checkExpression(text, FIELDS).problems.map((p) => p.code)).toContain(
      'expression.too-deep',
    );
    expect(tokenizeExpression(text)).toHaveLength(20_001);
  });

  it('reports 10 000 nested function calls as too deep', () => {
    const text = `${'ABS('.repeat(10_000)}a${')'.repeat(10_000)}`;
    expect(checkExpression(text, FIELDS).problems.map((p) => p.code)).toContain(
      'expression.too-deep',
    );
  });
});
