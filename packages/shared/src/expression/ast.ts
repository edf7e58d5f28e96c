import type { FieldType } from '../schema/field.js';

/** Offsets into the expression text; `end` is exclusive. */
export interface SourceRange {
  readonly start: number;
  readonly end: number;
}

/** A field type, or `null` for the type of the bare NULL literal (it fits anywhere). */
export type ExprType = FieldType | 'null';

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type BinaryOperator = ArithmeticOperator | ComparisonOperator | '||' | 'AND' | 'OR';
export type UnaryOperator = '-' | '+' | 'NOT';

/**
 * One node shape, extended by `X`: the parser's `Expr` adds nothing, the
 * checker's `TypedExpr` adds the node's `type`. One definition, so the two never drift.
 */
export type ExprNode<X> =
  | (X & {
      readonly kind: 'literal';
      readonly range: SourceRange;
      /** Strings, numbers (timestamps as epoch milliseconds), booleans, or null. */
      readonly value: string | number | boolean | null;
      readonly valueType: ExprType;
    })
  | (X & {
      readonly kind: 'field';
      readonly range: SourceRange;
      readonly name: string;
      /** Written with backticks. */
      readonly quoted: boolean;
    })
  | (X & {
      readonly kind: 'unary';
      readonly range: SourceRange;
      readonly op: UnaryOperator;
      readonly operand: ExprNode<X>;
    })
  | (X & {
      readonly kind: 'binary';
      readonly range: SourceRange;
      readonly op: BinaryOperator;
      readonly opRange: SourceRange;
      readonly left: ExprNode<X>;
      readonly right: ExprNode<X>;
    })
  | (X & {
      readonly kind: 'is';
      readonly range: SourceRange;
      readonly test: 'null' | 'true' | 'false';
      readonly negated: boolean;
      readonly operand: ExprNode<X>;
    })
  | (X & {
      readonly kind: 'between';
      readonly range: SourceRange;
      readonly negated: boolean;
      readonly operand: ExprNode<X>;
      readonly low: ExprNode<X>;
      readonly high: ExprNode<X>;
    })
  | (X & {
      readonly kind: 'in';
      readonly range: SourceRange;
      readonly negated: boolean;
      readonly operand: ExprNode<X>;
      readonly list: readonly ExprNode<X>[];
    })
  | (X & {
      readonly kind: 'like';
      readonly range: SourceRange;
      readonly negated: boolean;
      readonly operand: ExprNode<X>;
      readonly pattern: ExprNode<X>;
      readonly escape?: ExprNode<X>;
    })
  | (X & {
      readonly kind: 'case';
      readonly range: SourceRange;
      /** Present for the simple form `CASE x WHEN 1 THEN ...`. */
      readonly subject?: ExprNode<X>;
      readonly branches: readonly { readonly when: ExprNode<X>; readonly result: ExprNode<X> }[];
      readonly otherwise?: ExprNode<X>;
    })
  | (X & {
      readonly kind: 'cast';
      readonly range: SourceRange;
      /** TRY_CAST: a value that cannot be converted gives NULL instead of an error. */
      readonly safe: boolean;
      readonly operand: ExprNode<X>;
      readonly target: FieldType;
      readonly targetRange: SourceRange;
    })
  | (X & {
      readonly kind: 'call';
      readonly range: SourceRange;
      /** Upper-case function name. */
      readonly name: string;
      readonly nameRange: SourceRange;
      readonly args: readonly ExprNode<X>[];
    });

/** An expression as parsed, before type checking. */
export type Expr = ExprNode<unknown>;

/** A type-checked expression: every node carries the type of the value it gives. */
export type TypedExpr = ExprNode<{ readonly type: ExprType }>;

export interface ExpressionProblem {
  /** Stable kebab-case code prefixed `expression.`, e.g. `expression.unknown-field`. */
  readonly code: string;
  /** For the analyst: what is wrong and how to fix it. */
  readonly message: string;
  readonly range: SourceRange;
}

/** The direct sub-expressions of a node, in source order. */
export function childrenOf<X>(node: ExprNode<X>): ExprNode<X>[] {
  switch (node.kind) {
    case 'literal':
    case 'field':
      return [];
    case 'unary':
    case 'is':
    case 'cast':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'between':
      return [node.operand, node.low, node.high];
    case 'in':
      return [node.operand, ...node.list];
    case 'like':
      return node.escape ? [node.operand, node.pattern, node.escape] : [node.operand, node.pattern];
    case 'case': {
      const out: ExprNode<X>[] = node.subject ? [node.subject] : [];
      for (const b of node.branches) out.push(b.when, b.result);
      if (node.otherwise) out.push(node.otherwise);
      return out;
    }
    case 'call':
      return [...node.args];
  }
}

/** The depth of the tree (a lone literal is 1), computed without recursion. */
export function depthOf<X>(root: ExprNode<X>): number {
  let max = 0;
  const stack: [ExprNode<X>, number][] = [[root, 1]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > max) max = depth;
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return max;
}
