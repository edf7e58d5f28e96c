import type { Expr, ExprType, TypedExpr } from './ast.js';
import {
  aType,
  type CheckContext,
  commonType,
  comparable,
  comparisonHint,
  isNumeric,
} from './check-context.js';
import { checkCallLiterals } from './check-literals.js';
import {
  AGGREGATE_NAMES,
  FUNCTION_DEFINITIONS,
  findFunction,
  type ParamKind,
} from './functions.js';
import { closest } from './problem.js';

type CallExpr = Extract<Expr, { kind: 'call' }>;
type CheckNode = (ctx: CheckContext, node: Expr) => TypedExpr | undefined;

const FUNCTION_NAMES = FUNCTION_DEFINITIONS.map((d) => d.name);
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

function fits(kind: ParamKind, type: ExprType): boolean {
  if (kind === 'any' || type === 'null') return true;
  if (kind === 'numeric') return isNumeric(type);
  return (kind as string) === type;
}

function kindLabel(kind: ParamKind): string {
  if (kind === 'numeric') return 'a number';
  if (kind === 'long') return 'a whole number (long)';
  return kind === 'any' ? 'a value' : aType(kind);
}

function conversionHint(kind: ParamKind, arg: TypedExpr, source: string): string {
  if (kind === 'string') return ` Convert it with CAST(${source} AS STRING).`;
  if (kind === 'long' && arg.type === 'double')
    return ` Convert it with CAST(${source} AS BIGINT).`;
  if ((kind === 'long' || kind === 'numeric') && arg.type === 'string') {
    return ` If it holds numbers, convert it with CAST(${source} AS ${kind === 'long' ? 'BIGINT' : 'DOUBLE'}).`;
  }
  if (kind === 'timestamp' && arg.type === 'string')
    return ` Convert it with TO_TIMESTAMP(${source}).`;
  if (kind === 'boolean') return ' Write a condition, such as x > 0.';
  return '';
}

export function checkCall(
  ctx: CheckContext,
  node: CallExpr,
  checkNode: CheckNode,
): TypedExpr | undefined {
  const def = findFunction(node.name);
  const args = node.args.map((a) => checkNode(ctx, a));
  if (!def) {
    if (AGGREGATE_NAMES.has(node.name)) {
      return ctx.report(
        'expression.unknown-function',
        `${node.name} adds up many records, so it cannot be used in an expression on one record. Use an Aggregate step for it.`,
        node.nameRange,
      );
    }
    const guess = closest(node.name, FUNCTION_NAMES);
    return ctx.report(
      'expression.unknown-function',
      `Unknown function ${node.name}.${guess ? ` Did you mean ${guess}?` : ''} The expression reference lists every function.`,
      node.nameRange,
    );
  }
  const min = def.params.length;
  const max = def.variadic ? Number.POSITIVE_INFINITY : min + (def.optional?.length ?? 0);
  if (args.length < min || args.length > max) {
    const count =
      max === min
        ? `${min}`
        : max === Number.POSITIVE_INFINITY
          ? `at least ${min}`
          : `${min} to ${max}`;
    return ctx.report(
      'expression.wrong-argument-count',
      `${def.name} takes ${count} argument${max === 1 ? '' : 's'} (${def.signature}), but was given ${args.length}.`,
      node.range,
    );
  }
  if (args.some((a) => a === undefined)) return undefined;
  const typed = args as TypedExpr[];
  for (const [i, arg] of typed.entries()) {
    const kind = def.params[i] ?? def.optional?.[i - min] ?? def.variadic ?? 'any';
    if (!fits(kind, arg.type)) {
      const source = ctx.source(arg);
      return ctx.report(
        'expression.type-mismatch',
        `${def.name} needs ${kindLabel(kind)} as its ${ORDINALS[i] ?? `${i + 1}th`} argument, but ${source} is ${aType(arg.type)}.${conversionHint(kind, arg, source)}`,
        arg.range,
      );
    }
  }
  const type = resultType(ctx, def.name, def.returns, typed);
  if (type === undefined || !checkCallLiterals(ctx, def.sameAs ?? def.name, typed))
    return undefined;
  return { ...node, name: def.sameAs ?? def.name, args: typed, type };
}

function resultType(
  ctx: CheckContext,
  name: string,
  rule: (typeof FUNCTION_DEFINITIONS)[number]['returns'],
  args: readonly TypedExpr[],
): ExprType | undefined {
  const [first, second] = args;
  switch (rule) {
    case 'first':
      if (name === 'NULLIF' && first && second && !comparable(first.type, second.type)) {
        return ctx.report(
          'expression.type-mismatch',
          `NULLIF cannot compare ${ctx.source(first)} (${aType(first.type)}) with ${ctx.source(second)} (${aType(second.type)}). ${comparisonHint(ctx, first, second)}`,
          second.range,
        );
      }
      return first?.type ?? 'null';
    case 'numeric':
      return args.some((a) => a.type === 'double')
        ? 'double'
        : args.some((a) => a.type === 'long')
          ? 'long'
          : 'null';
    case 'common':
      return commonType(ctx, args, `The arguments of ${name}`);
    case 'common-after-first':
      return commonType(ctx, args.slice(1), `The two values of ${name}`);
    default:
      return rule;
  }
}
