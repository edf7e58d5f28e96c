import { type Static, Type } from 'typebox';

/** The types a record field can have. `long` is a 53-bit safe integer at run time. */
export const FIELD_TYPES = ['string', 'long', 'double', 'boolean', 'timestamp'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FieldTypeSchema = Type.Union(
  [
    Type.Literal('string'),
    Type.Literal('long'),
    Type.Literal('double'),
    Type.Literal('boolean'),
    Type.Literal('timestamp'),
  ],
  { title: 'Type', description: 'string, long, double, boolean or timestamp' },
);

/**
 * Names that must never become record fields: on a plain JavaScript object
 * they reach the prototype chain instead of data.
 */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

export const IDENTIFIER_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,63}$';
const identifierRegExp = new RegExp(IDENTIFIER_PATTERN);

/** Why `name` cannot be a field name, or undefined when it can. */
export function fieldNameProblem(name: string): string | undefined {
  if (RESERVED_FIELD_NAMES.has(name) || name.startsWith('__')) {
    return `'${name}' is reserved and cannot be used as a field name`;
  }
  if (!identifierRegExp.test(name)) {
    return `'${name}' is not a valid field name: use letters, digits and _, starting with a letter or _ (at most 64 characters)`;
  }
  return undefined;
}

export const FieldNameSchema = Type.String({
  pattern: IDENTIFIER_PATTERN,
  title: 'Field name',
  description: 'Letters, digits and _, starting with a letter or _',
});

export const FieldSchema = Type.Object(
  { name: FieldNameSchema, type: FieldTypeSchema },
  { additionalProperties: false },
);
export type Field = Static<typeof FieldSchema>;

/**
 * What flows on one edge: the fields of its records, and whether the records
 * carry event time. Event time travels with each record beside its fields
 * (as in Flink's stream records), so projecting the time field away does not
 * lose it; `timeField` names the field that shows it, when one does.
 */
export interface StreamSchema {
  readonly fields: readonly Field[];
  readonly time: 'event' | 'processing';
  readonly timeField?: string;
}

export function findField(fields: readonly Field[], name: string): Field | undefined {
  return fields.find((f) => f.name === name);
}

export function isNumericType(type: FieldType): boolean {
  return type === 'long' || type === 'double';
}
