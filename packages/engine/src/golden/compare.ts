// Multiset comparison of result rows: every field exact, except doubles,
// which may differ by rounding (sums in another order).
import { expect } from 'vitest';
import type { Row } from './data.js';

export interface RowDiff {
  /** Expected rows the engine did not produce (as many times as they are missing). */
  readonly missing: Row[];
  /** Rows the engine produced that were not expected. */
  readonly extra: Row[];
  readonly counts: { readonly actual: number; readonly expected: number };
}

const SHOWN = 12;

/** A relative tolerance, with an absolute floor for values near zero. */
export function closeEnough(a: number, b: number, tolerance = 1e-9): boolean {
  if (Object.is(a, b)) return true;
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Compares two multisets of rows over `fields` (in that order). Fields named
 * in `doubles` match within `closeEnough`; all others must be identical.
 * At most a dozen rows of each side are listed, with the counts.
 */
export function diffRows(
  actual: readonly Row[],
  expected: readonly Row[],
  fields: readonly string[],
  doubles: readonly string[] = [],
): RowDiff {
  const inexact = new Set(doubles);
  const exact = fields.filter((f) => !inexact.has(f));
  const keyOf = (row: Row) => JSON.stringify(exact.map((f) => row[f] ?? null));
  const pending = new Map<string, Row[]>();
  for (const row of expected) {
    const key = keyOf(row);
    const list = pending.get(key);
    if (list) list.push(row);
    else pending.set(key, [row]);
  }
  const extra: Row[] = [];
  for (const row of actual) {
    const list = pending.get(keyOf(row));
    const at =
      list?.findIndex((candidate) => doubles.every((f) => sameDouble(row[f], candidate[f]))) ?? -1;
    if (at < 0) extra.push(project(row, fields));
    else list!.splice(at, 1);
  }
  const missing = [...pending.values()].flat().map((row) => project(row, fields));
  return {
    missing: missing.slice(0, SHOWN),
    extra: extra.slice(0, SHOWN),
    counts: { actual: actual.length, expected: expected.length },
  };
}

/** Asserts that the engine produced exactly the expected multiset (and that something was expected). */
export function expectSameRows(
  actual: readonly Row[],
  expected: readonly Row[],
  fields: readonly string[],
  doubles: readonly string[] = [],
): void {
  expect(expected.length, 'the golden case expects no rows at all').toBeGreaterThan(0);
  const n = expected.length;
  expect(diffRows(actual, expected, fields, doubles)).toEqual({
    missing: [],
    extra: [],
    counts: { actual: n, expected: n },
  });
}

function sameDouble(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined)
    return (a ?? null) === (b ?? null);
  return typeof a === 'number' && typeof b === 'number' && closeEnough(a, b);
}

function project(row: Row, fields: readonly string[]): Row {
  const out: Row = {};
  for (const f of fields) out[f] = row[f] ?? null;
  return out;
}
