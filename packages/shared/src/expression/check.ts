import { type Field, type FieldType, RESERVED_FIELD_NAMES } from '../schema/field.js';
import type { ArithmeticOperator, Expr, ExpressionProblem, ExprType, TypedExpr } from './ast.js';
import { checkCall } from './check-call.js';
import {
  aType,
  CheckContext,
  commonType,
  comparable,
  comparisonHint,
  isNumeric,
} from './check-context.js';
import { checkLikeLiterals } from './check-literals.js';
import { parseExpression } from './parser.js';
import { closest, problem } from './problem.js';

export interface CheckedExpression {
  /** Present only when there are no problems. */
  expr?: TypedExpr;
  /** The type of the value the expression gives; present only when there are no problems. */
  type?: ExprType;
  /** The declared fields the expression reads, in order of first use. */
  fields: string[];
  problems: ExpressionProblem[];
}

export interface CheckOptions {
  /** The type the expression must give (e.g. boolean for a filter). NULL fits any; long fits double. */
  expected?: FieldType;
}

/** Parses and type-checks an expression against the fields of its input. Never throws. */
export function checkExpression(
  text: string,
  fields: readonly Field[],
  options: CheckOptions = {},
): CheckedExpression {
  try {
    const parsed = parseExpression(text);
    if (!parsed.expr) return { fields: [], problems: parsed.problems };
    const ctx = new CheckContext(text, fields);
    const expr = checkNode(ctx, parsed.expr);
    const expected = options.expected;
    if (expr && expected && !fitsExpected(expr.type, expected)) {
      const source = ctx.source(expr);
      const shown = source.length <= 30 ? source : '…';
      const example =
        expr.type === 'string'
          ? `${shown} = 'some text'`
          : isNumeric(expr.type)
            ? `${shown} > 0`
            : `${shown} IS NOT NULL`;
      const hint =
        expected === 'boolean'
          ? ` Compare it to make a condition, e.g. ${example}.`
          : ` Use CAST(${shown} AS ${castName(expected)}) to convert it.`;
      ctx.report(
        'expression.type-mismatch',
        `This expression must give ${aType(expected)}${expected === 'boolean' ? ' (TRUE or FALSE)' : ''}, but it gives ${aType(expr.type)}.${hint}`,
        expr.range,
      );
    }
    const result: CheckedExpression = { fields: [...ctx.referenced], problems: ctx.problems };
    if (expr && ctx.problems.length === 0) {
      result.expr = expr;
      result.type = expr.type;
    }
    return result;
  } catch {
    // A safety net: an unforeseen failure is reported, never thrown.
    const range = { start: 0, end: typeof text === 'string' ? text.length : 0 };
    return {
      fields: [],
      problems: [problem('expression.syntax', 'This expression could not be checked.', range)],
    };
  }
}

function fitsExpected(type: ExprType, expected: FieldType): boolean {
  return type === expected || type === 'null' || (expected === 'double' && type === 'long');
}

export function castName(type: FieldType): string {
  return {
    string: 'STRING',
    long: 'BIGINT',
    double: 'DOUBLE',
    boolean: 'BOOLEAN',
    timestamp: 'TIMESTAMP',
  }[type];
}

export function checkNode(ctx: CheckContext, node: Expr): TypedExpr | undefined {
  switch (node.kind) {
    case 'literal':
      return { ...node, type: node.valueType };
    case 'field':
      return checkField(ctx, node);
    case 'unary':
      return checkUnary(ctx, node);
    case 'binary':
      return checkBinary(ctx, node);
    case 'is': {
      const operand = checkNode(ctx, node.operand);
      if (!operand) return undefined;
      if (node.test !== 'null' && operand.type !== 'boolean' && operand.type !== 'null') {
        return ctx.report(
          'expression.type-mismatch',
          `IS ${node.test.toUpperCase()} needs a condition, but ${ctx.source(operand)} is ${aType(operand.type)}.`,
          operand.range,
        );
      }
      return { ...node, operand, type: 'boolean' };
    }
    case 'between': {
      const [operand, low, high] = checkAll(ctx, [node.operand, node.low, node.high]);
      if (!operand || !low || !high) return undefined;
      if (!compare(ctx, operand, low, 'BETWEEN') || !compare(ctx, operand, high, 'BETWEEN'))
        return undefined;
      return { ...node, operand, low, high, type: 'boolean' };
    }
    case 'in': {
      const [operand, ...list] = checkAll(ctx, [node.operand, ...node.list]);
      if (!operand || list.some((x) => !x)) return undefined;
      const typed = list as TypedExpr[];
      if (!typed.every((item) => compare(ctx, operand, item, 'IN'))) return undefined;
      return { ...node, operand, list: typed, type: 'boolean' };
    }
    case 'like':
      return checkLike(ctx, node);
    case 'case':
      return checkCase(ctx, node);
    case 'cast':
      return checkCast(ctx, node);
    case 'call':
      return checkCall(ctx, node, checkNode);
  }
}

/** Checks every node (so every problem is reported), keeping their order. */
export function checkAll(ctx: CheckContext, nodes: readonly Expr[]): (TypedExpr | undefined)[] {
  return nodes.map((n) => checkNode(ctx, n));
}

function checkField(
  ctx: CheckContext,
  node: Extract<Expr, { kind: 'field' }>,
): TypedExpr | undefined {
  if (RESERVED_FIELD_NAMES.has(node.name)) {
    return ctx.report(
      'expression.reserved-name',
      `'${node.name}' is a reserved name and cannot be used as a field. Rename the field upstream.`,
      node.range,
    );
  }
  const field = ctx.fields.get(node.name);
  if (!field) {
    const names = ctx.fieldList.map((f) => f.name);
    const guess = closest(node.name, names);
    const hint =
      guess === undefined
        ? ''
        : guess.toLowerCase() === node.name.toLowerCase()
          ? ` Did you mean '${guess}'? Field names are case-sensitive.`
          : ` Did you mean '${guess}'?`;
    const list =
      names.length === 0 ? ' The input has no fields.' : ` Fields here: ${names.join(', ')}.`;
    const textHint =
      !node.quoted && guess === undefined
        ? " If you meant text, put it in single quotes: 'like this'."
        : '';
    return ctx.report(
      'expression.unknown-field',
      `Unknown field '${node.name}'.${hint}${list}${textHint}`,
      node.range,
    );
  }
  ctx.referenced.add(field.name);
  return { ...node, type: field.type };
}

function checkUnary(
  ctx: CheckContext,
  node: Extract<Expr, { kind: 'unary' }>,
): TypedExpr | undefined {
  const operand = checkNode(ctx, node.operand);
  if (!operand) return undefined;
  if (node.op === 'NOT') {
    if (operand.type !== 'boolean' && operand.type !== 'null') {
      return ctx.report(
        'expression.type-mismatch',
        `NOT needs a condition (TRUE or FALSE), but ${ctx.source(operand)} is ${aType(operand.type)}.`,
        operand.range,
      );
    }
    return { ...node, operand, type: 'boolean' };
  }
  if (!isNumeric(operand.type) && operand.type !== 'null') {
    return ctx.report(
      'expression.type-mismatch',
      `The sign ${node.op} needs a number, but ${ctx.source(operand)} is ${aType(operand.type)}.`,
      operand.range,
    );
  }
  return { ...node, operand, type: operand.type };
}

const ARITHMETIC_NAMES: Record<ArithmeticOperator, string> = {
  '+': 'Adding (+)',
  '-': 'Subtracting (-)',
  '*': 'Multiplying (*)',
  '/': 'Dividing (/)',
  '%': 'The remainder (%)',
};

function checkBinary(
  ctx: CheckContext,
  node: Extract<Expr, { kind: 'binary' }>,
): TypedExpr | undefined {
  const [left, right] = checkAll(ctx, [node.left, node.right]);
  if (!left || !right) return undefined;
  const op = node.op;
  if (op === 'AND' || op === 'OR') {
    for (const side of [left, right]) {
      if (side.type !== 'boolean' && side.type !== 'null') {
        const hint = isNumeric(side.type) ? ` Did you mean ${ctx.source(side)} > 0?` : '';
        return ctx.report(
          'expression.type-mismatch',
          `${op} joins conditions (TRUE or FALSE), but ${ctx.source(side)} is ${aType(side.type)}.${hint}`,
          side.range,
        );
      }
    }
    return { ...node, left, right, type: 'boolean' };
  }
  if (op === '||') {
    for (const side of [left, right]) {
      if (side.type !== 'string' && side.type !== 'null') {
        return ctx.report(
          'expression.type-mismatch',
          `|| joins text, but ${ctx.source(side)} is ${aType(side.type)}. Convert it with CAST(${ctx.source(side)} AS STRING).`,
          side.range,
        );
      }
    }
    return { ...node, left, right, type: 'string' };
  }
  if (op === '+' || op === '-' || op === '*' || op === '/' || op === '%') {
    for (const side of [left, right]) {
      if (!isNumeric(side.type) && side.type !== 'null') {
        const hint =
          side.type === 'string'
            ? op === '+'
              ? ' To join text, use || or CONCAT. If it holds numbers, convert it with CAST(' +
                `${ctx.source(side)} AS DOUBLE).`
              : ` If it holds numbers, convert it with CAST(${ctx.source(side)} AS DOUBLE).`
            : side.type === 'timestamp'
              ? ' Arithmetic on timestamps is not supported; use YEAR, HOUR, ... or DATE_FORMAT.'
              : '';
        return ctx.report(
          'expression.type-mismatch',
          `${ARITHMETIC_NAMES[op]} needs numbers, but ${ctx.source(side)} is ${aType(side.type)}.${hint}`,
          side.range,
        );
      }
    }
    if ((op === '/' || op === '%') && right.kind === 'literal' && right.value === 0) {
      return ctx.report(
        'expression.division-by-zero',
        'Dividing by zero is not possible: this would fail for every record.',
        right.range,
      );
    }
    const type: ExprType =
      left.type === 'double' || right.type === 'double'
        ? 'double'
        : left.type === 'long' || right.type === 'long'
          ? 'long'
          : 'null';
    return { ...node, left, right, type };
  }
  if (!compare(ctx, left, right, op)) return undefined;
  return { ...node, left, right, type: 'boolean' };
}

/** Reports and returns false when two operands cannot be compared. */
function compare(ctx: CheckContext, a: TypedExpr, b: TypedExpr, what: string): boolean {
  if (comparable(a.type, b.type)) return true;
  ctx.report(
    'expression.type-mismatch',
    `Cannot compare ${ctx.source(a)} (${aType(a.type)}) with ${ctx.source(b)} (${aType(b.type)}) ${/^[A-Z]/.test(what) ? 'in' : 'using'} ${what}. ${comparisonHint(ctx, a, b)}`,
    { start: Math.min(a.range.start, b.range.start), end: Math.max(a.range.end, b.range.end) },
  );
  return false;
}

function checkLike(
  ctx: CheckContext,
  node: Extract<Expr, { kind: 'like' }>,
): TypedExpr | undefined {
  const [operand, pattern, escapeExpr] = checkAll(
    ctx,
    node.escape ? [node.operand, node.pattern, node.escape] : [node.operand, node.pattern],
  );
  if (!operand || !pattern || (node.escape && !escapeExpr)) return undefined;
  for (const side of escapeExpr ? [operand, pattern, escapeExpr] : [operand, pattern]) {
    if (side.type !== 'string' && side.type !== 'null') {
      const role =
        side === operand ? 'the text' : side === pattern ? 'the pattern' : 'the ESCAPE character';
      return ctx.report(
        'expression.type-mismatch',
        `LIKE needs text for ${role}, but ${ctx.source(side)} is ${aType(side.type)}. Convert it with CAST(${ctx.source(side)} AS STRING).`,
        side.range,
      );
    }
  }
  if (!checkLikeLiterals(ctx, pattern, escapeExpr)) return undefined;
  return {
    kind: 'like',
    range: node.range,
    negated: node.negated,
    operand,
    pattern,
    ...(escapeExpr ? { escape: escapeExpr } : {}),
    type: 'boolean',
  };
}

function checkCase(
  ctx: CheckContext,
  node: Extract<Expr, { kind: 'case' }>,
): TypedExpr | undefined {
  const subject = node.subject ? checkNode(ctx, node.subject) : undefined;
  let ok = !node.subject || subject !== undefined;
  const branches: { when: TypedExpr; result: TypedExpr }[] = [];
  for (const b of node.branches) {
    const [when, result] = checkAll(ctx, [b.when, b.result]);
    if (!when || !result) {
      ok = false;
      continue;
    }
    if (subject) {
      if (!compare(ctx, subject, when, 'CASE')) ok = false;
    } else if (when.type !== 'boolean' && when.type !== 'null') {
      ok = false;
      ctx.report(
        'expression.type-mismatch',
        `WHEN needs a condition (TRUE or FALSE), but ${ctx.source(when)} is ${aType(when.type)}. To compare one value with several, write CASE value WHEN ... THEN ... END.`,
        when.range,
      );
    }
    branches.push({ when, result });
  }
  const otherwise = node.otherwise ? checkNode(ctx, node.otherwise) : undefined;
  if (!ok || (node.otherwise && !otherwise)) return undefined;
  const results = branches.map((b) => b.result);
  if (otherwise) results.push(otherwise);
  const type = commonType(ctx, results, 'The THEN and ELSE values of a CASE');
  if (type === undefined) return undefined;
  return {
    kind: 'case',
    range: node.range,
    ...(subject ? { subject } : {}),
    branches,
    ...(otherwise ? { otherwise } : {}),
    type,
  };
}

/** Conversions CAST allows; everything converts to and from text, and to itself. */
function castAllowed(from: ExprType, to: FieldType): boolean {
  if (from === 'null' || from === to || from === 'string' || to === 'string') return true;
  const numberish = (t: ExprType) => t === 'long' || t === 'double' || t === 'boolean';
  return numberish(from) && numberish(to);
}

function checkCast(
  ctx: CheckContext,
  node: Extract<Expr, { kind: 'cast' }>,
): TypedExpr | undefined {
  const operand = checkNode(ctx, node.operand);
  if (!operand) return undefined;
  if (!castAllowed(operand.type, node.target)) {
    const hint =
      node.target === 'timestamp' && isNumeric(operand.type)
        ? ` For epoch seconds or milliseconds, use TO_TIMESTAMP_LTZ(${ctx.source(operand)}, 0) or TO_TIMESTAMP_LTZ(${ctx.source(operand)}, 3).`
        : '';
    return ctx.report(
      'expression.invalid-cast',
      `${ctx.source(operand)} is ${aType(operand.type)} and cannot be converted to ${aType(node.target)}.${hint}`,
      node.range,
    );
  }
  return { ...node, operand, type: node.target };
}
