// Checks that several operators make on their config.
import { parseDuration } from '../schema/duration.js';
import { type Field, fieldNameProblem, findField, type StreamSchema } from '../schema/field.js';

type Report = (path: string, code: string, message: string) => void;

/** Data paths are relative and stay inside the data directory. */
export function checkDataPath(path: string, error: Report): void {
  const segments = path.split(/[\\/]/);
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) {
    error(
      'path',
      'config.path-outside',
      `'${path}' is an absolute path. Use a path relative to the data directory, e.g. 'orders.jsonl'.`,
    );
  } else if (segments.includes('..')) {
    error(
      'path',
      'config.path-outside',
      `'${path}' leads out of the data directory ('..'). Files must stay inside the data directory.`,
    );
  }
}

/** Field names are unique, and none is reserved. */
export function checkUniqueFields(fields: readonly Field[], base: string, error: Report): void {
  const seen = new Set<string>();
  fields.forEach((field, i) => {
    const problem = fieldNameProblem(field.name);
    if (problem) error(`${base}[${i}].name`, 'config.field-name', `${capitalize(problem)}.`);
    if (seen.has(field.name)) {
      error(
        `${base}[${i}].name`,
        'config.duplicate-field',
        `Field '${field.name}' is listed twice.`,
      );
    }
    seen.add(field.name);
  });
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * An idle-key retention (`IdleRetentionSchema`) is longer than 0 and needs an
 * event-time input (once the input is known). False when the input has none.
 */
export function checkIdleRetention(
  retention: string | undefined,
  input: StreamSchema | undefined,
  error: Report,
): boolean {
  if (retention === undefined) return true;
  if (parseDuration(retention) === 0) {
    error('retention', 'config.duration', 'Forget idle keys after must be longer than 0.');
  }
  if (input === undefined || input.time === 'event') return true;
  // Not checkEventTimeInput: its advice to switch to processing time does not apply here.
  error(
    'retention',
    'node.no-event-time',
    "The in input has no event time, which 'Forget idle keys after' needs. Set 'Event time' on its source, or leave 'Forget idle keys after' empty.",
  );
  return false;
}

/** Every name is a field of the input; each that is not is reported at `base[i]`. */
export function checkFieldsExist(
  names: readonly string[],
  base: string,
  action: string,
  input: StreamSchema,
  error: Report,
): boolean {
  let ok = true;
  names.forEach((name, i) => {
    if (findField(input.fields, name)) return;
    ok = false;
    error(
      `${base}[${i}]`,
      'config.unknown-field',
      `Cannot ${action} '${name}': there is no such field. Fields here: ${input.fields.map((f) => f.name).join(', ')}.`,
    );
  });
  return ok;
}
