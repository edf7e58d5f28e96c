// Checkpoints and savepoints of one job, as files in a directory of their own.
// Knows nothing of the runtime: it takes a snapshot value (plain data) and
// gives it back. One CheckpointStorage per directory at a time: on first use it
// deletes the temporary files a crash left, which would be another writer's.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BlockScratch } from './block-bytes.js';
import { type CheckpointBlocks, CheckpointFileBlocks } from './blocks.js';
import {
  CHECKPOINT_FORMAT,
  type CheckpointHeader,
  type CheckpointKind,
  type CheckpointMeta,
  CheckpointReadError,
  decodeHeader,
  decodePayload,
  encodeHeader,
  headerRoom,
  MAGIC,
  MAX_HEADER_BYTES,
  PayloadWriter,
  serializeSnapshot,
} from './codec.js';
import { checkPlainData } from './plain.js';

export interface CheckpointStorageOptions {
  /** How many checkpoints to keep after each checkpoint written (savepoints are kept until removed). */
  keep?: number;
  /** Where `createdAt` comes from; epoch milliseconds. */
  clock?: { now(): number };
  /** Told of each file skipped because it cannot be read; the message names the file and why. */
  onWarning?: (message: string) => void;
  /**
   * Refuse a snapshot holding anything but plain data (see plain.ts). On by
   * default; it adds a fifth to a half of v8.serialize's own time on the
   * engine's thread (npm run bench:checkpoint).
   */
  checkPlainData?: boolean;
}

/** What the header of a checkpoint file says, without its payload. */
export interface CheckpointInfo {
  id: number;
  kind: CheckpointKind;
  createdAt: number;
  /** The size of the file. */
  bytes: number;
  /** The size of the snapshot serialized, before compression. */
  rawBytes: number;
  /** The file's name in the directory. */
  file: string;
  meta: CheckpointMeta;
  /** The earlier checkpoint files whose blocks this one refers to (kept while it is). */
  references: number[];
}

/** A checkpoint just written, with what writing it cost. */
export interface WrittenCheckpoint extends CheckpointInfo {
  /** Time on the caller's thread: the plain-data check and v8.serialize, of the state and its blocks. */
  serializeMs: number;
  /** From the cut until the payload was ready, but for writeMs: serializeMs, compression (off the thread) and the waits between. */
  encodeMs: number;
  /** Writing (the payload as it is compressed, then the header), fsync of file and directory, rename. */
  writeMs: number;
}

/** A snapshot serialized by `encode`, waiting to be written. */
export interface EncodedSnapshot {
  /** The state, serialized at the cut. */
  readonly raw: Buffer;
  /** The blocks first written in this checkpoint: serialized later, one by one. */
  readonly blocks: readonly object[];
  /** The earlier checkpoint files the snapshot's blocks are in. */
  readonly references: readonly number[];
  readonly serializeMs: number;
  /** When it was taken (epoch ms): the checkpoint's createdAt. */
  readonly at: number;
}

export interface RestoredCheckpoint {
  info: CheckpointInfo;
  snapshot: unknown;
  /** The state blocks the snapshot refers to, read from its file and those it names. */
  blocks: CheckpointFileBlocks;
}

/** At most this long on the engine's thread per turn of the event loop, writing blocks… */
const BLOCK_SLICE_MS = 4;
/** …and at most this many bytes of them. */
const BLOCK_SLICE_BYTES = 32 << 20;

const NAME = /^(checkpoint|savepoint)-(\d{12,})\.ckpt$/;
const TEMPORARY = /^(checkpoint|savepoint)-\d{12,}\.ckpt\.tmp-[0-9a-f]{16}$/;

interface Entry {
  id: number;
  kind: CheckpointKind;
  file: string;
}

function fileName(kind: CheckpointKind, id: number): string {
  return `${kind}-${String(id).padStart(12, '0')}.ckpt`;
}

export class CheckpointStorage {
  readonly dir: string;
  readonly #keep: number;
  readonly #clock: { now(): number };
  readonly #warn: (message: string) => void;
  readonly #checkPlain: boolean;
  /** Every operation runs after the one before, so ids, pruning and reads never race. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Set once the directory is made, cleaned of temporary files and scanned for the next id. */
  #opened = false;
  #nextId = 1;
  /** Blocks are written through them, one checkpoint at a time (the queue keeps writes apart). */
  readonly #scratches = [new BlockScratch(), new BlockScratch()];

  constructor(dir: string, options: CheckpointStorageOptions = {}) {
    const keep = options.keep ?? 3;
    if (!Number.isSafeInteger(keep) || keep < 1)
      throw new RangeError(`keep must be a whole number of at least 1, not ${keep}`);
    this.dir = dir;
    this.#keep = keep;
    this.#clock = options.clock ?? Date;
    this.#warn = options.onWarning ?? (() => {});
    this.#checkPlain = options.checkPlainData ?? true;
  }

  /**
   * Writes `snapshot` as the next checkpoint or savepoint. The snapshot is
   * checked and serialized before this returns its promise, so the caller may
   * change its state right after: what is written is the value at the call.
   */
  write(snapshot: unknown, meta: CheckpointMeta): Promise<WrittenCheckpoint> {
    let encoded: EncodedSnapshot;
    try {
      encoded = this.encode(snapshot);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.writeEncoded(encoded, meta);
  }

  /**
   * The synchronous half of `write`: checks and serializes the snapshot now,
   * for a caller that must write it later (a job writes its checkpoint only
   * once the sinks have written what came before the cut). `blocks` is the
   * writer the snapshot was taken with, if it was not taken inline: its fresh
   * blocks go into this file, and the files it refers to are named.
   */
  encode(snapshot: unknown, blocks?: CheckpointBlocks): EncodedSnapshot {
    const started = performance.now();
    if (this.#checkPlain) checkPlainData(snapshot);
    const raw = serializeSnapshot(snapshot);
    return {
      raw,
      blocks: blocks?.fresh ?? [],
      references: blocks?.references ?? [],
      serializeMs: performance.now() - started,
      at: this.#clock.now(),
    };
  }

  /**
   * The asynchronous half of `write`: compresses and writes what `encode` gave.
   * Aborted through `signal` before its last block is in, it stops, deletes
   * its temporary file and rejects with the signal's reason.
   */
  writeEncoded(
    encoded: EncodedSnapshot,
    meta: CheckpointMeta,
    signal?: AbortSignal,
  ): Promise<WrittenCheckpoint> {
    if (meta.kind !== 'checkpoint' && meta.kind !== 'savepoint')
      return Promise.reject(
        new TypeError(`meta.kind must be 'checkpoint' or 'savepoint', not ${String(meta.kind)}`),
      );
    const { raw, at: createdAt, references } = encoded;
    let serializeMs = encoded.serializeMs;
    const started = performance.now() - serializeMs;
    return this.#run(async () => {
      const id = this.#nextId;
      const file = fileName(meta.kind, id);
      const header = {
        format: CHECKPOINT_FORMAT,
        id,
        kind: meta.kind,
        createdAt,
        meta,
        compression: 'zstd' as const,
        references: [...references],
      };
      // The payload goes to the file as it is compressed, after room left for
      // the header, which is written last (it holds the payload's size and digest).
      const room = headerRoom(header);
      const temporary = join(this.dir, `${file}.tmp-${randomBytes(8).toString('hex')}`);
      signal?.throwIfAborted();
      const handle = await open(temporary, 'wx', 0o600);
      let written: { rawBytes: number; payloadBytes: number; sha256: string; writeMs: number };
      let writer: PayloadWriter | undefined;
      try {
        let position = room;
        let writeMs = 0;
        writer = new PayloadWriter(async (chunk) => {
          const began = performance.now();
          await handle.write(chunk, 0, chunk.length, position);
          position += chunk.length;
          writeMs += performance.now() - began;
        });
        await writer.addFrame(raw);
        // A block never changes, so it is written now rather than at the cut:
        // a slice of blocks per turn of the event loop, the job's batches
        // running in between, so a large state costs the job a share of its
        // thread rather than a pause.
        // Two scratches: one slice is compressed while the next is written.
        const { blocks } = encoded;
        const taken: (Promise<void> | undefined)[] = [undefined, undefined];
        for (let i = 0, k = 0; i < blocks.length; k ^= 1) {
          await new Promise((resolve) => setImmediate(resolve));
          // Taken in by the compressor before its scratch is written over.
          await taken[k];
          signal?.throwIfAborted();
          const scratch = this.#scratches[k]!;
          const began = performance.now();
          do {
            if (this.#checkPlain) checkPlainData(blocks[i]);
            scratch.frame(blocks[i++]!);
          } while (
            i < blocks.length &&
            performance.now() - began < BLOCK_SLICE_MS &&
            scratch.size < BLOCK_SLICE_BYTES
          );
          serializeMs += performance.now() - began;
          const added = writer.addFramed(scratch.take());
          // Awaited below; given up before that (aborted, or a write failed), it must not go unhandled.
          added.catch(() => {});
          taken[k] = added;
        }
        await Promise.all(taken);
        signal?.throwIfAborted();
        const { payloadBytes, sha256 } = await writer.finish();
        const began = performance.now();
        const head = encodeHeader(
          { ...header, rawBytes: writer.rawBytes, payloadBytes, sha256 },
          room,
        );
        await handle.write(head, 0, head.length, 0);
        await handle.sync();
        writeMs += performance.now() - began;
        written = { rawBytes: writer.rawBytes, payloadBytes, sha256, writeMs };
      } catch (error) {
        // No write of it may still be under way when the file goes.
        await writer?.abandon();
        await handle.close().catch(() => {});
        await rm(temporary, { force: true }).catch(() => {});
        throw error;
      }
      const began = performance.now();
      try {
        await handle.close();
        await rename(temporary, join(this.dir, file));
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => {});
        throw error;
      }
      await this.#syncDir();
      // Taken only once the file is in place: a failed write reuses its id.
      this.#nextId = id + 1;
      const writeMs = written.writeMs + performance.now() - began;
      const encodeMs = performance.now() - started - writeMs;
      if (meta.kind === 'checkpoint') await this.#prune();
      return {
        id,
        kind: meta.kind,
        createdAt,
        bytes: room + written.payloadBytes,
        rawBytes: written.rawBytes,
        file,
        meta,
        references: [...references],
        serializeMs,
        encodeMs,
        writeMs,
      };
    });
  }

  /**
   * The newest checkpoint or savepoint that can be read, decoded. A file that
   * cannot be read is skipped with a warning for the next older one; a file in
   * a format this code does not read throws a CheckpointFormatError.
   */
  latest(): Promise<RestoredCheckpoint | undefined> {
    return this.#run(async () => {
      for (const entry of await this.#entries()) {
        try {
          return await this.#restore(entry);
        } catch (error) {
          if (!(error instanceof CheckpointReadError)) throw error;
          this.#warn(`${error.message}; trying the one before it`);
        }
      }
      return undefined;
    });
  }

  /** One checkpoint or savepoint, decoded; throws if it is missing or cannot be read. */
  read(id: number): Promise<RestoredCheckpoint> {
    return this.#run(async () => this.#restore(await this.#entry(id)));
  }

  /**
   * Every checkpoint and savepoint, newest first, from their headers only. A
   * file whose header cannot be read, or is in another format, is left out
   * with a warning: listing restores nothing, so nothing is misread.
   */
  list(): Promise<CheckpointInfo[]> {
    return this.#run(async () => {
      const infos: CheckpointInfo[] = [];
      for (const entry of await this.#entries()) {
        try {
          infos.push(await this.#info(entry));
        } catch (error) {
          if (!(error instanceof Error)) throw error;
          this.#warn(`${error.message}; left out of the list`);
        }
      }
      return infos;
    });
  }

  /** Deletes a checkpoint or savepoint. */
  remove(id: number): Promise<void> {
    return this.#run(async () => {
      const entry = await this.#entry(id);
      await rm(join(this.dir, entry.file));
      await this.#syncDir();
    });
  }

  #run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(async () => {
      // Opened on first use, and again after a failed open (the folder may be back).
      if (!this.#opened) {
        await this.#open();
        this.#opened = true;
      }
      return operation();
    });
    this.#queue = result.catch(() => {});
    return result;
  }

  async #open(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.dir)) {
      if (TEMPORARY.test(name)) await rm(join(this.dir, name), { force: true });
    }
    // Ids continue from what is in the directory, readable or not.
    const [newest] = await this.#entries();
    this.#nextId = (newest?.id ?? 0) + 1;
  }

  /** The checkpoint and savepoint files, newest first. */
  async #entries(): Promise<Entry[]> {
    const entries: Entry[] = [];
    for (const file of await readdir(this.dir)) {
      const match = NAME.exec(file);
      if (match) entries.push({ kind: match[1] as CheckpointKind, id: Number(match[2]), file });
    }
    return entries.sort((a, b) => b.id - a.id);
  }

  async #entry(id: number): Promise<Entry> {
    const entry = (await this.#entries()).find((e) => e.id === id);
    if (!entry) throw new RangeError(`there is no checkpoint ${id} in ${this.dir}`);
    return entry;
  }

  async #restore(entry: Entry): Promise<RestoredCheckpoint> {
    const { bytes, header, decoded } = await this.#read(entry);
    const files = new Map<number, readonly unknown[]>([[header.id, decoded.blocks]]);
    for (const id of header.references) files.set(id, await this.#blocksOf(entry, id));
    return {
      info: infoOf(entry, header, bytes.length),
      snapshot: decoded.state,
      blocks: new CheckpointFileBlocks(header.id, files),
    };
  }

  /** The blocks written in checkpoint `id`, which `entry` refers to. */
  async #blocksOf(entry: Entry, id: number): Promise<readonly unknown[]> {
    const file = fileName('checkpoint', id);
    try {
      return (await this.#read({ kind: 'checkpoint', id, file })).decoded.blocks;
    } catch (error) {
      if (!(error instanceof CheckpointReadError)) throw error;
      throw new CheckpointReadError(
        entry.file,
        `the file ${file} it refers to cannot be read (${error.reason})`,
      );
    }
  }

  /** One file read whole and decoded; throws CheckpointReadError (or a format error) naming it. */
  async #read(entry: Entry) {
    const path = join(this.dir, entry.file);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (cause) {
      throw new CheckpointReadError(entry.file, (cause as Error).message);
    }
    const { header, payloadOffset } = decodeHeader(bytes, entry.file, path);
    this.#checkName(entry, header);
    const decoded = await decodePayload(bytes, header, payloadOffset, entry.file);
    return { bytes, header, decoded };
  }

  async #info(entry: Entry): Promise<CheckpointInfo> {
    const path = join(this.dir, entry.file);
    const handle = await open(path, 'r');
    try {
      const start = Buffer.alloc(MAGIC.length + MAX_HEADER_BYTES + 1);
      const { bytesRead } = await handle.read(start, 0, start.length, 0);
      const { header } = decodeHeader(start.subarray(0, bytesRead), entry.file, path);
      this.#checkName(entry, header);
      return infoOf(entry, header, (await handle.stat()).size);
    } finally {
      await handle.close();
    }
  }

  /** A file renamed by hand must not pass for another checkpoint. */
  #checkName(entry: Entry, header: CheckpointHeader): void {
    if (header.id !== entry.id || header.kind !== entry.kind)
      throw new CheckpointReadError(
        entry.file,
        `its header says it is ${fileName(header.kind, header.id)}`,
      );
  }

  /**
   * Temp file in the same directory, fsync, rename into place, fsync the
   * directory: after a crash the file is either whole under its name or absent.
   */
  async #syncDir(): Promise<void> {
    const handle = await open(this.dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /**
   * Keeps the newest `keep` checkpoints, every savepoint, and the older
   * checkpoint files any of them refers to for its blocks. A file it cannot
   * delete is a warning: the write stands.
   */
  async #prune(): Promise<void> {
    const entries = await this.#entries();
    const checkpoints = entries.filter((e) => e.kind === 'checkpoint');
    const kept = [
      ...checkpoints.slice(0, this.#keep),
      ...entries.filter((e) => e.kind === 'savepoint'),
    ];
    const needed = new Set<number>();
    for (const entry of kept) {
      try {
        for (const id of (await this.#info(entry)).references) needed.add(id);
      } catch {
        // A file whose header cannot be read restores nothing, so it needs nothing kept.
      }
    }
    for (const entry of checkpoints.slice(this.#keep)) {
      if (needed.has(entry.id)) continue;
      try {
        await rm(join(this.dir, entry.file));
      } catch (cause) {
        this.#warn(`old checkpoint file ${entry.file} could not be deleted: ${String(cause)}`);
      }
    }
  }
}

function infoOf(entry: Entry, header: CheckpointHeader, bytes: number): CheckpointInfo {
  return {
    id: header.id,
    kind: header.kind,
    createdAt: header.createdAt,
    bytes,
    rawBytes: header.rawBytes,
    file: entry.file,
    meta: header.meta,
    references: header.references,
  };
}
