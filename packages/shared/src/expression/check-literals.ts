import { RE2JS } from 're2js';
import type { TypedExpr } from './ast.js';
import type { CheckContext } from './check-context.js';
import { parseDateFormat } from './date-format.js';
import { parseLikePattern } from './like.js';

/*
 * Arguments written as literals are checked before the pipeline runs, so a
 * bad regex, LIKE pattern or date format is shown in the editor instead of
 * failing on every record.
 */

function literalString(node: TypedExpr | undefined): string | undefined {
  return node?.kind === 'literal' && typeof node.value === 'string' ? node.value : undefined;
}

/** Compiles a regular expression with RE2, or returns why it is not valid. */
export function regexProblem(pattern: string): { message: string } | { groups: number } {
  try {
    return { groups: RE2JS.compile(pattern).groupCount() };
  } catch (error) {
    const description =
      error &&
      typeof error === 'object' &&
      'getDescription' in error &&
      typeof error.getDescription === 'function'
        ? String(error.getDescription())
        : error instanceof Error
          ? error.message
          : 'it cannot be compiled';
    return { message: description };
  }
}

export function checkLikeLiterals(
  ctx: CheckContext,
  pattern: TypedExpr,
  escapeExpr: TypedExpr | undefined,
): boolean {
  let escapeChar: string | undefined;
  if (escapeExpr && escapeExpr.type !== 'null') {
    escapeChar = literalString(escapeExpr);
    if (escapeChar === undefined) {
      ctx.report(
        'expression.invalid-like-pattern',
        "ESCAPE takes one character written in quotes, like ESCAPE '!'.",
        escapeExpr.range,
      );
      return false;
    }
  }
  const text = literalString(pattern) ?? '';
  const parsed = parseLikePattern(text, escapeChar);
  if (typeof parsed === 'string') {
    ctx.report(
      'expression.invalid-like-pattern',
      `This LIKE pattern is not valid: ${parsed}.`,
      escapeExpr && literalString(pattern) === undefined ? escapeExpr.range : pattern.range,
    );
    return false;
  }
  return true;
}

export function checkCallLiterals(
  ctx: CheckContext,
  name: string,
  args: readonly TypedExpr[],
): boolean {
  switch (name) {
    case 'REGEXP':
    case 'REGEXP_EXTRACT':
    case 'REGEXP_REPLACE':
      return checkRegex(ctx, name, args);
    case 'DATE_FORMAT':
    case 'TO_TIMESTAMP': {
      const format = literalString(args[1]);
      if (format === undefined) return true;
      const parsed = parseDateFormat(format);
      if (typeof parsed === 'string') {
        ctx.report(
          'expression.invalid-argument',
          `The date format '${format}' is not valid: ${parsed}.`,
          (args[1] as TypedExpr).range,
        );
        return false;
      }
      return true;
    }
    case 'TO_TIMESTAMP_LTZ': {
      const precision = args[1];
      if (precision?.kind !== 'literal' || (precision.value !== 0 && precision.value !== 3)) {
        ctx.report(
          'expression.invalid-argument',
          'The precision of TO_TIMESTAMP_LTZ must be written as 0 (the number counts seconds) or 3 (milliseconds).',
          precision?.range ?? { start: 0, end: 0 },
        );
        return false;
      }
      return true;
    }
    default:
      return true;
  }
}

function checkRegex(ctx: CheckContext, name: string, args: readonly TypedExpr[]): boolean {
  const pattern = literalString(args[1]);
  if (pattern === undefined) return true;
  const result = regexProblem(pattern);
  if ('message' in result) {
    ctx.report(
      'expression.invalid-regex',
      `This regular expression is not valid: ${result.message}. Regular expressions use RE2 syntax (no look-ahead and no back-references).`,
      (args[1] as TypedExpr).range,
    );
    return false;
  }
  const group = args[2];
  if (name === 'REGEXP_EXTRACT' && group?.kind === 'literal' && typeof group.value === 'number') {
    if (group.value < 0 || group.value > result.groups) {
      ctx.report(
        'expression.invalid-argument',
        `The regular expression has ${result.groups} group${result.groups === 1 ? '' : 's'}, so the group number must be between 0 (the whole match) and ${result.groups}.`,
        group.range,
      );
      return false;
    }
  }
  return true;
}
