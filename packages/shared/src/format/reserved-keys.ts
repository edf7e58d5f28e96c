import { RESERVED_FIELD_NAMES } from '../schema/field.js';

/** Paths of object keys that could reach a prototype (`__proto__`, `constructor`, `prototype`). */
export function reservedKeyPaths(
  value: unknown,
  path = '',
  found: string[] = [],
  depth = 0,
): string[] {
  if (depth > 64 || found.length >= 20 || value === null || typeof value !== 'object') return found;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      reservedKeyPaths(value[i], `${path}[${i}]`, found, depth + 1);
    return found;
  }
  for (const key of Object.keys(value)) {
    const child = path === '' ? key : `${path}.${key}`;
    if (RESERVED_FIELD_NAMES.has(key)) found.push(child);
    else reservedKeyPaths((value as Record<string, unknown>)[key], child, found, depth + 1);
  }
  return found;
}
