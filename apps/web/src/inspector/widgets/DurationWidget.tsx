// The 'duration' widget: a text box that knows the units, with common choices
// offered. What people type ("5 s", "10 seconds") is kept in the document's
// form ("5s", "10s"); text that is no duration is kept as typed, and the
// validator's message for it shows under the field, once.

import type { WidgetProps } from '@rjsf/utils';
import { readDuration } from '@sluice/shared';
import { useState } from 'react';

const SUGGESTIONS = ['500ms', '1s', '5s', '10s', '30s', '1m', '5m', '15m', '1h', '1d'];

/** What a typed text is kept as: its duration's form, or the text itself when it is none. */
export function durationValue(text: string, signed = false): string | undefined {
  if (text.trim() === '') return undefined;
  return readDuration(text, { signed }) ?? text;
}

export function DurationWidget({
  id,
  value,
  onChange,
  onBlur,
  required,
  disabled,
  readonly,
  schema,
  rawErrors,
}: WidgetProps) {
  const stored = typeof value === 'string' ? value : '';
  const signed = typeof schema.pattern === 'string' && schema.pattern.startsWith('^-?');
  // The text as typed, while it means the value the document holds.
  const [typed, setTyped] = useState(stored);
  const text = durationValue(typed, signed) === (stored || undefined) ? typed : stored;
  return (
    <div className="duration-widget">
      <input
        id={id}
        className="input"
        value={text}
        list={`${id}-units`}
        required={required}
        disabled={disabled || readonly}
        placeholder="e.g. 10s"
        aria-invalid={(rawErrors?.length ?? 0) > 0}
        onChange={(e) => {
          setTyped(e.target.value);
          onChange(durationValue(e.target.value, signed));
        }}
        onBlur={(e) => {
          const kept = durationValue(e.target.value, signed);
          setTyped(kept ?? '');
          onBlur(id, kept);
        }}
      />
      <datalist id={`${id}-units`}>
        {SUGGESTIONS.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </div>
  );
}
