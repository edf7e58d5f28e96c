import type { ComparisonOperator, TypedExpr } from '@sluice/shared';
import { arithmetic } from './arithmetic.js';
import { checkTextLength } from './limits.js';
import { type Evaluator, fieldReader, type Value } from './values.js';

type Node<K extends TypedExpr['kind']> = Extract<TypedExpr, { kind: K }>;
type Compile = (node: TypedExpr) => Evaluator;

const alwaysNull: Evaluator = () => null;

function isNullLiteral(node: TypedExpr): boolean {
  return node.kind === 'literal' && node.value === null;
}

export function compileUnary(node: Node<'unary'>, compile: Compile): Evaluator {
  const operand = compile(node.operand);
  if (node.op === 'NOT') {
    return (r) => {
      const v = operand(r);
      return v === null ? null : !v;
    };
  }
  if (node.op === '+') return operand;
  return (r) => {
    const v = operand(r) as number | null;
    return v === null ? null : v === 0 ? 0 : -v;
  };
}

export function compileBinary(node: Node<'binary'>, compile: Compile): Evaluator {
  const { op, left, right } = node;
  switch (op) {
    case 'AND':
      return and(compile(left), compile(right));
    case 'OR':
      return or(compile(left), compile(right));
    case '||': {
      const [a, b] = [compile(left), compile(right)];
      return (r) => {
        const x = a(r);
        if (x === null) return null;
        const y = b(r);
        if (y === null) return null;
        checkTextLength('||', (x as string).length + (y as string).length);
        return (x as string) + (y as string);
      };
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return compileArithmetic(node, compile);
    default:
      return compileComparison(op, left, right, compile);
  }
}

/** Three-valued AND: FALSE wins over NULL; the right side is not evaluated after FALSE. */
function and(a: Evaluator, b: Evaluator): Evaluator {
  return (r) => {
    const x = a(r);
    if (x === false) return false;
    const y = b(r);
    if (y === false) return false;
    return x === null || y === null ? null : true;
  };
}

/** Three-valued OR: TRUE wins over NULL; the right side is not evaluated after TRUE. */
function or(a: Evaluator, b: Evaluator): Evaluator {
  return (r) => {
    const x = a(r);
    if (x === true) return true;
    const y = b(r);
    if (y === true) return true;
    return x === null || y === null ? null : false;
  };
}

function compileArithmetic(node: Node<'binary'>, compile: Compile): Evaluator {
  const { left, right } = node;
  if (node.type === 'null' || isNullLiteral(left) || isNullLiteral(right)) return alwaysNull;
  const f = arithmetic(node.op as '+', node.type === 'long' ? 'long' : 'double');
  // Two fields: read both inline, no intermediate closures.
  if (left.kind === 'field' && right.kind === 'field') {
    const a = fieldReader(left.name, left.type);
    const b = fieldReader(right.name, right.type);
    return (r) => {
      const x = a(r);
      if (x === null) return null;
      const y = b(r);
      return y === null ? null : f(x as number, y as number);
    };
  }
  if (right.kind === 'literal') {
    const a = compile(left);
    const k = right.value as number;
    return (r) => {
      const x = a(r);
      return x === null ? null : f(x as number, k);
    };
  }
  const a = compile(left);
  const b = compile(right);
  return (r) => {
    const x = a(r);
    if (x === null) return null;
    const y = b(r);
    return y === null ? null : f(x as number, y as number);
  };
}

export type Comparator = (a: Value, b: Value) => boolean;

/** Values of comparable types compare with JavaScript's operators: numbers, strings (by UTF-16 code unit), FALSE < TRUE. */
export function comparator(op: ComparisonOperator): Comparator {
  switch (op) {
    case '=':
      return (a, b) => a === b;
    case '<>':
      return (a, b) => a !== b;
    case '<':
      return (a, b) => (a as number) < (b as number);
    case '<=':
      return (a, b) => (a as number) <= (b as number);
    case '>':
      return (a, b) => (a as number) > (b as number);
    case '>=':
      return (a, b) => (a as number) >= (b as number);
  }
}

const MIRRORED: Record<ComparisonOperator, ComparisonOperator> = {
  '=': '=',
  '<>': '<>',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

function compileComparison(
  op: ComparisonOperator,
  left: TypedExpr,
  right: TypedExpr,
  compile: Compile,
): Evaluator {
  if (isNullLiteral(left) || isNullLiteral(right)) return alwaysNull;
  if (left.kind === 'literal' && right.kind === 'field') {
    return fieldVersusLiteral(MIRRORED[op], right, left.value, compile);
  }
  if (right.kind === 'literal' && left.kind === 'field') {
    return fieldVersusLiteral(op, left, right.value, compile);
  }
  const cmp = comparator(op);
  const a = compile(left);
  const b = compile(right);
  return (r) => {
    const x = a(r);
    if (x === null) return null;
    const y = b(r);
    return y === null ? null : cmp(x, y);
  };
}

/** The most common filter shape (`amount > 100`), with the operator inlined. */
function fieldVersusLiteral(
  op: ComparisonOperator,
  field: Node<'field'>,
  k: Value,
  compile: Compile,
): Evaluator {
  const read = compile(field);
  switch (op) {
    case '=':
      return (r) => {
        const v = read(r);
        return v === null ? null : v === k;
      };
    case '<>':
      return (r) => {
        const v = read(r);
        return v === null ? null : v !== k;
      };
    case '<':
      return (r) => {
        const v = read(r);
        return v === null ? null : (v as number) < (k as number);
      };
    case '<=':
      return (r) => {
        const v = read(r);
        return v === null ? null : (v as number) <= (k as number);
      };
    case '>':
      return (r) => {
        const v = read(r);
        return v === null ? null : (v as number) > (k as number);
      };
    case '>=':
      return (r) => {
        const v = read(r);
        return v === null ? null : (v as number) >= (k as number);
      };
  }
}
