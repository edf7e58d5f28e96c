// The 'field' and 'fields' widgets: pickers offering the fields that flow
// into the node, from schema inference. A name that is no longer offered is
// kept and marked, never silently dropped.
import type { WidgetProps } from '@rjsf/utils';
import { useInputFields } from './use-input-fields.js';

export function FieldWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, required, disabled, readonly, label } = props;
  const fields = useInputFields(props);
  const current = typeof value === 'string' ? value : '';
  if (fields.length === 0) {
    return (
      <input
        id={id}
        className="input"
        value={current}
        required={required}
        disabled={disabled || readonly}
        placeholder="Connect an input to pick a field"
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        onBlur={(e) => onBlur(id, e.target.value)}
      />
    );
  }
  const known = fields.some((f) => f.name === current);
  return (
    <select
      id={id}
      className="input"
      value={current}
      required={required}
      disabled={disabled || readonly}
      aria-label={label}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      onBlur={(e) => onBlur(id, e.target.value)}
    >
      <option value="">Choose a field…</option>
      {!known && current !== '' && <option value={current}>{current} (not in the input)</option>}
      {fields.map((f) => (
        <option key={f.name} value={f.name}>
          {f.name} · {f.type}
        </option>
      ))}
    </select>
  );
}

export function FieldsWidget(props: WidgetProps) {
  const { id, value, onChange, disabled, readonly, label } = props;
  const fields = useInputFields(props);
  const chosen: string[] = Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
  const names = [
    ...fields.map((f) => f.name),
    ...chosen.filter((c) => !fields.some((f) => f.name === c)),
  ];
  const toggle = (name: string) =>
    onChange(chosen.includes(name) ? chosen.filter((c) => c !== name) : [...chosen, name]);
  if (names.length === 0) {
    return <p className="muted">Connect an input to choose fields.</p>;
  }
  return (
    <fieldset id={id} className="chips" aria-label={label}>
      {names.map((name) => {
        const field = fields.find((f) => f.name === name);
        return (
          <label key={name} className={`chip${chosen.includes(name) ? ' chip-on' : ''}`}>
            <input
              type="checkbox"
              checked={chosen.includes(name)}
              disabled={disabled || readonly}
              onChange={() => toggle(name)}
            />
            {name}
            <span className="chip-type">{field ? field.type : 'not in the input'}</span>
          </label>
        );
      })}
    </fieldset>
  );
}
