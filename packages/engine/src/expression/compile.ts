import type { TypedExpr } from '@sluice/shared';
import { castFailure, conversion, FAILED } from './cast.js';
import { ExpressionError } from './error.js';
import { FUNCTION_RUNTIMES } from './functions.js';
import { checkFinite, checkTimestamp } from './limits.js';
import { compileBinary, compileUnary } from './operators.js';
import { compileBetween, compileIn, compileIs, compileLikePredicate } from './predicates.js';
import { type Evaluator, fieldReader, type Value } from './values.js';

/** A compiled expression: call it once per record. Throws only `ExpressionError`. */
export type CompiledExpression = (record: Readonly<Record<string, unknown>>) => unknown;

/**
 * Compiles a type-checked expression into a tree of closures, once per
 * operator. No text is ever run as code (no eval, no Function, no vm).
 */
export function compileExpression(expr: TypedExpr): CompiledExpression {
  const compiled = compileNode(expr);
  // NaN and infinities may occur within an expression, but no output can hold them as a result.
  const check =
    expr.type === 'double' ? checkFinite : expr.type === 'timestamp' ? checkTimestamp : undefined;
  const root: Evaluator = check
    ? (record) => {
        const value = compiled(record);
        check(value);
        return value;
      }
    : compiled;
  return (record) => {
    try {
      return root(record);
    } catch (error) {
      if (error instanceof ExpressionError) throw error;
      // A safety net: whatever else goes wrong with one record is that record's error.
      const reason = error instanceof Error ? error.message : String(error);
      throw new ExpressionError('internal', `the expression could not be evaluated: ${reason}`);
    }
  };
}

function compileNode(node: TypedExpr): Evaluator {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'field':
      return fieldReader(node.name, node.type);
    case 'unary':
      return compileUnary(node, compileNode);
    case 'binary':
      return compileBinary(node, compileNode);
    case 'is':
      return compileIs(node, compileNode);
    case 'between':
      return compileBetween(node, compileNode);
    case 'in':
      return compileIn(node, compileNode);
    case 'like':
      return compileLikePredicate(node, compileNode);
    case 'case':
      return compileCase(node);
    case 'cast':
      return compileCast(node);
    case 'call': {
      const build = FUNCTION_RUNTIMES[node.name];
      if (!build)
        throw new Error(`no runtime for function ${node.name}; was the expression checked?`);
      return build(node.args.map(compileNode), node);
    }
  }
}

function compileCase(node: Extract<TypedExpr, { kind: 'case' }>): Evaluator {
  const whens = node.branches.map((b) => compileNode(b.when));
  const results = node.branches.map((b) => compileNode(b.result));
  const otherwise = node.otherwise ? compileNode(node.otherwise) : () => null;
  const count = whens.length;
  if (!node.subject) {
    return (r) => {
      for (let i = 0; i < count; i++) {
        if ((whens[i] as Evaluator)(r) === true) return (results[i] as Evaluator)(r);
      }
      return otherwise(r);
    };
  }
  const subject = compileNode(node.subject);
  return (r) => {
    const v = subject(r);
    if (v !== null) {
      for (let i = 0; i < count; i++) {
        if ((whens[i] as Evaluator)(r) === v) return (results[i] as Evaluator)(r);
      }
    }
    return otherwise(r);
  };
}

function compileCast(node: Extract<TypedExpr, { kind: 'cast' }>): Evaluator {
  const operand = compileNode(node.operand);
  const convert = conversion(node.operand.type, node.target);
  const target = node.target;
  if (node.safe) {
    return (r) => {
      const v = operand(r);
      if (v === null) return null;
      const out = convert(v);
      return out === FAILED ? null : out;
    };
  }
  return (r) => {
    const v = operand(r);
    if (v === null) return null;
    const out = convert(v);
    if (out === FAILED) throw castFailure(v, target);
    return out as Value;
  };
}
