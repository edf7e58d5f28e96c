// GROUP BY keys: how a record's group-by values become one Map key. NULL is a
// group of its own, as in SQL.
import type { Row } from '../../batch.js';
import { encodeValue } from '../key-encoding.js';

export { encodeValue };

export interface GroupKey {
  /** The Map key of the record's group; called for every record, so it allocates nothing for 0 or 1 fields. */
  of(row: Row): unknown;
  /** The group-by values of the record, in group-by order; called once per new group and window. */
  values(row: Row): readonly unknown[];
}

const NO_VALUES: readonly unknown[] = Object.freeze([]);

/** The key of the one global group when there is no group-by. */
export const GLOBAL_GROUP = '';

export function groupKey(fields: readonly string[]): GroupKey {
  if (fields.length === 0) {
    return { of: () => GLOBAL_GROUP, values: () => NO_VALUES };
  }
  if (fields.length === 1) {
    const field = fields[0]!;
    return { of: (row) => row[field] ?? null, values: (row) => [row[field] ?? null] };
  }
  return {
    of(row) {
      let key = '';
      for (let i = 0; i < fields.length; i++) key += encodeValue(row[fields[i]!]);
      return key;
    },
    values: (row) => fields.map((field) => row[field] ?? null),
  };
}
