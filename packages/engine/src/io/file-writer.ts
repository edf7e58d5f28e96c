// A file in the data directory, written in order, chunk by chunk, with the
// number of records not yet handed to the OS always known.
import type { WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { DataDir } from './data-dir.js';

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Opens (and truncates) the file as soon as it is made, asynchronously; what
 * is written before the file is open waits in memory. A write error is kept
 * and thrown from the next `write` or `flush`.
 */
export class FileWriter {
  readonly #path: string;
  /** The path as messages name it, relative to the data directory. */
  readonly #shown: string;
  readonly #opened: Promise<void>;
  #stream: WriteStream | undefined;
  /** Chunks written before the file was open, with their record counts. */
  #early: { text: string; records: number }[] = [];
  /** Record counts of the chunks handed to the stream, oldest first, from `#head`. */
  readonly #inFlight: number[] = [];
  #head = 0;
  #unwritten = 0;
  #failure: Error | undefined;
  readonly #waiters: Waiter[] = [];

  /** `after`: the file is opened only once it resolves (what is written waits in memory). */
  constructor(dataDir: DataDir, path: string, after?: Promise<void>) {
    this.#path = path;
    this.#shown = dataDir.shown(path);
    this.#opened = this.#open(dataDir, after);
  }

  /** Records accepted but not yet handed to the OS. */
  get backlog(): number {
    return this.#unwritten;
  }

  /** Appends `text`, which holds `records` records (0 for a header). Throws a write error seen before. */
  write(text: string, records: number): void {
    if (this.#failure) throw this.#failure;
    this.#unwritten += records;
    if (this.#stream) this.#send(this.#stream, text, records);
    else this.#early.push({ text, records });
  }

  /** Resolves when everything written so far is with the OS; rejects on a write error. */
  async flush(): Promise<void> {
    await this.#opened;
    if (this.#failure) throw this.#failure;
    if (this.#head === this.#inFlight.length) return;
    await new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  async close(): Promise<void> {
    await this.#opened;
    const stream = this.#stream;
    if (!stream || stream.destroyed) return;
    stream.end();
    await finished(stream);
  }

  async #open(dataDir: DataDir, after: Promise<void> | undefined): Promise<void> {
    try {
      await after;
      // Emptied only once known to be a regular file of its own (never a hard link to another).
      const handle = await dataDir.openForWriting(this.#path);
      const stream = handle.createWriteStream();
      stream.on('error', (error) => this.#fail(error));
      this.#stream = stream;
      for (const { text, records } of this.#early) this.#send(stream, text, records);
      this.#early = [];
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  #send(stream: WriteStream, text: string, records: number): void {
    this.#inFlight.push(records);
    stream.write(text, this.#written);
  }

  // One callback for every chunk: a stream calls back in write order.
  readonly #written = (error: Error | null | undefined): void => {
    if (error) {
      this.#fail(error);
      return;
    }
    this.#unwritten -= this.#inFlight[this.#head++]!;
    if (this.#head < this.#inFlight.length) return;
    this.#inFlight.length = 0;
    this.#head = 0;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
  };

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure =
      error.name === 'DataDirError'
        ? error
        : new Error(`Could not write '${this.#shown}': ${error.message}`);
    this.#early = [];
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#failure);
  }
}
