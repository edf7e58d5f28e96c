import type { Field } from '../schema/field.js';
import type { Expr, ExpressionProblem, ExprType, SourceRange, TypedExpr } from './ast.js';
import { type ExpressionProblemCode, problem, quoteSource } from './problem.js';

/** What the checker carries while it walks one expression. */
export class CheckContext {
  readonly problems: ExpressionProblem[] = [];
  readonly referenced = new Set<string>();
  readonly fields = new Map<string, Field>();

  constructor(
    readonly text: string,
    readonly fieldList: readonly Field[],
  ) {
    for (const f of fieldList) this.fields.set(f.name, f);
  }

  report(code: ExpressionProblemCode, message: string, range: SourceRange): undefined {
    this.problems.push(problem(code, message, range));
    return undefined;
  }

  /** The source text of a node, for quoting in messages. */
  source(node: Expr | TypedExpr): string {
    return quoteSource(this.text, node.range);
  }
}

export function isNumeric(t: ExprType): t is 'long' | 'double' {
  return t === 'long' || t === 'double';
}

/** "a string", "a long", "NULL" */
export function aType(t: ExprType): string {
  return t === 'null' ? 'NULL' : `a ${t}`;
}

/** Whether two values can be compared with =, <, IN, BETWEEN. */
export function comparable(a: ExprType, b: ExprType): boolean {
  return a === 'null' || b === 'null' || a === b || (isNumeric(a) && isNumeric(b));
}

/** How to make two incomparable operands comparable, in an analyst's words. */
export function comparisonHint(ctx: CheckContext, a: TypedExpr, b: TypedExpr): string {
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    if (x.type === 'timestamp' && y.type === 'string') {
      return y.kind === 'literal'
        ? `Write the text as a timestamp: TIMESTAMP '${String(y.value)}'.`
        : `Convert the text with TO_TIMESTAMP(${ctx.source(y)}).`;
    }
    if (isNumeric(x.type) && y.type === 'string') {
      if (
        y.kind === 'literal' &&
        /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(String(y.value))
      ) {
        return `Remove the quotes to write a number: ${String(y.value).trim()}.`;
      }
      return `Convert one side with CAST, e.g. CAST(${ctx.source(y)} AS DOUBLE).`;
    }
  }
  return 'Convert one side with CAST(... AS type) so both have the same type.';
}

/**
 * The one type that values of all these nodes can share: equal types, long
 * and double (giving double), NULL fitting anything. Reports and gives
 * undefined when there is none.
 */
export function commonType(
  ctx: CheckContext,
  nodes: readonly TypedExpr[],
  what: string,
): ExprType | undefined {
  let result: ExprType = 'null';
  let first: TypedExpr | undefined;
  for (const node of nodes) {
    if (node.type === 'null') continue;
    if (!first || result === 'null') {
      first = node;
      result = node.type;
    } else if (result !== node.type) {
      if (isNumeric(result) && isNumeric(node.type)) {
        result = 'double';
      } else {
        return ctx.report(
          'expression.type-mismatch',
          `${what} must all have the same type, but ${ctx.source(first)} is ${aType(first.type)} and ${ctx.source(node)} is ${aType(node.type)}. Use CAST(... AS type) to make them the same.`,
          node.range,
        );
      }
    }
  }
  return result;
}
