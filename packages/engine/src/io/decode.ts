// Records as they enter Sluice: JSON objects and CSV cells turned into typed
// values by the declared schema. The hot path only decodes; the words that
// explain a bad record are built separately, on the rare error path.
import { type Field, parseTimestamp, timestampProblem } from '@sluice/shared';
import type { Row } from '../batch.js';

type FieldType = Field['type'];

/** A value that does not fit its field's type. */
const INVALID: unique symbol = Symbol('invalid');

const CSV_LONG = /^[+-]?\d+$/;
const CSV_DOUBLE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SHOWN_CHARS = 40;

/** Decodes records into rows of exactly the declared fields, in schema order. */
export class RowDecoder {
  readonly #names: readonly string[];
  readonly #types: readonly FieldType[];

  constructor(fields: readonly Field[]) {
    this.#names = fields.map((f) => f.name);
    this.#types = fields.map((f) => f.type);
  }

  /** The row of a parsed JSON object, or undefined when a value does not fit (see `jsonProblems`). */
  fromJson(object: Readonly<Record<string, unknown>>): Row | undefined {
    const names = this.#names;
    const row: Row = {};
    for (let f = 0; f < names.length; f++) {
      const name = names[f]!;
      // Own properties only: a field named like `toString` must not reach Object.prototype.
      const value = jsonValue(this.#types[f]!, Object.hasOwn(object, name) ? object[name] : null);
      if (value === INVALID) return undefined;
      row[name] = value;
    }
    return row;
  }

  /** Why `fromJson` refused the object: "field: value is not a type", one per bad field. */
  jsonProblems(object: Readonly<Record<string, unknown>>): string {
    const problems: string[] = [];
    for (let f = 0; f < this.#names.length; f++) {
      const name = this.#names[f]!;
      const type = this.#types[f]!;
      const value = Object.hasOwn(object, name) ? object[name] : null;
      if (jsonValue(type, value) === INVALID) problems.push(`${name}: ${jsonProblem(type, value)}`);
    }
    return problems.join('; ');
  }

  /**
   * The row of CSV cells, or undefined when a value does not fit (see `cellProblems`).
   * `columns[f]` is the cell index of field f, or -1 when the file has no such column.
   */
  fromCells(cells: readonly string[], columns: readonly number[]): Row | undefined {
    const names = this.#names;
    const row: Row = {};
    for (let f = 0; f < names.length; f++) {
      const value = cellValue(this.#types[f]!, cells[columns[f]!]);
      if (value === INVALID) return undefined;
      row[names[f]!] = value;
    }
    return row;
  }

  /** Why `fromCells` refused the cells. */
  cellProblems(cells: readonly string[], columns: readonly number[]): string {
    const problems: string[] = [];
    for (let f = 0; f < this.#names.length; f++) {
      const type = this.#types[f]!;
      const cell = cells[columns[f]!];
      if (cellValue(type, cell) === INVALID) {
        problems.push(`${this.#names[f]}: ${cellProblem(type, cell!)}`);
      }
    }
    return problems.join('; ');
  }
}

function jsonValue(type: FieldType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : INVALID;
    case 'long':
      return typeof value === 'number' && Number.isSafeInteger(value) ? value : INVALID;
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? value : INVALID;
    case 'boolean':
      return typeof value === 'boolean' ? value : INVALID;
    case 'timestamp':
      return typeof value === 'string' || typeof value === 'number'
        ? (parseTimestamp(value) ?? INVALID)
        : INVALID;
  }
}

function cellValue(type: FieldType, cell: string | undefined): unknown {
  if (cell === undefined || cell === '') return null;
  if (type === 'string') return cell;
  // Spaces around a number or a date are layout, not data.
  const text = cell.trim();
  if (text === '') return null;
  switch (type) {
    case 'long': {
      const value = CSV_LONG.test(text) ? Number(text) : Number.NaN;
      return Number.isSafeInteger(value) ? value : INVALID;
    }
    case 'double':
      return CSV_DOUBLE.test(text) ? Number(text) : INVALID;
    case 'boolean': {
      const lower = text.toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : INVALID;
    }
    case 'timestamp':
      return (CSV_LONG.test(text) ? parseTimestamp(Number(text)) : parseTimestamp(text)) ?? INVALID;
  }
}

function jsonProblem(type: FieldType, value: unknown): string {
  const shown = typeof value === 'string' ? quote(value) : shorten(preview(value, SHOWN_CHARS + 1));
  if (type === 'long' && typeof value === 'number' && Number.isFinite(value)) {
    return Number.isInteger(value)
      ? `${shown} is outside the range of a long (±${Number.MAX_SAFE_INTEGER})`
      : `${shown} is not a long: it has a fractional part`;
  }
  if (type === 'timestamp') return `${shown} ${timestampProblem(value) ?? notA(type)}`;
  return `${shown} ${notA(type)}`;
}

function cellProblem(type: FieldType, cell: string): string {
  const text = cell.trim();
  if (type === 'long' && CSV_LONG.test(text)) {
    return `${quote(cell)} is outside the range of a long (±${Number.MAX_SAFE_INTEGER})`;
  }
  if (type === 'long' && CSV_DOUBLE.test(text)) {
    return `${quote(cell)} is not a long: it has a fractional part`;
  }
  if (type === 'timestamp') {
    const problem = timestampProblem(CSV_LONG.test(text) ? Number(text) : text);
    return `${quote(cell)} ${problem ?? notA(type)}`;
  }
  return `${quote(cell)} ${notA(type)}`;
}

function notA(type: FieldType): string {
  if (type === 'timestamp') {
    return 'is not a timestamp (use ISO-8601 such as 2024-05-01T12:00:00Z, or epoch milliseconds)';
  }
  if (type === 'boolean') return 'is not a boolean (true or false)';
  return `is not a ${type}`;
}

/** Why decoding failed, in a line; never throws itself. */
export function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}

/**
 * The start of a JSON value's text, at least `chars` long when the value is.
 * Iterative and stops early: JSON.stringify recurses, and a value nested
 * 20 000 deep (which JSON.parse accepts) overflowed the stack.
 */
export function preview(value: unknown, chars: number): string {
  let out = '';
  // Pending work: values to write, or literal text (closing brackets, commas).
  const stack: ({ text: string } | { value: unknown })[] = [{ value }];
  while (stack.length > 0 && out.length < chars) {
    const item = stack.pop()!;
    if ('text' in item) {
      out += item.text;
      continue;
    }
    const v = item.value;
    if (Array.isArray(v)) {
      out += '[';
      stack.push({ text: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ value: v[i] });
        if (i > 0) stack.push({ text: ',' });
      }
    } else if (typeof v === 'object' && v !== null) {
      out += '{';
      stack.push({ text: '}' });
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push({ value: (v as Record<string, unknown>)[keys[i]!] });
        stack.push({ text: `${JSON.stringify(keys[i])}:` });
        if (i > 0) stack.push({ text: ',' });
      }
    } else {
      out += JSON.stringify(v) ?? String(v);
    }
  }
  return out;
}

function quote(text: string): string {
  return `'${shorten(text)}'`;
}

function shorten(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}
