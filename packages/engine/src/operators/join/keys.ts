// Equi-join keys as Map keys. SQL equality: NULL matches nothing, and a long
// and a double are equal when their numbers are (1 = 1.0, which JavaScript
// numbers already give).
import { type Field, findField } from '@sluice/shared';
import type { Row } from '../../batch.js';
import { type Evaluator, fieldReader, type Value } from '../../expression/values.js';
import { encodeValue } from '../key-encoding.js';

/** A join key: the value itself for one key field, an unambiguous string for several. */
export type JoinKey = string | number | boolean;

/**
 * Reads one side's join key from a record: undefined when a part is NULL (or
 * NaN), which matches nothing. Throws ExpressionError when a value does not
 * have its field's declared type.
 */
export type KeyReader = (row: Row) => JoinKey | undefined;

export function keyReader(names: readonly string[], fields: readonly Field[]): KeyReader {
  const readers: Evaluator[] = names.map((name) => {
    const field = findField(fields, name);
    if (!field) throw new Error(`The join key '${name}' is not a field of its input.`);
    return fieldReader(name, field.type);
  });
  if (readers.length === 1) {
    const read = readers[0]!;
    return (row) => normalize(read(row));
  }
  return (row) => {
    let key = '';
    for (let i = 0; i < readers.length; i++) {
      const part = normalize(readers[i]!(row));
      if (part === undefined) return undefined;
      key += encodeValue(part);
    }
    return key;
  };
}

function normalize(value: Value): JoinKey | undefined {
  if (value === null) return undefined;
  if (typeof value === 'number') {
    // NaN = NaN is not TRUE in SQL; -0 and 0 are the same key.
    if (Number.isNaN(value)) return undefined;
    return value === 0 ? 0 : value;
  }
  return value;
}
