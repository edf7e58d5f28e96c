// What the schema-form library needs besides the catalog's JSON Schema: a
// uiSchema naming our widgets, and the analysis' problems placed on fields.

import type { ErrorSchema, UiSchema } from '@rjsf/utils';
import type { Diagnostic, JsonSchemaNode } from '@sluice/shared';

/**
 * The catalog's schema as the form library reads it best: a union of
 * constants (TypeBox's `Union([Literal…])`) becomes an enum, so it renders as
 * one select rather than a choice between schemas; constants with titles
 * become a `oneOf` of titled constants, so the select shows the titles. The
 * meaning is unchanged.
 */
export function formSchema<S extends object>(schema: S): S {
  return formSchemaOf(schema as JsonSchemaNode) as S;
}

function formSchemaOf(schema: JsonSchemaNode): JsonSchemaNode {
  const { anyOf, properties, items, ...rest } = schema;
  if (anyOf && anyOf.length > 0 && anyOf.every((o) => o.const !== undefined)) {
    const values = anyOf.map((o) => o.const);
    if (anyOf.some((o) => typeof o.title === 'string')) {
      const oneOf = anyOf.map((o) => ({ const: o.const, title: o.title ?? String(o.const) }));
      return { ...rest, type: typeof values[0], oneOf };
    }
    return { ...rest, type: typeof values[0], enum: values };
  }
  const out: JsonSchemaNode = { ...rest };
  if (anyOf) out.anyOf = anyOf.map(formSchemaOf);
  if (properties) {
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([k, v]) => [k, formSchemaOf(v)]),
    );
  }
  if (items) out.items = formSchemaOf(items);
  return out;
}

/** Widgets chosen on the schema node itself (arrays); strings are dispatched by the text widget. */
const ARRAY_WIDGETS = new Set(['fields', 'values']);

/**
 * The uiSchema for a kind's config: widgets for `x-sluice-widget` arrays,
 * nested as the schema is, and the top-level settings whose
 * `x-sluice-shown-when` the config does not meet hidden (CSV options of a
 * JSON Lines file).
 */
export function uiSchemaFor(schema: object, config?: unknown): UiSchema {
  const ui = uiSchemaOf(schema as JsonSchemaNode);
  const data = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
  for (const [key, child] of Object.entries((schema as JsonSchemaNode).properties ?? {})) {
    const when = child['x-sluice-shown-when'];
    if (when && !Object.entries(when).every(([name, value]) => data[name] === value))
      ui[key] = { 'ui:field': 'hidden' };
  }
  return ui;
}

/** Where a setting is hidden: nothing at all. */
export function HiddenField(): null {
  return null;
}

function uiSchemaOf(schema: JsonSchemaNode): UiSchema {
  const ui: UiSchema = {};
  const widget = schema['x-sluice-widget'];
  if (widget && ARRAY_WIDGETS.has(widget)) ui['ui:widget'] = widget;
  // A constant (a union option's tag, such as a window's type) is set by choosing the option.
  if (schema.const !== undefined) ui['ui:widget'] = 'hidden';
  if (schema.anyOf) {
    // The select above an object option already names it: no heading repeating the name.
    const options = schema.anyOf.map((option) =>
      option.properties
        ? { ...uiSchemaOf(option), 'ui:options': { label: false } }
        : uiSchemaOf(option),
    );
    if (options.some((o) => Object.keys(o).length > 0)) ui.anyOf = options;
  }
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const inner = uiSchemaOf(child);
    if (Object.keys(inner).length > 0) ui[key] = inner;
  }
  if (schema.items) {
    const inner = uiSchemaOf(schema.items);
    const item = itemTitle(schema);
    // Objects in a list are headed by what they are and their place: "Aggregate 2".
    if (item !== undefined)
      ui.items = (_: unknown, index: number) => ({ ...inner, 'ui:title': `${item} ${index + 1}` });
    else if (Object.keys(inner).length > 0) ui.items = inner;
  }
  return ui;
}

/** What one object of a list is called: its own title, or the list's title in the singular. */
function itemTitle(array: JsonSchemaNode): string | undefined {
  const items = array.items;
  if (!items?.properties) return undefined;
  if (typeof items.title === 'string') return items.title;
  const title = typeof array.title === 'string' ? array.title : undefined;
  if (title === undefined) return undefined;
  return title.endsWith('s') && !title.endsWith('ss') ? title.slice(0, -1) : title;
}

/** `nodes[2].config.aggregates[0].expr` → `['aggregates', 0, 'expr']`; undefined when not in `nodes[index].config`. */
export function configSegments(path: string, index: number): (string | number)[] | undefined {
  const base = `nodes[${index}].config`;
  if (path !== base && !path.startsWith(`${base}.`) && !path.startsWith(`${base}[`)) {
    return undefined;
  }
  const rest = path.slice(base.length);
  const segments: (string | number)[] = [];
  for (const m of rest.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  }
  return segments;
}

/**
 * The analysis' diagnostics about node `index`'s config, as rjsf extra errors.
 * Expression problems are underlined in the editor already; a wrong result
 * type is also written under the field, as its fix (compare, or CAST) is not
 * something an underline alone tells an analyst.
 */
export function configErrors(diagnostics: readonly Diagnostic[], index: number): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const d of diagnostics) {
    if (!d.path || d.severity !== 'error') continue;
    if (d.code.startsWith('expression.') && d.code !== 'expression.type-mismatch') continue;
    const segments = configSegments(d.path, index);
    if (!segments) continue;
    let at = root;
    for (const s of segments) {
      at[s] ??= {};
      at = at[s] as Record<string, unknown>;
    }
    const errors = (at.__errors as string[] | undefined) ?? [];
    errors.push(d.fieldMessage ?? d.message);
    at.__errors = errors;
  }
  return root as ErrorSchema;
}
