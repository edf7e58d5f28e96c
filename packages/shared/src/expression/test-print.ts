import type { ExprNode } from './ast.js';

/** A compact, fully parenthesised rendering of a tree, for tests: (+ 1 (* 2 3)). */
export function sexpr<X>(node: ExprNode<X>): string {
  switch (node.kind) {
    case 'literal':
      return node.valueType === 'string'
        ? `'${String(node.value)}'`
        : node.valueType === 'timestamp'
          ? `ts:${String(node.value)}`
          : String(node.value);
    case 'field':
      return node.name;
    case 'unary':
      return `(${node.op} ${sexpr(node.operand)})`;
    case 'binary':
      return `(${node.op} ${sexpr(node.left)} ${sexpr(node.right)})`;
    case 'is':
      return `(is${node.negated ? '-not' : ''}-${node.test} ${sexpr(node.operand)})`;
    case 'between':
      return `(${node.negated ? 'not-' : ''}between ${sexpr(node.operand)} ${sexpr(node.low)} ${sexpr(node.high)})`;
    case 'in':
      return `(${node.negated ? 'not-' : ''}in ${sexpr(node.operand)} ${node.list.map(sexpr).join(' ')})`;
    case 'like':
      return `(${node.negated ? 'not-' : ''}like ${sexpr(node.operand)} ${sexpr(node.pattern)}${node.escape ? ` ${sexpr(node.escape)}` : ''})`;
    case 'case':
      return `(case${node.subject ? ` ${sexpr(node.subject)}` : ''}${node.branches
        .map((b) => ` [${sexpr(b.when)} ${sexpr(b.result)}]`)
        .join('')}${node.otherwise ? ` else ${sexpr(node.otherwise)}` : ''})`;
    case 'cast':
      return `(${node.safe ? 'try_cast' : 'cast'} ${sexpr(node.operand)} ${node.target})`;
    case 'call':
      return `(${node.name}${node.args.map((a) => ` ${sexpr(a)}`).join('')})`;
  }
}
