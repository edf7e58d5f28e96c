// Append-only buffers of values and of rows, kept column by column in sealed
// blocks. An operator that buffers many rows until something fires (a window
// join's left side) keeps them here rather than as millions of small objects:
// a block of 16 384 numbers is one Float64Array, a block of strings that
// repeat is each distinct one once and a code per value, a block of other
// strings is one run of their bytes. That is far less for the garbage collector to walk,
// and a sealed block never changes, so a checkpoint writes it once and later
// checkpoints only name it (checkpoint/blocks.ts).
//
// Values come back exactly as they went in (-0, NaN, null, undefined, any
// plain value): a block whose values are not all of one simple type is kept as
// an array of them. Rows come back with their fields in the same order.
import type { Row } from '../batch.js';
import type { BlockReader, BlockWriter } from '../checkpoint/blocks.js';

/** 16 384 values per sealed block, unless a test asks for smaller ones. */
const BLOCK_BITS = 14;

/** A sealed block: plain data, never changed once made. */
type SealedBlock =
  | { readonly kind: 'number'; readonly values: Float64Array; readonly nulls: Uint8Array | null }
  /** Strings that repeat (a channel, a URL): each distinct one once, and a code per value. */
  | {
      readonly kind: 'dictionary';
      readonly words: readonly string[];
      readonly codes: Uint16Array | Uint32Array;
      readonly nulls: Uint8Array | null;
    }
  /** 0 false, 1 true, 2 NULL. */
  /**
   * Strings that hardly repeat, as bytes outside the heap: latin1 when every
   * one is ASCII (`wide` 0), else UTF-16LE (1); `ends` in UTF-16 units.
   */
  | {
      readonly kind: 'text';
      readonly bytes: Uint8Array;
      readonly ends: Uint32Array;
      readonly nulls: Uint8Array | null;
      readonly wide: number;
    }
  | { readonly kind: 'boolean'; readonly values: Uint8Array }
  | { readonly kind: 'values'; readonly values: readonly unknown[] };

type Simple = 'number' | 'string' | 'boolean';

/** Blocks sealed without trying a dictionary after one that did not pay. */
const DICTIONARY_RETRY = 7;

/** The one simple type of the non-null values, if there is one and at least one such value. */
function simpleTypeOf(values: readonly unknown[]): Simple | undefined {
  let type: Simple | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null) continue;
    const t = typeof value;
    if (t !== 'number' && t !== 'string' && t !== 'boolean') return undefined;
    if (type === undefined) type = t;
    else if (t !== type) return undefined;
  }
  return type;
}

function nullsOf(values: readonly unknown[]): Uint8Array | null {
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== null) continue;
    nulls ??= new Uint8Array(values.length);
    nulls[i] = 1;
  }
  return nulls;
}

/** `tryDictionary`: whether strings are worth counting for a dictionary this time. */
function seal(values: unknown[], tryDictionary: boolean): SealedBlock {
  const n = values.length;
  switch (simpleTypeOf(values)) {
    case 'number': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = (values[i] as number | null) ?? 0;
      return { kind: 'number', values: out, nulls: nullsOf(values) };
    }
    case 'string':
      return (
        (tryDictionary ? dictionaryOf(values as (string | null)[]) : undefined) ??
        textOf(values as (string | null)[])
      );
    case 'boolean': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = values[i] === null ? 2 : values[i] ? 1 : 0;
      return { kind: 'boolean', values: out };
    }
    default:
      return { kind: 'values', values };
  }
}

function read(block: SealedBlock, i: number, view: Buffer | undefined): unknown {
  switch (block.kind) {
    case 'text': {
      if (block.nulls !== null && block.nulls[i] === 1) return null;
      const start = i === 0 ? 0 : block.ends[i - 1]!;
      const end = block.ends[i]!;
      return block.wide === 0
        ? view!.toString('latin1', start, end)
        : view!.toString('utf16le', start * 2, end * 2);
    }
    case 'number':
      return block.nulls !== null && block.nulls[i] === 1 ? null : block.values[i];
    case 'dictionary':
      return block.nulls !== null && block.nulls[i] === 1 ? null : block.words[block.codes[i]!];
    case 'boolean': {
      const b = block.values[i];
      return b === 2 ? null : b === 1;
    }
    default:
      return block.values[i];
  }
}

/** Strings joined at a time while written out: short enough to stay in the young generation. */
const TEXT_RUN = 256;

/**
 * The strings as one run of bytes and where each ends: one object for the
 * collector instead of thousands, and bytes a checkpoint copies as they are.
 */
function textOf(values: readonly (string | null)[]): SealedBlock {
  const n = values.length;
  const ends = new Uint32Array(n);
  let end = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== null) end += v!.length;
    ends[i] = end;
  }
  const nulls = nullsOf(values);
  // Written as UTF-8, a run says whether it was ASCII (as many bytes as
  // units); four bytes of room past the end so a wider run cannot pass as one.
  const bytes = new Uint8Array(end + 4);
  const view = viewOf(bytes);
  let at = 0;
  for (let i = 0; i < n; i += TEXT_RUN) {
    const run = runOf(values, i);
    const written = view.write(run, at, 'utf8');
    if (written !== run.length) {
      const wide = new Uint8Array(end * 2);
      const wideView = viewOf(wide);
      at = 0;
      for (let j = 0; j < n; j += TEXT_RUN) at += wideView.write(runOf(values, j), at, 'utf16le');
      return { kind: 'text', bytes: wide, ends, nulls, wide: 1 };
    }
    at += written;
  }
  return { kind: 'text', bytes: bytes.subarray(0, end), ends, nulls, wide: 0 };
}

/** The strings from `from` on, TEXT_RUN of them, as one (NULL as ''). */
function runOf(values: readonly (string | null)[], from: number): string {
  const to = Math.min(values.length, from + TEXT_RUN);
  let run = '';
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v !== null) run += v;
  }
  return run;
}

function viewOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The values as words and codes, unless more than one in 64 is distinct
 * (found out as soon as it is: counting costs a map insert per word, so a
 * column of mostly distinct strings gives up early).
 */
function dictionaryOf(values: readonly (string | null)[]): SealedBlock | undefined {
  const n = values.length;
  const most = Math.max(1, n >>> 6);
  const index = new Map<string, number>();
  const words: string[] = [];
  const codes = most < 0x10000 ? new Uint16Array(n) : new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (value === null || value === undefined) continue;
    let code = index.get(value);
    if (code === undefined) {
      if (words.length === most) return undefined;
      code = words.push(value) - 1;
      index.set(value, code);
    }
    codes[i] = code;
  }
  return { kind: 'dictionary', words, codes, nulls: nullsOf(values) };
}

const KINDS: ReadonlySet<string> = new Set(['number', 'dictionary', 'text', 'boolean', 'values']);

function asBlock(plain: object): SealedBlock {
  const kind = (plain as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !KINDS.has(kind))
    throw new Error(`a state block of kind ${String(kind)} is not one of a column's`);
  if (kind === 'text') {
    const { bytes, ends, wide } = plain as { bytes?: unknown; ends?: unknown; wide?: unknown };
    const units = ends instanceof Uint32Array && ends.length > 0 ? ends[ends.length - 1]! : 0;
    if (
      !(bytes instanceof Uint8Array) ||
      !(ends instanceof Uint32Array) ||
      (wide !== 0 && wide !== 1) ||
      bytes.length !== units * (wide === 1 ? 2 : 1)
    )
      throw new Error('a state block of text is damaged');
  }
  return plain as SealedBlock;
}

/** A column as a snapshot holds it. */
export interface ColumnSnapshot {
  /** log2 of the values per sealed block. */
  readonly bits: number;
  readonly sealed: readonly unknown[];
  readonly open: readonly unknown[];
}

/** An append-only sequence of values. */
export class Column {
  readonly #bits: number;
  readonly #mask: number;
  #sealed: SealedBlock[] = [];
  /** A Buffer over each text block's bytes (to slice strings from), by block. */
  #views: (Buffer | undefined)[] = [];
  #open: unknown[] = [];
  /**
   * Blocks to seal before counting strings for a dictionary again, after a
   * block whose strings hardly repeated (counting them costs a map insert each).
   */
  #skipDictionary = 0;

  /** `bits`: log2 of the values per sealed block. */
  constructor(bits = BLOCK_BITS) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 24)
      throw new RangeError(`a column's block bits must be 1 to 24, not ${bits}`);
    this.#bits = bits;
    this.#mask = (1 << bits) - 1;
  }

  get length(): number {
    return (this.#sealed.length << this.#bits) + this.#open.length;
  }

  push(value: unknown): void {
    this.#open.push(value);
    if (this.#open.length > this.#mask) {
      const block = seal(this.#open, this.#skipDictionary === 0);
      if (this.#skipDictionary > 0) this.#skipDictionary--;
      else if (block.kind === 'text') this.#skipDictionary = DICTIONARY_RETRY;
      this.#sealed.push(block);
      this.#views.push(block.kind === 'text' ? viewOf(block.bytes) : undefined);
      this.#open = [];
    }
  }

  /** The i-th value; i < length. */
  get(i: number): unknown {
    const block = i >>> this.#bits;
    if (block < this.#sealed.length)
      return read(this.#sealed[block]!, i & this.#mask, this.#views[block]);
    return this.#open[i & this.#mask];
  }

  /** Plain data; the sealed blocks go to `blocks`. Valid until the next push. */
  encode(blocks: BlockWriter): ColumnSnapshot {
    return {
      bits: this.#bits,
      sealed: this.#sealed.map((block) => blocks.put(block)),
      open: this.#open,
    };
  }

  static decode(plain: ColumnSnapshot, blocks: BlockReader): Column {
    const column = new Column(plain.bits);
    column.#sealed = plain.sealed.map((reference) => asBlock(blocks.get(reference)));
    column.#views = column.#sealed.map((block) =>
      block.kind === 'text' ? viewOf(block.bytes) : undefined,
    );
    if (plain.open.length > column.#mask)
      throw new Error(`a column's open block holds ${plain.open.length} values`);
    column.#open = [...plain.open];
    return column;
  }
}

/** A row buffer as a snapshot holds it. */
export interface RowColumnsSnapshot {
  readonly bits: number;
  readonly length: number;
  readonly names: readonly string[] | null;
  readonly columns: readonly ColumnSnapshot[];
  /** Rows whose fields are not the first row's, by index: index, row, index, row… */
  readonly odd: readonly unknown[];
}

/**
 * An append-only sequence of rows, one column per field of the first row. A
 * row with other fields (or in another order) is kept whole on the side.
 */
export class RowColumns {
  readonly #bits: number;
  #names: string[] | null = null;
  #columns: Column[] = [];
  #odd = new Map<number, Row>();
  #length = 0;

  /** `bits`: log2 of the rows per sealed block. */
  constructor(bits = BLOCK_BITS) {
    this.#bits = bits;
  }

  get length(): number {
    return this.#length;
  }

  push(row: Row): void {
    if (this.#names === null) this.#layOut(row);
    const names = this.#names!;
    const columns = this.#columns;
    if (sameFields(row, names)) {
      for (let c = 0; c < names.length; c++) columns[c]!.push(row[names[c]!]);
    } else {
      this.#odd.set(this.#length, row);
      for (let c = 0; c < names.length; c++) columns[c]!.push(null);
    }
    this.#length++;
  }

  /** The i-th row, made anew from its columns; i < length. */
  row(i: number): Row {
    if (this.#odd.size > 0) {
      const odd = this.#odd.get(i);
      if (odd !== undefined) return odd;
    }
    const names = this.#names!;
    const columns = this.#columns;
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = columns[c]!.get(i);
    return row;
  }

  #layOut(row: Row): void {
    const names = Object.keys(row);
    // Assigning `__proto__` would set the prototype, not a field: such rows are kept whole.
    this.#names = names.includes('__proto__') ? [] : names;
    this.#columns = this.#names.map(() => new Column(this.#bits));
  }

  encode(blocks: BlockWriter): RowColumnsSnapshot {
    const odd: unknown[] = [];
    for (const [i, row] of this.#odd) odd.push(i, row);
    return {
      bits: this.#bits,
      length: this.#length,
      names: this.#names,
      columns: this.#columns.map((column) => column.encode(blocks)),
      odd,
    };
  }

  static decode(plain: RowColumnsSnapshot, blocks: BlockReader): RowColumns {
    const rows = new RowColumns(plain.bits);
    rows.#length = plain.length;
    rows.#names = plain.names === null ? null : [...plain.names];
    rows.#columns = plain.columns.map((column) => Column.decode(column, blocks));
    for (let i = 0; i < plain.odd.length; i += 2)
      rows.#odd.set(plain.odd[i] as number, plain.odd[i + 1] as Row);
    if (rows.#names !== null && rows.#columns.length !== rows.#names.length)
      throw new Error('a row buffer has a column count unlike its field count');
    for (const column of rows.#columns) {
      if (column.length !== plain.length)
        throw new Error(`a row buffer's column holds ${column.length} values, not ${plain.length}`);
    }
    return rows;
  }
}

/** Whether the row's own enumerable fields are `names`, in that order. */
function sameFields(row: Row, names: readonly string[]): boolean {
  let k = 0;
  for (const key in row) {
    if (key !== names[k]) return false;
    k++;
  }
  return k === names.length;
}
