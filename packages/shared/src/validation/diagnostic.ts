import type { SourceRange } from '../expression/index.js';

export type Severity = 'error' | 'warning';

/**
 * One finding about a pipeline. `path` points into the document in the
 * JSON-path style an analyst reads (`nodes[2].config.window.size`); `range`
 * is the span inside an expression string when the finding is about one.
 */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly nodeId?: string;
  readonly edgeId?: string;
  readonly path?: string;
  readonly range?: SourceRange;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Appends a property name or index to a display path. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}
