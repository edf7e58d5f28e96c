import type { TypedExpr } from '@sluice/shared';
import { remainder } from './arithmetic.js';
import { argOr, strict1, strict2 } from './strict.js';
import { checkedLong, type Evaluator } from './values.js';

type Builder = (
  args: readonly Evaluator[],
  node: Extract<TypedExpr, { kind: 'call' }>,
) => Evaluator;

/**
 * Rounds half away from zero at `digits` decimal places, on the shortest
 * decimal form of the number (as Flink does through BigDecimal.valueOf), so
 * ROUND(1.005, 2) is 1.01 although 1.005 is stored as 1.00499999...
 */
export function roundHalfUp(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e') as [string, string];
  const significant = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  // x = 0.d1d2d3... × 10^(exponent + 1); keep `keep` significant digits.
  const keep = exponent + 1 + digits;
  if (keep >= significant.length) return x;
  if (keep < 0) return 0;
  const roundUp = (significant[keep] ?? '0') >= '5';
  const kept = BigInt(significant.slice(0, keep) || '0') + (roundUp ? 1n : 0n);
  const result = Number(`${kept}e${exponent + 1 - keep}`);
  return x < 0 ? -result || 0 : result;
}

export const NUMERIC_FUNCTIONS: Readonly<Record<string, Builder>> = {
  ABS: ([x]) => strict1(x as Evaluator, Math.abs),
  ROUND: (args, node) => {
    const isLong = node.type === 'long';
    return strict2(args[0] as Evaluator, argOr(args, 1, 0), (x: number, digits: number) => {
      if (isLong && digits >= 0) return x;
      const rounded = roundHalfUp(x, digits);
      return isLong ? checkedLong(rounded, () => `ROUND(${x}, ${digits})`) : rounded;
    });
  },
  FLOOR: ([x]) => strict1(x as Evaluator, (v: number) => Math.floor(v) || 0),
  CEIL: ([x]) => strict1(x as Evaluator, (v: number) => Math.ceil(v) || 0),
  MOD: ([a, b]) => strict2(a as Evaluator, b as Evaluator, remainder),
  POWER: ([a, b]) => strict2(a as Evaluator, b as Evaluator, Math.pow),
  SQRT: ([x]) => strict1(x as Evaluator, Math.sqrt),
};
