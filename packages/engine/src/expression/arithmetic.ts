import type { ArithmeticOperator } from '@sluice/shared';
import { ExpressionError } from './error.js';
import { checkedLong } from './values.js';

const TWO_31 = 2 ** 31;

function zero(a: number, op: string): ExpressionError {
  return new ExpressionError('division-by-zero', `cannot compute ${a} ${op} 0: division by zero`);
}

/** Long division truncates toward zero, exactly (floating division can be off by one for huge values). */
export function divideLongs(a: number, b: number): number {
  if (b === 0) throw zero(a, '/');
  if (Math.abs(a) < TWO_31 && Math.abs(b) < TWO_31) return Math.trunc(a / b);
  return Number(BigInt(a) / BigInt(b));
}

/** The remainder has the sign of the dividend (as in Java and Flink); exact for doubles too. */
export function remainder(a: number, b: number): number {
  if (b === 0) throw zero(a, '%');
  const r = a % b;
  return r === 0 ? 0 : r;
}

export type NumberOp = (a: number, b: number) => number;

/** The operation on two non-null numbers of the result type. */
export function arithmetic(op: ArithmeticOperator, type: 'long' | 'double'): NumberOp {
  if (type === 'long') {
    switch (op) {
      case '+':
        return (a, b) => checkedLong(a + b, () => `${a} + ${b}`);
      case '-':
        return (a, b) => checkedLong(a - b, () => `${a} - ${b}`);
      case '*':
        return (a, b) => checkedLong(a * b, () => `${a} * ${b}`) || 0;
      case '/':
        return divideLongs;
      case '%':
        return remainder;
    }
  }
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return (a, b) => a * b;
    case '/':
      return (a, b) => {
        if (b === 0) throw zero(a, '/');
        return a / b;
      };
    case '%':
      return remainder;
  }
}
