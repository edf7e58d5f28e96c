// Checks that several operators make on their config.
import { type Field, fieldNameProblem } from '../schema/field.js';

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
