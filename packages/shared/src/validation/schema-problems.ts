// Turns JSON Schema failures into findings an analyst can act on: one per
// wrong value, at its path, in plain words. TypeBox checks; this walk only
// picks the branch of a union the user meant and words the message.
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { JsonSchemaNode } from '../catalog/schema-node.js';
import { fieldNameProblem, IDENTIFIER_PATTERN } from '../schema/field.js';
import { checkSchema } from './check.js';
import { joinPath } from './diagnostic.js';

export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
}

export function schemaProblems(schema: TSchema, value: unknown, path: string): SchemaProblem[] {
  if (checkSchema(schema, value)) return [];
  const node = schema as JsonSchemaNode;
  if (node.anyOf) return unionProblems(node, value, path);
  if (node.type === 'object' && isRecord(value)) return objectProblems(node, value, path);
  if (node.type === 'array' && Array.isArray(value) && node.items) {
    const inner = (value as unknown[]).flatMap((item, i) =>
      schemaProblems(node.items as TSchema, item, joinPath(path, i)),
    );
    if (inner.length > 0) return inner;
  }
  return [{ path, message: leafMessage(node, schema, value) }];
}

function objectProblems(node: JsonSchemaNode, value: Record<string, unknown>, path: string) {
  const problems: SchemaProblem[] = [];
  const properties = node.properties ?? {};
  for (const key of node.required ?? []) {
    if (!(key in value)) {
      problems.push({
        path: joinPath(path, key),
        message: `${describe(properties[key], key)} is required`,
      });
    }
  }
  for (const [key, item] of Object.entries(value)) {
    const property = properties[key];
    if (property) problems.push(...schemaProblems(property as TSchema, item, joinPath(path, key)));
    else if (node.additionalProperties === false) {
      const known = Object.keys(properties);
      problems.push({
        path: joinPath(path, key),
        message: `'${key}' is not a setting here${known.length ? ` (settings: ${known.join(', ')})` : ''}`,
      });
    }
  }
  if (problems.length === 0) {
    problems.push({ path, message: leafMessage(node, node as TSchema, value) });
  }
  return problems;
}

function unionProblems(node: JsonSchemaNode, value: unknown, path: string): SchemaProblem[] {
  const branches = node.anyOf ?? [];
  const constants = branches.map((b) => b.const);
  if (constants.every((c) => c !== undefined)) {
    return [
      { path, message: `must be one of ${constants.map((c) => JSON.stringify(c)).join(', ')}` },
    ];
  }
  const discriminator = discriminatorOf(branches);
  if (discriminator && isRecord(value)) {
    const tag = value[discriminator];
    const branch = branches.find((b) => b.properties?.[discriminator]?.const === tag);
    if (branch) return schemaProblems(branch as TSchema, value, path);
    const tags = branches.map((b) => JSON.stringify(b.properties?.[discriminator]?.const));
    return [{ path: joinPath(path, discriminator), message: `must be one of ${tags.join(', ')}` }];
  }
  const kinds = branches.map((b) => b.title ?? b.type ?? 'value');
  return [{ path, message: `must be ${kinds.join(' or ')}` }];
}

/** The property every branch pins to a constant, such as `type` or `kind`. */
function discriminatorOf(branches: JsonSchemaNode[]): string | undefined {
  const first = branches[0]?.properties;
  if (!first) return undefined;
  return Object.keys(first).find((key) =>
    branches.every((b) => b.properties?.[key]?.const !== undefined),
  );
}

function leafMessage(node: JsonSchemaNode, schema: TSchema, value: unknown): string {
  if (node['x-sluice-widget'] === 'duration' && typeof value === 'string') {
    return `'${value}' is not a duration: write a whole number and a unit, e.g. 500ms, 10s, 1m, 2h or 1d`;
  }
  if (node.pattern === IDENTIFIER_PATTERN && typeof value === 'string') {
    return fieldNameProblem(value) ?? 'is not a valid name';
  }
  if (node.const !== undefined) return `must be ${JSON.stringify(node.const)}`;
  const expected = node.type;
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const wrongType =
    expected &&
    !(
      expected === actual ||
      ((expected === 'integer' || expected === 'number') && actual === 'number')
    );
  if (wrongType) return `must be ${article(expected)}, not ${article(actual)}`;
  const first = [...Value.Errors(schema, value)][0];
  const limit = (first?.params as { limit?: unknown } | undefined)?.limit;
  switch (first?.keyword) {
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must have at least ${limit} characters`;
    case 'maxLength':
      return `must have at most ${limit} characters`;
    case 'minItems':
      return `needs at least ${limit} ${limit === 1 ? 'entry' : 'entries'}`;
    case 'maxItems':
      return `can have at most ${limit} entries`;
    case 'minimum':
      return `must be at least ${limit}`;
    case 'exclusiveMinimum':
      return `must be more than ${limit}`;
    case 'maximum':
      return `must be at most ${limit}`;
    case 'type':
      return expected === 'integer'
        ? 'must be a whole number'
        : (first.message ?? 'has the wrong type');
    case 'uniqueItems':
      return 'must not list the same value twice';
    case 'pattern':
      return `'${String(value)}' has the wrong form${node.description ? ` (${node.description})` : ''}`;
    default:
      return first?.message ?? 'is not valid here';
  }
}

function describe(node: JsonSchemaNode | undefined, key: string): string {
  return node?.title ? `${node.title} (${key})` : `'${key}'`;
}

function article(type: string): string {
  const word =
    { string: 'text', integer: 'whole number', object: 'object', array: 'list' }[type] ?? type;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
