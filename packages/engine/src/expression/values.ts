import type { ExprType } from '@sluice/shared';
import { ExpressionError, showValue } from './error.js';

/** What an evaluated expression gives: string, number (long, double, timestamp), boolean or null. */
export type Value = string | number | boolean | null;
export type Record_ = Readonly<Record<string, unknown>>;
/** One compiled node: evaluates itself against a record. */
export type Evaluator = (record: Record_) => Value;

/** Whether a value read from a record has the declared type. */
const VALUE_CHECKS: Record<ExprType, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  long: (v) => Number.isSafeInteger(v),
  double: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  timestamp: (v) => Number.isSafeInteger(v),
  null: () => false,
};

function badValue(name: string, type: ExprType, value: unknown): ExpressionError {
  return new ExpressionError(
    'invalid-field-value',
    `field '${name}' should hold a ${type} but holds ${showValue(value)}`,
  );
}

/**
 * Reads a declared field; a missing field reads as NULL. The value is checked
 * against the declared type, so a wrongly typed record fails with a reason
 * instead of giving a wrong answer.
 */
export function fieldReader(name: string, type: ExprType): Evaluator {
  const check = VALUE_CHECKS[type];
  if (name in Object.prototype) {
    // A name such as `toString` must not reach the prototype when the record lacks it.
    return (record) => {
      const v = Object.hasOwn(record, name) ? record[name] : undefined;
      if (v === undefined || v === null) return null;
      if (!check(v)) throw badValue(name, type, v);
      return v as Value;
    };
  }
  return (record) => {
    const v = record[name];
    if (v === undefined || v === null) return null;
    if (!check(v)) throw badValue(name, type, v);
    return v as Value;
  };
}

/** A long result outside the exactly representable range fails instead of losing digits. */
export function checkedLong(result: number, describe: () => string): number {
  if (Number.isSafeInteger(result)) return result;
  throw new ExpressionError(
    'overflow',
    `${describe()} is too large for a long (beyond ±${Number.MAX_SAFE_INTEGER}); CAST a value to DOUBLE first`,
  );
}

/** Whether the string holds UTF-16 surrogates (characters outside the Basic Multilingual Plane). */
const SURROGATE = /[\uD800-\uDFFF]/;

/** Length in characters (code points), as CHAR_LENGTH counts them. */
export function charLength(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The UTF-16 offset of the character at code-point index `index` (clamped to the string). */
export function charOffset(s: string, index: number): number {
  if (index <= 0) return 0;
  if (!SURROGATE.test(s)) return Math.min(index, s.length);
  let i = 0;
  let n = 0;
  while (i < s.length && n < index) {
    const code = s.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && i + 1 < s.length ? 2 : 1;
    n++;
  }
  return i;
}

/** Characters [start, end) by code point, clamped. */
export function charSlice(s: string, start: number, end: number): string {
  if (end <= start) return '';
  return s.slice(charOffset(s, start), charOffset(s, end));
}
