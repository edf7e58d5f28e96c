import type { Evaluator, Value } from './values.js';

/*
 * Most functions give NULL when any argument is NULL. These wrappers say so
 * once; the argument types were checked, hence the casts.
 */

export function strict1<A>(a: Evaluator, f: (x: A) => Value): Evaluator {
  return (r) => {
    const x = a(r);
    return x === null ? null : f(x as A);
  };
}

export function strict2<A, B>(a: Evaluator, b: Evaluator, f: (x: A, y: B) => Value): Evaluator {
  return (r) => {
    const x = a(r);
    if (x === null) return null;
    const y = b(r);
    return y === null ? null : f(x as A, y as B);
  };
}

export function strict3<A, B, C>(
  a: Evaluator,
  b: Evaluator,
  c: Evaluator,
  f: (x: A, y: B, z: C) => Value,
): Evaluator {
  return (r) => {
    const x = a(r);
    if (x === null) return null;
    const y = b(r);
    if (y === null) return null;
    const z = c(r);
    return z === null ? null : f(x as A, y as B, z as C);
  };
}

/** The argument at `index`, or a constant when it was left out. */
export function argOr(args: readonly Evaluator[], index: number, fallback: Value): Evaluator {
  return args[index] ?? (() => fallback);
}
