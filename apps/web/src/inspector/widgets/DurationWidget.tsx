// The 'duration' widget: a text box that knows the units, with common
// choices offered and a plain explanation when the text is not a duration.

import type { WidgetProps } from '@rjsf/utils';
import { DURATION_PATTERN, parseDuration } from '@sluice/shared';

const SUGGESTIONS = ['500ms', '1s', '5s', '10s', '30s', '1m', '5m', '15m', '1h', '1d'];
const pattern = new RegExp(DURATION_PATTERN);

export function durationProblem(text: string): string | undefined {
  if (text === '') return undefined;
  if (!pattern.test(text) || parseDuration(text) === undefined) {
    return 'Write a whole number and a unit: ms, s, m, h or d (e.g. 10s, 1m).';
  }
  return undefined;
}

export function DurationWidget({
  id,
  value,
  onChange,
  onBlur,
  required,
  disabled,
  readonly,
}: WidgetProps) {
  const text = typeof value === 'string' ? value : '';
  const problem = durationProblem(text);
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
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        onBlur={(e) => onBlur(id, e.target.value)}
      />
      <datalist id={`${id}-units`}>
        {SUGGESTIONS.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      {problem && (
        <p id={`${id}-problem`} className="field-problem">
          {problem}
        </p>
      )}
    </div>
  );
}
