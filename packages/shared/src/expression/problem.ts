import type { ExpressionProblem, SourceRange } from './ast.js';

/** Longer expression text is refused (the check stays fast and bounded). */
export const MAX_EXPRESSION_LENGTH = 10_000;
/** Deeper expression trees are refused, so nothing that walks a tree can overflow the stack. */
export const MAX_EXPRESSION_DEPTH = 64;

/** Every problem code the expression language reports. Stable: tools may match on them. */
export const EXPRESSION_PROBLEM_CODES = [
  'expression.syntax',
  'expression.too-long',
  'expression.too-deep',
  'expression.invalid-literal',
  'expression.unknown-field',
  'expression.reserved-name',
  'expression.unknown-function',
  'expression.wrong-argument-count',
  'expression.type-mismatch',
  'expression.invalid-cast',
  'expression.invalid-regex',
  'expression.invalid-like-pattern',
  'expression.invalid-argument',
  'expression.division-by-zero',
] as const;
export type ExpressionProblemCode = (typeof EXPRESSION_PROBLEM_CODES)[number];

export function problem(
  code: ExpressionProblemCode,
  message: string,
  range: SourceRange,
): ExpressionProblem {
  return { code, message, range: { start: range.start, end: range.end } };
}

export { closestName as closest } from '../schema/suggest.js';

/** A short quotation of source text for messages. */
export function quoteSource(text: string, range: SourceRange, max = 40): string {
  const slice = text.slice(range.start, range.end).replace(/\s+/g, ' ');
  return slice.length > max ? `${slice.slice(0, max - 1)}…` : slice;
}
