// The bytes of one checkpoint file:
//
//   SLUICE-CHECKPOINT\n              magic, the same in every format version
//   {"format":"sluice.checkpoint/v1",...}\n   one JSON line: the header
//   <payload>                        zstd(v8.serialize(snapshot))
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
import { zstdCompress, zstdDecompress } from 'node:zlib';

/** The format this code writes. */
export const CHECKPOINT_FORMAT = 'sluice.checkpoint/v1';
/** The formats this code reads; a migration from an older one is added here when v2 comes. */
export const READABLE_FORMATS: readonly string[] = [CHECKPOINT_FORMAT];

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
  /** Length of the v8-serialized snapshot. */
  rawBytes: number;
  /** Length of the payload in the file (compressed). */
  payloadBytes: number;
  /** sha256 of the payload in the file, hex. */
  sha256: string;
}

/** A file that cannot be read as a checkpoint: torn, damaged or not one at all. */
export class CheckpointReadError extends Error {
  override readonly name = 'CheckpointReadError';
  constructor(
    readonly file: string,
    reason: string,
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

const compress = promisify(zstdCompress);
const decompress = promisify(zstdDecompress);

/** v8.serialize, synchronous by nature: the part of a checkpoint that holds the engine's thread. */
export function serializeSnapshot(snapshot: unknown): Buffer {
  return serialize(snapshot);
}

/** Compresses on libuv's thread pool, off the engine's thread. */
export function compressPayload(raw: Buffer): Promise<Buffer> {
  return compress(raw);
}

/** The magic and the header line that go before `payload`. */
export function encodeHeader(header: CheckpointHeader): Buffer {
  const line = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
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
  if (typeof format === 'string' && format !== CHECKPOINT_FORMAT && FORMAT_PATTERN.test(format)) {
    const meta = fields.meta as Record<string, unknown> | undefined;
    const by = typeof meta?.sluiceVersion === 'string' ? meta.sluiceVersion : undefined;
    throw new CheckpointFormatError(file, format, path, by);
  }
  if (format !== CHECKPOINT_FORMAT || !isHeaderV1(fields))
    throw new CheckpointReadError(file, 'its header is damaged');
  return { header: fields, payloadOffset: end + 1 };
}

function isHeaderV1(h: Record<string, unknown>): h is Record<string, unknown> & CheckpointHeader {
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  return (
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
): Promise<unknown> {
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
  let raw: Buffer;
  try {
    // Bounded by the header, so a damaged header cannot make it fill memory.
    raw = await decompress(payload, { maxOutputLength: Math.max(1, header.rawBytes) });
  } catch (cause) {
    throw new CheckpointReadError(file, `its payload does not decompress (${String(cause)})`);
  }
  if (raw.length !== header.rawBytes)
    throw new CheckpointReadError(file, 'its payload has the wrong length once decompressed');
  try {
    return deserialize(raw);
  } catch (cause) {
    throw new CheckpointReadError(file, `its payload does not decode (${String(cause)})`);
  }
}
