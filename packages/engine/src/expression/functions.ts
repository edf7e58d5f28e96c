import type { TypedExpr } from '@sluice/shared';
import { NUMERIC_FUNCTIONS } from './functions-numeric.js';
import { REGEX_FUNCTIONS } from './functions-regex.js';
import { TEXT_FUNCTIONS } from './functions-text.js';
import { TIME_FUNCTIONS } from './functions-time.js';
import type { Evaluator } from './values.js';

type CallNode = Extract<TypedExpr, { kind: 'call' }>;
type Builder = (args: readonly Evaluator[], node: CallNode) => Evaluator;

/** COALESCE, NULLIF, IFNULL and IF evaluate lazily and handle NULL themselves. */
const CONDITIONAL_FUNCTIONS: Readonly<Record<string, Builder>> = {
  COALESCE: (args) => (r) => {
    for (const arg of args) {
      const v = arg(r);
      if (v !== null) return v;
    }
    return null;
  },
  IFNULL: ([a, b]) => {
    const [x, y] = [a as Evaluator, b as Evaluator];
    return (r) => {
      const v = x(r);
      return v !== null ? v : y(r);
    };
  },
  NULLIF: ([a, b]) => {
    const [x, y] = [a as Evaluator, b as Evaluator];
    return (r) => {
      const v = x(r);
      if (v === null) return null;
      return v === y(r) ? null : v;
    };
  },
  IF: ([condition, a, b]) => {
    const [c, x, y] = [condition as Evaluator, a as Evaluator, b as Evaluator];
    return (r) => (c(r) === true ? x(r) : y(r));
  },
};

/** Every function's runtime, by the canonical (upper-case) name the checker gives. */
export const FUNCTION_RUNTIMES: Readonly<Record<string, Builder>> = {
  ...TEXT_FUNCTIONS,
  ...NUMERIC_FUNCTIONS,
  ...TIME_FUNCTIONS,
  ...REGEX_FUNCTIONS,
  ...CONDITIONAL_FUNCTIONS,
};
