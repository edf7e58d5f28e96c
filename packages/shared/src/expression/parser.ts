import {
  type BinaryOperator,
  depthOf,
  type Expr,
  type ExpressionProblem,
  type SourceRange,
} from './ast.js';
import { Cursor, ParseStop, span } from './cursor.js';
import { lex } from './lexer.js';
import { parsePrimary } from './parse-primary.js';
import { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, problem } from './problem.js';

/*
 * Precedence, lowest first (as in Flink SQL / Calcite):
 *   OR
 *   AND
 *   NOT
 *   = <> != < <= > >=  IS  BETWEEN  IN  LIKE   (left to right)
 *   + -
 *   * / % ||
 *   unary - +
 */

export interface ParsedExpression {
  expr?: Expr;
  problems: ExpressionProblem[];
}

/** Parses expression text. Never throws; `expr` is present only when there are no problems. */
export function parseExpression(text: string): ParsedExpression {
  if (typeof text !== 'string') {
    return { problems: [problem('expression.syntax', 'The expression must be text.', at(0))] };
  }
  const problems: ExpressionProblem[] = [];
  if (text.length > MAX_EXPRESSION_LENGTH) {
    problems.push(
      problem(
        'expression.too-long',
        `This expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}. Split it across several steps.`,
        { start: MAX_EXPRESSION_LENGTH, end: text.length },
      ),
    );
  }
  try {
    const lexemes = lex(text).filter((l) => l.kind !== 'comment');
    const bad = lexemes.find((l) => l.kind === 'error');
    if (bad) return { problems: [...problems, problem('expression.syntax', bad.value, bad)] };
    if (lexemes.length === 1) {
      problems.push(
        problem('expression.syntax', 'The expression is empty: write a formula.', {
          start: 0,
          end: text.length,
        }),
      );
      return { problems };
    }
    const cursor = new Cursor(text, lexemes, parseOr, parseAdditive);
    const expr = parseOr(cursor);
    const rest = cursor.peek();
    if (rest.kind !== 'end') {
      const message = cursor.isSymbol(')')
        ? 'This ) has no matching (: remove it or add a ( before it.'
        : `Unexpected ${cursor.describe(rest)} after a complete expression. Is an operator (AND, OR, +, ||) or a comma missing?`;
      return { problems: [...problems, problem('expression.syntax', message, rest)] };
    }
    if (depthOf(expr) > MAX_EXPRESSION_DEPTH) {
      problems.push(
        problem(
          'expression.too-deep',
          `This expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep. Simplify it (a long chain of OR can often be written with IN (...)), or split it across several steps.`,
          expr.range,
        ),
      );
    }
    return problems.length === 0 ? { expr, problems } : { problems };
  } catch (error) {
    if (error instanceof ParseStop) return { problems: [...problems, error.problem] };
    // A safety net: an unforeseen failure is reported, never thrown.
    const message =
      error instanceof RangeError
        ? `This expression is too complex to read. Simplify it.`
        : 'This expression could not be read. Check its syntax.';
    const code = error instanceof RangeError ? 'expression.too-deep' : 'expression.syntax';
    return { problems: [...problems, problem(code, message, { start: 0, end: text.length })] };
  }
}

function at(offset: number): SourceRange {
  return { start: offset, end: offset };
}

function parseOr(c: Cursor): Expr {
  c.enter();
  let left = parseAnd(c);
  while (c.isWord('OR')) {
    const op = c.next();
    left = binary('OR', op, left, parseAnd(c));
  }
  c.leave();
  return left;
}

function parseAnd(c: Cursor): Expr {
  let left = parseNot(c);
  while (c.isWord('AND')) {
    const op = c.next();
    left = binary('AND', op, left, parseNot(c));
  }
  return left;
}

function parseNot(c: Cursor): Expr {
  const not = c.eatWord('NOT');
  if (!not) return parseComparison(c);
  c.enter();
  const operand = parseNot(c);
  c.leave();
  return { kind: 'unary', op: 'NOT', operand, range: span(not, operand.range) };
}

const COMPARISONS: Record<string, BinaryOperator> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

function parseComparison(c: Cursor): Expr {
  let left = parseAdditive(c);
  for (;;) {
    const l = c.peek();
    const comparison = l.kind === 'operator' ? COMPARISONS[l.text] : undefined;
    if (comparison) {
      c.next();
      left = binary(comparison, l, left, parseAdditive(c));
    } else if (c.isWord('IS')) {
      left = parseIs(c, left);
    } else {
      const negated = c.isWord('NOT') && ['BETWEEN', 'IN', 'LIKE'].some((w) => c.isWord(w, 1));
      if (negated) c.next();
      if (c.eatWord('BETWEEN')) {
        const low = parseAdditive(c);
        c.expectWord('AND', 'BETWEEN is written x BETWEEN low AND high: AND is missing.');
        const high = parseAdditive(c);
        left = {
          kind: 'between',
          negated,
          operand: left,
          low,
          high,
          range: span(left.range, high.range),
        };
      } else if (c.eatWord('IN')) {
        left = parseInList(c, left, negated);
      } else if (c.eatWord('LIKE')) {
        const pattern = parseAdditive(c);
        const escapeExpr = c.eatWord('ESCAPE') ? parseAdditive(c) : undefined;
        const end = escapeExpr ?? pattern;
        left = {
          kind: 'like',
          negated,
          operand: left,
          pattern,
          ...(escapeExpr ? { escape: escapeExpr } : {}),
          range: span(left.range, end.range),
        };
      } else {
        return left;
      }
    }
  }
}

function parseIs(c: Cursor, operand: Expr): Expr {
  c.next();
  const negated = c.eatWord('NOT') !== undefined;
  const l = c.peek();
  const word = l.kind === 'word' ? l.text.toUpperCase() : '';
  const test = word === 'NULL' || word === 'UNKNOWN' ? 'null' : word === 'TRUE' ? 'true' : 'false';
  if (word !== 'NULL' && word !== 'UNKNOWN' && word !== 'TRUE' && word !== 'FALSE') {
    c.fail(
      'expression.syntax',
      `After IS${negated ? ' NOT' : ''}, write NULL, TRUE or FALSE. Found ${c.describe(l)}. To compare values, use = instead of IS.`,
    );
  }
  c.next();
  return { kind: 'is', test, negated, operand, range: span(operand.range, l) };
}

function parseInList(c: Cursor, operand: Expr, negated: boolean): Expr {
  c.expectSymbol('(', 'IN needs a list of values in parentheses, like x IN (1, 2, 3).');
  if (c.isSymbol(')'))
    c.fail('expression.syntax', 'The IN list is empty: put at least one value in it.');
  c.enter();
  const list = [c.expression(c)];
  while (c.eatSymbol(',')) list.push(c.expression(c));
  c.leave();
  const close = c.expectSymbol(
    ')',
    'The IN list is missing its closing ). Separate values with commas.',
  );
  return { kind: 'in', negated, operand, list, range: span(operand.range, close) };
}

function parseAdditive(c: Cursor): Expr {
  let left = parseMultiplicative(c);
  while (c.isSymbol('+') || c.isSymbol('-')) {
    const op = c.next();
    left = binary(op.text as BinaryOperator, op, left, parseMultiplicative(c));
  }
  return left;
}

function parseMultiplicative(c: Cursor): Expr {
  let left = parseUnary(c);
  while (c.isSymbol('*') || c.isSymbol('/') || c.isSymbol('%') || c.isSymbol('||')) {
    const op = c.next();
    left = binary(op.text as BinaryOperator, op, left, parseUnary(c));
  }
  return left;
}

function parseUnary(c: Cursor): Expr {
  if (!c.isSymbol('-') && !c.isSymbol('+')) return parsePrimary(c);
  const op = c.next();
  c.enter();
  const operand = parseUnary(c);
  c.leave();
  const range = span(op, operand.range);
  // Fold the sign into a number literal, so -5 is one literal (and compiles as a constant).
  if (
    operand.kind === 'literal' &&
    typeof operand.value === 'number' &&
    (operand.valueType === 'long' || operand.valueType === 'double')
  ) {
    const value = op.text === '-' ? -operand.value : operand.value;
    return { ...operand, value: value === 0 ? 0 : value, range };
  }
  return { kind: 'unary', op: op.text === '-' ? '-' : '+', operand, range };
}

function binary(op: BinaryOperator, opRange: SourceRange, left: Expr, right: Expr): Expr {
  return {
    kind: 'binary',
    op,
    left,
    right,
    opRange: { start: opRange.start, end: opRange.end },
    range: span(left.range, right.range),
  };
}
