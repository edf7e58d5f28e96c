import type { Diagnostic } from '../api/refs.js';

// Declared once, as the API sends it (../api/refs.ts).
export type { Diagnostic } from '../api/refs.js';
export type Severity = Diagnostic['severity'];

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Appends a property name or index to a display path. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}
