// Compile-time checks that a wire schema and a type declared elsewhere (the
// engine's, the validator's) describe the same value, so neither can drift.

/** T with every `readonly` removed, at every depth: the wire has no readonly. */
export type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;

/**
 * True when A and B are the same type, readonly aside. Identity, not mutual
 * assignability: an optional field on one side only is a difference too.
 */
export type SameShape<A, B> =
  (<T>() => T extends Mutable<A> ? 1 : 2) extends <T>() => T extends Mutable<B> ? 1 : 2
    ? true
    : false;

/** Compiles only when T is true: `type _Check = Assert<SameShape<A, B>>`. */
export type Assert<T extends true> = T;
