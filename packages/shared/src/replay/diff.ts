// Two outputs of one sink compared, as a what-if replay and `sluice test`
// show them: the rows only the new one has (added), the rows only the old
// one has (removed), and, among those, the pairs with the same key (changed:
// the same group or window with other figures). Rows are compared whole, as a
// multiset: the order a step emits them in does not count. The key is the
// fields that name a row rather than measure it: text, booleans, timestamps.
import { type Static, Type } from 'typebox';
import { RowSchema } from '../api/jobs.js';
import type { Field } from '../schema/field.js';

type Row = Record<string, unknown>;

export const RowDiffSchema = Type.Object({
  added: Type.Array(RowSchema),
  removed: Type.Array(RowSchema),
  changed: Type.Array(Type.Object({ before: RowSchema, after: RowSchema })),
  same: Type.Integer({ minimum: 0, description: 'Rows both have' }),
});
export type RowDiff = Static<typeof RowDiffSchema>;

/** A row as text with its fields in order of name, so `{a, b}` and `{b, a}` are one row. */
export function rowText(row: Row): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((k) => [k, row[k] ?? null]),
  );
}

/** The fields of a row that name it, by their declared types: text, booleans, timestamps. */
export function keyFieldsOf(fields: readonly Field[]): string[] {
  return fields
    .filter((f) => f.type === 'string' || f.type === 'boolean' || f.type === 'timestamp')
    .map((f) => f.name);
}

export function diffRows(
  before: readonly Row[],
  after: readonly Row[],
  fields: readonly Field[],
): RowDiff {
  const counts = new Map<string, number>();
  for (const row of before) {
    const t = rowText(row);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const added: Row[] = [];
  let same = 0;
  for (const row of after) {
    const t = rowText(row);
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      counts.set(t, n - 1);
      same++;
    } else {
      added.push(row);
    }
  }
  const removed: Row[] = [];
  const left = new Map(counts);
  for (const row of before) {
    const t = rowText(row);
    const n = left.get(t) ?? 0;
    if (n > 0) {
      left.set(t, n - 1);
      removed.push(row);
    }
  }
  // A removed and an added row with the same key: one row changed, not two.
  const keys = keyFieldsOf(fields);
  const changed: { before: Row; after: Row }[] = [];
  if (keys.length > 0) {
    const keyOf = (row: Row) => JSON.stringify(keys.map((k) => row[k] ?? null));
    const byKey = new Map<string, Row[]>();
    for (const row of removed) {
      const k = keyOf(row);
      byKey.set(k, [...(byKey.get(k) ?? []), row]);
    }
    const stillAdded: Row[] = [];
    const matched = new Set<Row>();
    for (const row of added) {
      const candidates = byKey.get(keyOf(row));
      const old = candidates?.shift();
      if (old) {
        changed.push({ before: old, after: row });
        matched.add(old);
      } else {
        stillAdded.push(row);
      }
    }
    return {
      added: stillAdded,
      removed: removed.filter((r) => !matched.has(r)),
      changed,
      same,
    };
  }
  return { added, removed, changed, same };
}

/** Whether two outputs are the same rows. */
export function noDifference(diff: RowDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}
