/**
 * One node of a config's JSON Schema, as the code that walks it reads it: the
 * form, the catalog reference and the validator's messages. TypeBox's own
 * types describe how a schema is built; this describes what is read back.
 */
export interface JsonSchemaNode {
  type?: string;
  const?: unknown;
  anyOf?: JsonSchemaNode[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: boolean | JsonSchemaNode;
  items?: JsonSchemaNode;
  pattern?: string;
  title?: string;
  description?: string;
  default?: unknown;
  /** Which of our widgets edits the value (`duration`, `expression`, `fields`…). */
  'x-sluice-widget'?: string;
  /** Shown in the form only while the sibling settings have these values (`{ format: 'csv' }`). */
  'x-sluice-shown-when'?: Record<string, unknown>;
  [keyword: string]: unknown;
}
