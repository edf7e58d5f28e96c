// A record schema guessed from sample message values, for a source's form to
// offer. Each guess is one the runtime's decoder will accept for every sample:
// a JSON key it could not read (nested, mixed types, a name that is not a
// field name) is left out with the reason, never typed as something that
// would fail or read as null.

import type { InferredSchema } from '../api/kafka.js';
import { type Field, type FieldType, fieldNameProblem } from './field.js';
import { parseTimestamp } from './timestamp.js';

// What a guess answers is a wire type (the Kafka sample route sends it): declared once, there.
export type { InferredSchema } from '../api/kafka.js';
export type InferredFormat = InferredSchema['format'];

export interface InferOptions {
  /** The values' format; found from the values when not given. */
  readonly format?: InferredFormat;
  /** CSV: the first value names the columns. Default false (Kafka messages are one row each). */
  readonly header?: boolean;
  /** CSV: the delimiter; found among , ; tab | when not given. */
  readonly delimiter?: string;
}

/** Epoch milliseconds from 2000 to 2100: a whole number in this range is taken as a time. */
const EPOCH_MS_MIN = 946_684_800_000;
const EPOCH_MS_MAX = 4_102_444_800_000;
const MAX_FIELDS = 500;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const CSV_LONG = /^[+-]?\d+$/;
const CSV_DOUBLE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DELIMITERS = [',', ';', '\t', '|'];
/** Names that say "event time", best first. */
const TIME_NAMES = [
  /^(event_?time|event_?ts|occurred_?at)$/i,
  /^(ts|timestamp|time|datetime|created_?at)$/i,
  /(time|_ts|^ts_|_at$|date)/i,
];

/**
 * The fields of sample values (JSON objects, or CSV lines), in order of first
 * appearance. Nulls and missing keys do not decide a type; whole and
 * fractional numbers together are `double`; ISO-8601 strings and whole
 * numbers that read as epoch milliseconds from 2000 to 2100 are `timestamp`;
 * nested objects and arrays are left out.
 */
export function inferSchema(
  values: readonly (string | null | undefined)[],
  options: InferOptions = {},
): InferredSchema {
  const texts = values.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const format = options.format ?? detectFormat(texts);
  if (format === 'json') return inferJson(texts);
  if (format === 'csv') return inferCsv(texts, options);
  return {
    format: 'raw',
    fields: [{ name: 'value', type: 'string' }],
    skipped: [],
    sampled: texts.length,
    unreadable: 0,
  };
}

function detectFormat(texts: readonly string[]): InferredFormat {
  if (texts.length === 0) return 'json';
  const objects = texts.filter((t) => parseObject(t) !== undefined).length;
  if (objects * 2 >= texts.length) return 'json';
  return findDelimiter(texts) === undefined ? 'raw' : 'csv';
}

/** What a value looks like; `epoch` is a whole number that reads as epoch ms, `iso` an ISO-8601 string. */
type Kind = 'long' | 'double' | 'epoch' | 'boolean' | 'iso' | 'string' | 'nested';

/** What one key has shown so far. */
interface Seen {
  readonly key: string;
  readonly kinds: Set<Kind>;
}

function inferJson(texts: readonly string[]): InferredSchema {
  const seen = new Map<string, Seen>();
  let sampled = 0;
  for (const text of texts) {
    const object = parseObject(text);
    if (object === undefined) continue;
    sampled++;
    for (const [key, value] of Object.entries(object)) {
      let entry = seen.get(key);
      if (!entry) {
        entry = { key, kinds: new Set() };
        seen.set(key, entry);
      }
      const kind = jsonKind(value);
      if (kind) entry.kinds.add(kind);
    }
  }
  const fields: Field[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const { key, kinds } of seen.values()) {
    // The source reads each field by its name, so a key must already be a valid name.
    const problem = fieldNameProblem(key);
    if (problem)
      skipped.push({ name: key, reason: `${problem}; rename it before Sluice reads it` });
    else if (kinds.has('nested'))
      skipped.push({ name: key, reason: 'nested objects and arrays are not read yet' });
    else {
      const type = jsonType(kinds);
      if (type) fields.push({ name: key, type });
      else skipped.push({ name: key, reason: `mixed types (${[...kinds].join(', ')})` });
    }
  }
  return finish('json', fields, skipped, sampled, texts.length - sampled);
}

function jsonKind(value: unknown): Kind | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return 'double';
    return value >= EPOCH_MS_MIN && value <= EPOCH_MS_MAX ? 'epoch' : 'long';
  }
  if (typeof value === 'string') return isIsoTimestamp(value) ? 'iso' : 'string';
  return 'nested';
}

/** The one type that reads every kind seen, or undefined when none does. */
function jsonType(kinds: ReadonlySet<Kind>): FieldType | undefined {
  const only = (...allowed: Kind[]) => [...kinds].every((k) => allowed.includes(k));
  // Only nulls: a string is the safest guess, and the user can change it.
  if (kinds.size === 0) return 'string';
  if (only('boolean')) return 'boolean';
  if (only('iso', 'epoch')) return 'timestamp';
  if (only('long', 'epoch')) return 'long';
  if (only('long', 'epoch', 'double')) return 'double';
  if (only('string', 'iso')) return 'string';
  return undefined;
}

function inferCsv(texts: readonly string[], options: InferOptions): InferredSchema {
  const delimiter = options.delimiter ?? findDelimiter(texts) ?? ',';
  const rows = texts.map((t) => splitCsvLine(t, delimiter));
  const header = options.header ? rows.shift() : undefined;
  const width = Math.max(header?.length ?? 0, ...rows.map((r) => r.length));
  const names = uniqueNames(
    Array.from({ length: width }, (_, i) => sanitizeFieldName(header?.[i] ?? `column${i + 1}`)),
  );
  const fields = names.map((name, i) => {
    const kinds = new Set<Kind>();
    for (const row of rows) {
      const cell = row[i]?.trim();
      if (cell) kinds.add(cellKind(cell));
    }
    return { name, type: csvType(kinds) };
  });
  return { ...finish('csv', fields, [], rows.length, 0), delimiter };
}

function cellKind(cell: string): Kind {
  if (CSV_LONG.test(cell)) {
    const n = Number(cell);
    if (!Number.isSafeInteger(n)) return 'string';
    return n >= EPOCH_MS_MIN && n <= EPOCH_MS_MAX ? 'epoch' : 'long';
  }
  if (CSV_DOUBLE.test(cell)) return 'double';
  if (/^(true|false)$/i.test(cell)) return 'boolean';
  return isIsoTimestamp(cell) ? 'iso' : 'string';
}

/** Any cell can be read as a string, so CSV columns never need to be left out. */
function csvType(kinds: ReadonlySet<Kind>): FieldType {
  return jsonType(kinds) ?? 'string';
}

function finish(
  format: InferredFormat,
  all: Field[],
  skipped: { name: string; reason: string }[],
  sampled: number,
  unreadable: number,
): InferredSchema {
  const fields = all.slice(0, MAX_FIELDS);
  for (const f of all.slice(MAX_FIELDS))
    skipped.push({ name: f.name, reason: `more than ${MAX_FIELDS} fields` });
  const eventTimeField = suggestEventTime(fields);
  return {
    format,
    fields,
    ...(eventTimeField ? { eventTimeField } : {}),
    skipped,
    sampled,
    unreadable,
  };
}

function suggestEventTime(fields: readonly Field[]): string | undefined {
  const times = fields.filter((f) => f.type === 'timestamp');
  for (const pattern of TIME_NAMES) {
    const match = times.find((f) => pattern.test(f.name));
    if (match) return match.name;
  }
  return times[0]?.name;
}

/**
 * A valid field name close to `text`: other characters become `_`, a name
 * that starts with a digit gets a leading `_`, reserved names a trailing `_`.
 */
export function sanitizeFieldName(text: string): string {
  let name = text
    .trim()
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63);
  if (name === '') name = 'field';
  if (/^\d/.test(name)) name = `_${name}`;
  if (fieldNameProblem(name)) name = `${name.slice(0, 62)}_`;
  return name;
}

/** Names made unique with _2, _3… suffixes. */
function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let n = 2; used.has(candidate); n++) candidate = `${name.slice(0, 60)}_${n}`;
    used.add(candidate);
    return candidate;
  });
}

function isIsoTimestamp(text: string): boolean {
  return ISO_8601.test(text) && parseTimestamp(text) !== undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The delimiter that splits every line into the same number (more than one) of cells. */
function findDelimiter(texts: readonly string[]): string | undefined {
  for (const delimiter of DELIMITERS) {
    const widths = new Set(texts.map((t) => splitCsvLine(t, delimiter).length));
    if (widths.size === 1 && !widths.has(1)) return delimiter;
  }
  return undefined;
}

/** The cells of one CSV line: RFC 4180 quoting ("a ""b""", c). */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c !== '\r' && c !== '\n') cell += c;
  }
  cells.push(cell);
  return cells;
}
