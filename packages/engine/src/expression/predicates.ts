import type { TypedExpr } from '@sluice/shared';
import { BoundedCache } from './bounded-cache.js';
import { compileLike, type LikeMatcher } from './like-matcher.js';
import type { Evaluator, Value } from './values.js';

type Node<K extends TypedExpr['kind']> = Extract<TypedExpr, { kind: K }>;
type Compile = (node: TypedExpr) => Evaluator;

export function compileIs(node: Node<'is'>, compile: Compile): Evaluator {
  const operand = compile(node.operand);
  const target: Value = node.test === 'null' ? null : node.test === 'true';
  return node.negated ? (r) => operand(r) !== target : (r) => operand(r) === target;
}

function not(v: boolean | null, negated: boolean): boolean | null {
  return v === null || !negated ? v : !v;
}

export function compileBetween(node: Node<'between'>, compile: Compile): Evaluator {
  const [operand, low, high] = [compile(node.operand), compile(node.low), compile(node.high)];
  const negated = node.negated;
  // x BETWEEN a AND b is x >= a AND x <= b, with three-valued AND.
  return (r) => {
    const v = operand(r) as number | null;
    const lo = low(r) as number | null;
    const hi = high(r) as number | null;
    const aboveLow = v === null || lo === null ? null : v >= lo;
    const belowHigh = v === null || hi === null ? null : v <= hi;
    const inside =
      aboveLow === false || belowHigh === false
        ? false
        : aboveLow === null || belowHigh === null
          ? null
          : true;
    return not(inside, negated);
  };
}

export function compileIn(node: Node<'in'>, compile: Compile): Evaluator {
  const operand = compile(node.operand);
  const negated = node.negated;
  if (node.list.every((item) => item.kind === 'literal')) {
    // A literal list becomes a set: one lookup per record.
    const values = new Set<Value>();
    let hasNull = false;
    for (const item of node.list) {
      const value = (item as Node<'literal'>).value;
      if (value === null) hasNull = true;
      else values.add(value);
    }
    return (r) => {
      const v = operand(r);
      if (v === null) return null;
      if (values.has(v)) return !negated;
      return hasNull ? null : negated;
    };
  }
  const list = node.list.map(compile);
  return (r) => {
    const v = operand(r);
    if (v === null) return null;
    let sawNull = false;
    for (const item of list) {
      const x = item(r);
      if (x === null) sawNull = true;
      else if (x === v) return !negated;
    }
    return sawNull ? null : negated;
  };
}

const likeCache = new BoundedCache<LikeMatcher>(64);

export function compileLikePredicate(node: Node<'like'>, compile: Compile): Evaluator {
  const operand = compile(node.operand);
  const negated = node.negated;
  const escapeValue = node.escape?.kind === 'literal' ? node.escape.value : undefined;
  if (node.escape && escapeValue === null) return () => null;
  const escapeChar = typeof escapeValue === 'string' ? escapeValue : undefined;
  if (node.pattern.kind === 'literal') {
    if (node.pattern.value === null) return () => null;
    const match = compileLike(node.pattern.value as string, escapeChar);
    return (r) => {
      const s = operand(r);
      return s === null ? null : match(s as string) !== negated;
    };
  }
  const pattern = compile(node.pattern);
  const key = escapeChar === undefined ? '' : `${escapeChar.length}:${escapeChar}`;
  return (r) => {
    const s = operand(r);
    if (s === null) return null;
    const p = pattern(r);
    if (p === null) return null;
    const match = likeCache.get(`${key}|${p as string}`, () =>
      compileLike(p as string, escapeChar),
    );
    return match(s as string) !== negated;
  };
}
