// How big a pipeline document may be. Checked before anything else reads the
// document, and without recursion, so a hostile one costs one linear pass.
import type { Diagnostic } from '../validation/diagnostic.js';

export const PIPELINE_LIMITS = {
  /** Nodes in one pipeline. */
  nodes: 2000,
  /** Connections in one pipeline. */
  edges: 10_000,
  /** Levels of nested lists and objects, the document itself being level 1. Real ones use about 8. */
  depth: 64,
} as const;

/**
 * Whether a document is too large or too deep to be read at all: a
 * `format.too-large` or `format.too-deep` error, or undefined.
 */
export function pipelineLimitProblem(value: unknown): Diagnostic | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { nodes, edges } = value as { nodes?: unknown; edges?: unknown };
    for (const [key, list, limit, noun] of [
      ['nodes', nodes, PIPELINE_LIMITS.nodes, 'nodes'],
      ['edges', edges, PIPELINE_LIMITS.edges, 'connections'],
    ] as const) {
      if (Array.isArray(list) && list.length > limit) {
        return {
          severity: 'error',
          code: 'format.too-large',
          message: `The pipeline has ${list.length} ${noun}; Sluice takes at most ${limit} ${noun} in one pipeline. Split it into smaller pipelines.`,
          path: key,
        };
      }
    }
  }
  const path = pathPastDepth(value, PIPELINE_LIMITS.depth);
  if (path === undefined) return undefined;
  return {
    severity: 'error',
    code: 'format.too-deep',
    message: `The value at ${path || 'the top'} is nested more than ${PIPELINE_LIMITS.depth} levels deep; Sluice reads at most ${PIPELINE_LIMITS.depth} levels of nested lists and objects.`,
    path,
  };
}

/** The path of the first object or list nested deeper than `max` levels, found without recursion. */
export function pathPastDepth(value: unknown, max: number): string | undefined {
  interface Entry {
    readonly value: unknown;
    readonly depth: number;
    readonly key?: string | number;
    readonly parent?: Entry;
  }
  const stack: Entry[] = [{ value, depth: 1 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const here: Entry = top;
    if (here.value === null || typeof here.value !== 'object') continue;
    if (here.depth > max) return pathOf(here);
    const entries: [string | number, unknown][] = Array.isArray(here.value)
      ? here.value.map((item, i) => [i, item])
      : Object.entries(here.value);
    for (const [key, item] of entries) {
      if (item !== null && typeof item === 'object') {
        stack.push({ value: item, depth: here.depth + 1, key, parent: here });
      }
    }
  }
  return undefined;

  // Paths are spelled only for the one value reported, not for every value walked.
  function pathOf(entry: Entry): string {
    const keys: (string | number)[] = [];
    for (let e: Entry | undefined = entry; e?.key !== undefined; e = e.parent) keys.push(e.key);
    return keys
      .reverse()
      .reduce<string>(
        (path, key) =>
          typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`,
        '',
      );
  }
}

/**
 * Where JSON text first nests deeper than `max` levels, as line and column,
 * read from the text itself so nothing deep is ever built.
 */
export function jsonTextPastDepth(
  text: string,
  max: number,
): { line: number; column: number } | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return lineAndColumn(text, i);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
