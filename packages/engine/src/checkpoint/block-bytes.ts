// The bytes of one state block in a checkpoint file. A block is a plain object
// of a few fields, mostly typed arrays and arrays of strings (row-columns.ts);
// v8.serialize would do, but it makes a fresh buffer per block, and making
// gigabytes of them on a big heap sets off one full garbage collection after
// another. This writes a block into one buffer reused from block to block: a
// typed array as its bytes, an array of strings as one run of text and where
// each ends; any other field through v8.serialize.
//
//   u32 field count, then per field:
//   u16 name length, name (UTF-8), u8 tag, u32 byte length, bytes
//
// Text: u32 count, u8 encoding (0 latin1 for ASCII, 1 UTF-16LE, exact for
// any string), u32 ends × count (UTF-16 units), u8 null flags × count, text.
import { deserialize, serialize } from 'node:v8';

/** Every frame of a checkpoint payload starts with its length, a u64 LE. */
export const FRAME_HEAD = 8;

const TAG_V8 = 0;
const TAG_FLOAT64 = 1;
const TAG_UINT8 = 2;
const TAG_UINT16 = 3;
const TAG_UINT32 = 4;
const TAG_TEXT = 5;
const TAG_NULL = 6;
/** A string field (a block's kind): its UTF-16LE bytes, exact for any string. */
const TAG_STRING = 7;

/** Strings joined at a time: short enough to stay in the young generation. */
const TEXT_RUN = 256;

type Typed = Float64Array | Uint8Array | Uint16Array | Uint32Array;

function typedTag(value: unknown): number | undefined {
  if (value instanceof Float64Array) return TAG_FLOAT64;
  if (value instanceof Uint8Array && !(value instanceof Buffer)) return TAG_UINT8;
  if (value instanceof Uint16Array) return TAG_UINT16;
  if (value instanceof Uint32Array) return TAG_UINT32;
  return undefined;
}

function isText(value: unknown): value is (string | null)[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (v !== null && typeof v !== 'string') return false;
  }
  return true;
}

/** A buffer that grows as blocks need and is written over by each. */
export class BlockScratch {
  #buffer = Buffer.allocUnsafe(1 << 20);
  #at = 0;

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#at + bytes));
    this.#buffer.copy(bigger, 0, 0, this.#at);
    this.#buffer = bigger;
  }

  #u8(n: number): void {
    this.#room(1);
    this.#buffer[this.#at++] = n;
  }

  #u32(n: number): void {
    this.#room(4);
    this.#at = this.#buffer.writeUInt32LE(n, this.#at);
  }

  #bytes(view: ArrayBufferView): void {
    this.#room(view.byteLength);
    this.#buffer.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), this.#at);
    this.#at += view.byteLength;
  }

  /** Bytes framed since the last take. */
  get size(): number {
    return this.#at;
  }

  /** Appends the block as a frame: its length (u64 LE), then its bytes. */
  frame(block: object): void {
    const headAt = this.#at;
    this.#room(FRAME_HEAD);
    this.#at += FRAME_HEAD;
    this.#encode(block);
    this.#buffer.writeBigUInt64LE(BigInt(this.#at - headAt - FRAME_HEAD), headAt);
  }

  /** The frames appended so far, as a view of this scratch valid until the next frame; starts over. */
  take(): Buffer {
    const framed = this.#buffer.subarray(0, this.#at);
    this.#at = 0;
    return framed;
  }

  #encode(block: object): void {
    const fields = Object.entries(block);
    this.#u32(fields.length);
    for (const [name, value] of fields) {
      const nameBytes = Buffer.from(name, 'utf8');
      this.#room(2);
      this.#at = this.#buffer.writeUInt16LE(nameBytes.length, this.#at);
      this.#bytes(nameBytes);
      const tag =
        value === null
          ? TAG_NULL
          : typeof value === 'string'
            ? TAG_STRING
            : (typedTag(value) ?? (isText(value) ? TAG_TEXT : TAG_V8));
      this.#u8(tag);
      const lengthAt = this.#at;
      this.#u32(0);
      if (tag === TAG_TEXT) this.#text(value as (string | null)[]);
      else if (tag === TAG_STRING) this.#bytes(Buffer.from(value as string, 'utf16le'));
      else if (tag === TAG_V8) this.#bytes(serialize(value));
      else if (tag !== TAG_NULL) this.#bytes(value as Typed);
      this.#buffer.writeUInt32LE(this.#at - lengthAt - 4, lengthAt);
    }
  }

  #text(values: (string | null)[]): void {
    const n = values.length;
    const ends = new Uint32Array(n);
    const nulls = new Uint8Array(n);
    let end = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v === null) nulls[i] = 1;
      else end += v.length;
      ends[i] = end;
    }
    this.#u32(n);
    const encodingAt = this.#at;
    this.#u8(0);
    this.#bytes(ends);
    this.#bytes(nulls);
    const textAt = this.#at;
    // Room for UTF-8 at its widest: written so, a run tells whether it was
    // ASCII (as many bytes as UTF-16 units), and ASCII reads back as latin1.
    this.#room(end * 3);
    for (let i = 0; i < n; i += TEXT_RUN) {
      const run = runOf(values, i);
      const written = this.#buffer.write(run, this.#at, 'utf8');
      if (written !== run.length) {
        // Not ASCII: all of it again as UTF-16LE, exact for any string.
        this.#buffer[encodingAt] = 1;
        this.#at = textAt;
        for (let j = 0; j < n; j += TEXT_RUN)
          this.#at += this.#buffer.write(runOf(values, j), this.#at, 'utf16le');
        return;
      }
      this.#at += written;
    }
  }
}

/**
 * The strings from `from` on, TEXT_RUN of them, as one (NULL as ''). Joined
 * by `+=`, which is cheaper to write out than join(); short enough to stay in
 * the young generation.
 */
function runOf(values: readonly (string | null)[], from: number): string {
  const to = Math.min(values.length, from + TEXT_RUN);
  let run = '';
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v !== null) run += v;
  }
  return run;
}

/** Reads what BlockScratch.encode wrote. Throws on bytes it did not write. */
export function decodeBlock(bytes: Buffer): object {
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new Error(`a state block is cut short at byte ${at}`);
  };
  const u32 = () => {
    need(4);
    const n = bytes.readUInt32LE(at);
    at += 4;
    return n;
  };
  const block: Record<string, unknown> = {};
  const count = u32();
  for (let f = 0; f < count; f++) {
    need(2);
    const nameLength = bytes.readUInt16LE(at);
    at += 2;
    need(nameLength);
    const name = bytes.toString('utf8', at, at + nameLength);
    at += nameLength;
    need(1);
    const tag = bytes[at++]!;
    const length = u32();
    need(length);
    const body = bytes.subarray(at, at + length);
    at += length;
    Object.defineProperty(block, name, {
      value: decodeField(tag, body),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (at !== bytes.length) throw new Error('a state block has bytes after its fields');
  return block;
}

/** A copy of `body` as a typed array (copied: its offset in the file need not be aligned). */
function typed<T>(body: Buffer, make: (buffer: ArrayBuffer) => T, width: number): T {
  if (body.length % width !== 0)
    throw new Error('a state block has a typed array of a broken length');
  const copy = new ArrayBuffer(body.length);
  new Uint8Array(copy).set(body);
  return make(copy);
}

function decodeField(tag: number, body: Buffer): unknown {
  switch (tag) {
    case TAG_V8:
      return deserialize(body);
    case TAG_FLOAT64:
      return typed(body, (b) => new Float64Array(b), 8);
    case TAG_UINT8:
      return typed(body, (b) => new Uint8Array(b), 1);
    case TAG_UINT16:
      return typed(body, (b) => new Uint16Array(b), 2);
    case TAG_UINT32:
      return typed(body, (b) => new Uint32Array(b), 4);
    case TAG_TEXT:
      return decodeText(body);
    case TAG_NULL:
      if (body.length !== 0) throw new Error('a state block has a NULL field with bytes');
      return null;
    case TAG_STRING:
      if (body.length % 2 !== 0)
        throw new Error('a state block has a string field of a broken length');
      return body.toString('utf16le');
    default:
      throw new Error(`a state block has a field of unknown tag ${tag}`);
  }
}

function decodeText(body: Buffer): (string | null)[] {
  if (body.length < 5) throw new Error('a state block has a text field cut short');
  const n = body.readUInt32LE(0);
  const encoding = body[4];
  const endsAt = 5;
  const nullsAt = endsAt + n * 4;
  const textAt = nullsAt + n;
  if (textAt > body.length || (encoding !== 0 && encoding !== 1))
    throw new Error('a state block has a damaged text field');
  const ends = typed(body.subarray(endsAt, nullsAt), (b) => new Uint32Array(b), 4);
  const text = body.toString(encoding === 0 ? 'latin1' : 'utf16le', textAt);
  if (n > 0 && ends[n - 1] !== text.length)
    throw new Error('a state block has a damaged text field');
  const values = new Array<string | null>(n);
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = ends[i]!;
    values[i] = body[nullsAt + i] === 1 ? null : text.slice(start, end);
    start = end;
  }
  return values;
}
