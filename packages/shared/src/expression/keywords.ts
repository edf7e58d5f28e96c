import type { FieldType } from '../schema/field.js';

/**
 * Words that are always keywords. A field with one of these names must be
 * written in backticks: `from`, `end`.
 */
export const RESERVED_KEYWORDS: ReadonlySet<string> = new Set([
  'AND',
  'OR',
  'NOT',
  'IS',
  'NULL',
  'TRUE',
  'FALSE',
  'UNKNOWN',
  'BETWEEN',
  'IN',
  'LIKE',
  'ESCAPE',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'CAST',
  'TRY_CAST',
  'AS',
  'FROM',
  'FOR',
]);

/** Words that are keywords only where the grammar expects them (a field may be called `timestamp`). */
export const CONTEXTUAL_KEYWORDS: ReadonlySet<string> = new Set([
  'TIMESTAMP',
  'BOTH',
  'LEADING',
  'TRAILING',
]);

/** SQL type names accepted by CAST and TRY_CAST, and the Sluice type each one means. */
export const CAST_TYPE_NAMES: Readonly<Record<string, FieldType>> = {
  STRING: 'string',
  VARCHAR: 'string',
  CHAR: 'string',
  BIGINT: 'long',
  INT: 'long',
  INTEGER: 'long',
  SMALLINT: 'long',
  TINYINT: 'long',
  DOUBLE: 'double',
  FLOAT: 'double',
  REAL: 'double',
  DECIMAL: 'double',
  BOOLEAN: 'boolean',
  TIMESTAMP: 'timestamp',
};

/** Every keyword, for completion in the editor. */
export const EXPRESSION_KEYWORDS: readonly string[] = [
  ...RESERVED_KEYWORDS,
  ...CONTEXTUAL_KEYWORDS,
  ...Object.keys(CAST_TYPE_NAMES).filter((t) => t !== 'TIMESTAMP'),
];

/** How a type is named in messages: the Sluice name the canvas shows. */
export function typeLabel(type: string): string {
  return type === 'null' ? 'NULL' : type;
}
