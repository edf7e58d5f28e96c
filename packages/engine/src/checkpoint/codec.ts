// The bytes of one checkpoint file:
//
//   SLUICE-CHECKPOINT\n              magic, the same in every format version
//   {"format":"sluice.checkpoint/v2",...}\n   one JSON line: the header
//   <payload>                        zstd(frames): the state's, then one per block
//
// A frame is [u64 LE length][bytes], the bytes v8.serialize(state) for the
// first, block-bytes.ts's for the others; all of them one zstd stream.
// v2 added blocks (checkpoint/blocks.ts): the frames after the state's are the
// state blocks first written in this file, and the header's `references` names
// the earlier files whose blocks the state refers to. Blocks are serialized
// one by one after the cut (they never change), between the job's batches.
// A v1 payload was zstd(v8.serialize(state)), no blocks.
//
// The magic and "a JSON line with `format`" are all a future version must
// keep, so that this code can always say which version it found. The header is
// readable without touching the payload (list() reads only it); the payload
// carries its length and sha256 so a torn or damaged file is told apart from a
// good one before anything is decoded.
//
// Why v8.serialize: it carries every plain JS value exactly (NaN, -0, bigint,
// Map, Set, Uint8Array, undefined), it is the fastest encoder Node has for
// them, and V8 reads the older versions of its own format. Our format version
// sits above it and says how the file around it is laid out.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { createZstdCompress, constants as zlibConstants, zstdDecompress } from 'node:zlib';
import { decodeBlock, FRAME_HEAD } from './block-bytes.js';

/** The format this code writes. */
export const CHECKPOINT_FORMAT = 'sluice.checkpoint/v2';
/** The formats this code reads. */
export const READABLE_FORMATS: readonly string[] = ['sluice.checkpoint/v1', CHECKPOINT_FORMAT];

export const MAGIC = Buffer.from('SLUICE-CHECKPOINT\n', 'latin1');
/** A header longer than this is damage, not a header: it bounds what list() reads per file. */
export const MAX_HEADER_BYTES = 64 * 1024;

export type CheckpointKind = 'checkpoint' | 'savepoint';
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** What the caller says about a checkpoint; stored in the header as JSON. */
export interface CheckpointMeta {
  readonly kind: CheckpointKind;
  readonly [field: string]: JsonValue;
}

export interface CheckpointHeader {
  format: string;
  id: number;
  kind: CheckpointKind;
  createdAt: number;
  meta: CheckpointMeta;
  compression: 'zstd';
  /** Length of the v8-serialized state and blocks, before compression. */
  rawBytes: number;
  /** Length of the payload in the file (compressed). */
  payloadBytes: number;
  /** sha256 of the payload in the file, hex. */
  sha256: string;
  /** The earlier checkpoint files whose blocks this one's state refers to, oldest first (v2). */
  references: number[];
}

/** What a payload holds once decoded. */
export interface DecodedPayload {
  readonly state: unknown;
  /** The blocks first written in this file. */
  readonly blocks: readonly unknown[];
}

/** A file that cannot be read as a checkpoint: torn, damaged or not one at all. */
export class CheckpointReadError extends Error {
  override readonly name = 'CheckpointReadError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`checkpoint file ${file} cannot be read: ${reason}`);
  }
}

/**
 * A checkpoint in a format this Sluice does not read. It is refused, never
 * skipped for an older file: restoring older state without a word would go
 * back in time behind the user's back.
 */
export class CheckpointFormatError extends Error {
  override readonly name = 'CheckpointFormatError';
  constructor(
    readonly file: string,
    readonly found: string,
    readonly path: string,
    writtenBy: string | undefined,
  ) {
    const by = writtenBy === undefined ? '' : ` by Sluice ${writtenBy}`;
    const newer = versionOf(found) > versionOf(CHECKPOINT_FORMAT);
    const advice = newer
      ? `It was written${by || ' by a newer Sluice'}: restore it with that version, or move ${path} out of the checkpoint folder to start this job without its state.`
      : `It was written${by || ' by an older Sluice'} whose checkpoints this version no longer reads: restore it with that version and take a savepoint in a format this one reads, or move ${path} out of the checkpoint folder to start this job without its state.`;
    super(
      `checkpoint file ${file} is in format ${found}; this Sluice reads ${READABLE_FORMATS.join(', ')}. ${advice}`,
    );
  }
}

const FORMAT_PATTERN = /^sluice\.checkpoint\/v(\d+)$/;

function versionOf(format: string): number {
  return Number(FORMAT_PATTERN.exec(format)?.[1] ?? Number.NaN);
}

const decompress = promisify(zstdDecompress);

/** zstd's level for checkpoint payloads (measured in docs/benchmarks.md). */
const ZSTD_LEVEL = 2;

/** v8.serialize, synchronous by nature: the part of a checkpoint that holds the engine's thread. */
export function serializeSnapshot(snapshot: unknown): Buffer {
  return serialize(snapshot);
}

/**
 * A v2 payload, compressed as one zstd stream (on libuv's thread pool) as its
 * frames are added: one compressor for the whole file, however many blocks.
 * The compressed bytes go to `sink` as they come, in order, so a checkpoint of
 * gigabytes never holds its whole compressed payload in memory at once; the
 * writer keeps the payload's length and sha256 for the header.
 */
export class PayloadWriter {
  // Output in chunks of 1 MiB: each chunk is a turn of the event loop, which
  // waits for the job's batch in progress (the default 16 KiB made the
  // compressor wait on the job far more than work).
  // Level 2, not zstd's default 3: a third faster on state blocks (the
  // compressor is what a big checkpoint waits for), a tenth bigger.
  readonly #stream = createZstdCompress({
    chunkSize: 8 << 20,
    params: { [zlibConstants.ZSTD_c_compressionLevel]: ZSTD_LEVEL },
  });
  readonly #hash = createHash('sha256');
  #rawBytes = 0;
  #payloadBytes = 0;
  /** The sink's work so far, in order; the first failure stays. */
  #sunk: Promise<void> = Promise.resolve();

  /** `sink` is handed each compressed chunk in order, and waited for before the next. */
  constructor(sink: (chunk: Buffer) => Promise<void>) {
    this.#stream.on('data', (chunk: Buffer) => {
      this.#hash.update(chunk);
      this.#payloadBytes += chunk.length;
      this.#sunk = this.#sunk.then(() => sink(chunk));
      // A failed write is reported by the next addFramed or finish, not as an unhandled rejection meanwhile.
      this.#sunk.catch(() => {});
    });
    // Reported by the write it failed and by finish, never as an uncaught 'error' event.
    this.#stream.on('error', (error) => {
      this.#failure ??= error;
    });
  }

  /** Why the compressor stopped, if it did. */
  #failure: Error | undefined;

  /** Adds `bytes` as a frame. */
  addFrame(bytes: Buffer): Promise<void> {
    const head = Buffer.alloc(FRAME_HEAD);
    head.writeBigUInt64LE(BigInt(bytes.length));
    this.#stream.write(head);
    this.#rawBytes += FRAME_HEAD;
    return this.addFramed(bytes);
  }

  /**
   * Adds bytes framed already; resolves once they are taken in, after which
   * they may be written over (and once the sink has caught up with what came
   * out before, so a slow disk holds the frames back rather than the memory).
   */
  addFramed(bytes: Buffer): Promise<void> {
    this.#rawBytes += bytes.length;
    return new Promise<void>((resolve, reject) => {
      this.#stream.write(bytes, (error) => (error ? reject(error) : resolve()));
    }).then(() => this.#sunk);
  }

  get rawBytes(): number {
    return this.#rawBytes;
  }

  /** Stops compressing; resolves once the sink has done with what it was handed. */
  abandon(): Promise<void> {
    this.#stream.destroy();
    return this.#sunk.catch(() => {});
  }

  /** Once every frame is in and the sink has had every chunk: the payload's length and sha256. */
  finish(): Promise<{ payloadBytes: number; sha256: string }> {
    return new Promise<void>((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      this.#stream.once('error', reject);
      this.#stream.once('end', resolve);
      this.#stream.end();
    })
      .then(() => this.#sunk)
      .then(() => ({ payloadBytes: this.#payloadBytes, sha256: this.#hash.digest('hex') }));
  }
}

/**
 * Room for the header line of a checkpoint whose payload is not written yet:
 * the header as it will be but for its sizes and digest, at their widest.
 */
export function headerRoom(
  header: Omit<CheckpointHeader, 'rawBytes' | 'payloadBytes' | 'sha256'>,
): number {
  const widest = Number.MAX_SAFE_INTEGER;
  return encodeHeader({ ...header, rawBytes: widest, payloadBytes: widest, sha256: '0'.repeat(64) })
    .length;
}

/** The magic and the header line that go before `payload`. */
export function encodeHeader(header: CheckpointHeader, room?: number): Buffer {
  // A header written in room made for it (headerRoom) is padded with spaces, which JSON ignores.
  const json = JSON.stringify(header);
  const pad = room === undefined ? 0 : room - MAGIC.length - Buffer.byteLength(json) - 1;
  if (pad < 0) throw new Error('a checkpoint header outgrew the room made for it');
  const line = Buffer.from(`${json}${' '.repeat(pad)}\n`, 'utf8');
  if (line.length > MAX_HEADER_BYTES)
    throw new Error(`checkpoint meta is too large: the header would be ${line.length} bytes`);
  return Buffer.concat([MAGIC, line]);
}

export function payloadDigest(payload: Uint8Array): string {
  return createHash('sha256').update(payload).digest('hex');
}

/**
 * Reads the header at the start of `bytes` (a whole file, or only its start).
 * Throws CheckpointFormatError for a format this code does not read and
 * CheckpointReadError for anything that is not a whole, sound header.
 */
export function decodeHeader(
  bytes: Buffer,
  file: string,
  path: string,
): { header: CheckpointHeader; payloadOffset: number } {
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    throw new CheckpointReadError(file, 'it does not start like a Sluice checkpoint');
  const end = bytes.indexOf(0x0a, MAGIC.length);
  if (end < 0 || end - MAGIC.length > MAX_HEADER_BYTES)
    throw new CheckpointReadError(file, 'its header is cut short');
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length, end));
  } catch {
    throw new CheckpointReadError(file, 'its header is damaged');
  }
  const fields = (typeof header === 'object' && header !== null ? header : {}) as Record<
    string,
    unknown
  >;
  const format = fields.format;
  // Only a well-formed name of another version is another version; anything
  // else in that field is damage.
  if (
    typeof format === 'string' &&
    !READABLE_FORMATS.includes(format) &&
    FORMAT_PATTERN.test(format)
  ) {
    const meta = fields.meta as Record<string, unknown> | undefined;
    const by = typeof meta?.sluiceVersion === 'string' ? meta.sluiceVersion : undefined;
    throw new CheckpointFormatError(file, format, path, by);
  }
  if (!READABLE_FORMATS.includes(format as string) || !isHeader(fields))
    throw new CheckpointReadError(file, 'its header is damaged');
  // v1 had no blocks, so it refers to no other file.
  if (format !== CHECKPOINT_FORMAT) fields.references = [];
  return { header: fields, payloadOffset: end + 1 };
}

function isHeader(h: Record<string, unknown>): h is Record<string, unknown> & CheckpointHeader {
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  const references = h.format === CHECKPOINT_FORMAT ? h.references : [];
  return (
    Array.isArray(references) &&
    references.every((id) => count(id) && id !== h.id) &&
    count(h.id) &&
    (h.kind === 'checkpoint' || h.kind === 'savepoint') &&
    Number.isFinite(h.createdAt) &&
    typeof h.meta === 'object' &&
    h.meta !== null &&
    h.compression === 'zstd' &&
    count(h.rawBytes) &&
    count(h.payloadBytes) &&
    typeof h.sha256 === 'string'
  );
}

/** Checks and decodes the payload of a whole file. Never returns a partly decoded value. */
export async function decodePayload(
  bytes: Buffer,
  header: CheckpointHeader,
  payloadOffset: number,
  file: string,
): Promise<DecodedPayload> {
  const payload = bytes.subarray(payloadOffset);
  if (payload.length < header.payloadBytes)
    throw new CheckpointReadError(
      file,
      `it is cut short (${payload.length} of ${header.payloadBytes} payload bytes)`,
    );
  if (payload.length > header.payloadBytes)
    throw new CheckpointReadError(file, 'it has bytes after its payload');
  if (payloadDigest(payload) !== header.sha256)
    throw new CheckpointReadError(file, 'its checksum does not match (the file is damaged)');
  if (header.format !== CHECKPOINT_FORMAT) {
    const raw = await inflate(payload, header.rawBytes, file);
    return { state: decode(raw, file), blocks: [] };
  }
  const raw = await inflate(payload, header.rawBytes, file);
  const values: unknown[] = [];
  for (let at = 0; at < raw.length; ) {
    const length = raw.length - at < FRAME_HEAD ? -1 : Number(raw.readBigUInt64LE(at));
    const end = at + FRAME_HEAD + length;
    if (length < 0 || end > raw.length)
      throw new CheckpointReadError(file, `its frame at byte ${at} is cut short`);
    const bytes = raw.subarray(at + FRAME_HEAD, end);
    values.push(values.length === 0 ? decode(bytes, file) : decodeBlockFrame(bytes, file));
    at = end;
  }
  if (values.length === 0) throw new CheckpointReadError(file, 'its payload holds no state');
  return { state: values[0], blocks: values.slice(1) };
}

async function inflate(packed: Buffer, rawLength: number, file: string): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await decompress(packed, { maxOutputLength: Math.max(1, rawLength) });
  } catch (cause) {
    throw new CheckpointReadError(file, `its payload does not decompress (${String(cause)})`);
  }
  if (raw.length !== rawLength)
    throw new CheckpointReadError(file, 'its payload has the wrong length once decompressed');
  return raw;
}

function decodeBlockFrame(raw: Buffer, file: string): object {
  try {
    return decodeBlock(raw);
  } catch (cause) {
    throw new CheckpointReadError(file, `a state block in it does not decode (${String(cause)})`);
  }
}

function decode(raw: Buffer, file: string): unknown {
  try {
    return deserialize(raw);
  } catch (cause) {
    throw new CheckpointReadError(file, `its payload does not decode (${String(cause)})`);
  }
}
