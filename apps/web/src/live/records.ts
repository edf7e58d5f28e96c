// Pure helpers of the record tables: which columns, which rows match a filter.
import type { Row } from '@sluice/shared';

export interface Column {
  readonly name: string;
  readonly type?: string;
}

/** The schema's fields when known; otherwise the fields of the rows seen. */
export function columnsFor(
  schemaFields: readonly Column[] | undefined,
  rows: readonly Row[],
): Column[] {
  if (schemaFields && schemaFields.length > 0) return [...schemaFields];
  const names = new Set<string>();
  for (const row of rows.slice(0, 50)) for (const name of Object.keys(row)) names.add(name);
  return [...names].map((name) => ({ name }));
}

/** Whether any value of the row contains `filter` (case-insensitive); an empty filter keeps all. */
export function matchesFilter(row: Row, filter: string): boolean {
  const wanted = filter.trim().toLowerCase();
  if (wanted === '') return true;
  return Object.values(row).some((v) => String(v).toLowerCase().includes(wanted));
}
