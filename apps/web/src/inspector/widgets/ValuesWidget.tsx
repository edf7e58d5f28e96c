// The 'values' widget: a list of plain values (a generator's choices, their
// weights) as one text box, a value per line, instead of a form per item.
// Each line is kept as the type its list holds: numbers for a list of numbers,
// and for a list of any scalar the type of the field it belongs to (a `long`
// field's choices are numbers, a `string` field's stay text, "1" included).
import type { WidgetProps } from '@rjsf/utils';
import { useState } from 'react';
import { useEditor } from '../../store/context.js';
import type { FormContext } from './use-input-fields.js';

type Scalar = string | number | boolean;
type ItemType = 'number' | 'boolean' | 'string';

/** The lines of a text box as values of a type; blank lines are no value. */
export function parseValues(text: string, type: ItemType): Scalar[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const trimmed = line.trim();
      if (type === 'number' && trimmed !== '' && Number.isFinite(Number(trimmed)))
        return Number(trimmed);
      if (type === 'boolean' && (trimmed === 'true' || trimmed === 'false'))
        return trimmed === 'true';
      // Text is kept as typed; what does not fit the type is the validator's to say.
      return type === 'string' ? line : trimmed;
    });
}

export function formatValues(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');
}

/** The item type a field's `type` asks for. */
function fromFieldType(type: unknown): ItemType {
  if (type === 'long' || type === 'double') return 'number';
  if (type === 'boolean') return 'boolean';
  return 'string';
}

/** The nearest object above the widget's value that has a `type`: the field the values belong to. */
function ownerType(config: unknown, segments: readonly string[]): unknown {
  const chain: unknown[] = [config];
  let at = config;
  for (const segment of segments.slice(0, -1)) {
    at = at && typeof at === 'object' ? (at as Record<string, unknown>)[segment] : undefined;
    chain.push(at);
  }
  for (const item of chain.reverse())
    if (item && typeof item === 'object' && 'type' in item) return (item as { type: unknown }).type;
  return undefined;
}

export function ValuesWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, disabled, readonly, schema, rawErrors, label } = props;
  const { nodeId } = props.registry.formContext as FormContext;
  const segments = id.split('.').slice(1);
  const owner = useEditor((s) =>
    ownerType(s.document.nodes.find((n) => n.id === nodeId)?.config, segments),
  );
  const items = (schema.items ?? {}) as { type?: string };
  const type: ItemType =
    items.type === 'number' || items.type === 'integer' ? 'number' : fromFieldType(owner);
  const values: unknown[] = Array.isArray(value) ? value : [];
  const [typed, setTyped] = useState(() => formatValues(values));
  // The text as typed while it means what the document holds (a blank line being written, say).
  const shown =
    JSON.stringify(parseValues(typed, type)) === JSON.stringify(values)
      ? typed
      : formatValues(values);
  const lines = Math.min(Math.max(values.length + 1, 3), 10);
  return (
    <textarea
      id={id}
      className="input values-widget"
      aria-label={`${label} (one per line)`}
      aria-invalid={(rawErrors?.length ?? 0) > 0}
      rows={lines}
      spellCheck={false}
      disabled={disabled || readonly}
      placeholder="One value per line"
      value={shown}
      onChange={(e) => {
        setTyped(e.target.value);
        const parsed = parseValues(e.target.value, type);
        onChange(parsed.length === 0 ? undefined : parsed);
      }}
      onBlur={() => onBlur(id, values)}
    />
  );
}
