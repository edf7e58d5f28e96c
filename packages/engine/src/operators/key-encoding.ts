// Composite keys (several group-by or join fields) as one Map key.

/**
 * One value of a composite key, self-delimiting so that no two different
 * tuples share a key: a type tag, then the value (text JSON-quoted, so its
 * length is known). JSON alone would not do: it writes NaN as null.
 */
export function encodeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'number':
      return `n${value};`;
    case 'boolean':
      return value ? 't' : 'f';
    default:
      return value === null || value === undefined ? 'z' : `o${JSON.stringify(value)};`;
  }
}
