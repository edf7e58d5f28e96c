// A file written exactly once across restarts: what a sink is handed goes to
// a hidden pending file per checkpoint epoch, beside the visible file, and is
// appended to the visible file only once the checkpoint that cut the epoch
// is durable. The sink's state (in its store) says how many bytes are
// visible at the cut and which epochs wait to be published; after a restart
// the visible file is brought to exactly that: epochs of the restored
// checkpoint published (again, from where each starts), anything later
// truncated away (it is written again from the restored positions), and
// leftover pending files deleted.
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { StateStore } from '../runtime/state.js';
import type { DataDir } from './data-dir.js';
import { FileWriter } from './file-writer.js';

/** An epoch cut and not yet visible: it goes into the visible file at `start`. */
interface ClosedEpoch {
  readonly epoch: number;
  readonly start: number;
  readonly bytes: number;
}

const COPY_BYTES = 256 * 1024;

export class EpochFiles {
  readonly #dataDir: DataDir;
  readonly #path: string;
  /** Bytes handed over in all, epochs cut or not: where the visible file ends once all is published. */
  readonly #accepted;
  /** The epoch being written. */
  readonly #epoch;
  /** Where in the visible file the epoch being written starts. */
  readonly #epochStart;
  readonly #closed;
  /** Whether anything was ever written (a CSV header goes first, once). */
  readonly #begun;
  #restored = false;
  #ready: Promise<void> | undefined;
  #writer: FileWriter | undefined;
  /** Writers of cut epochs, until their epoch is published. */
  readonly #closing = new Map<number, FileWriter>();

  constructor(dataDir: DataDir, path: string, state: StateStore) {
    this.#dataDir = dataDir;
    this.#path = path;
    this.#accepted = state.cell('accepted', 0);
    this.#epoch = state.cell('epoch', 0);
    this.#epochStart = state.cell('epochStart', 0);
    this.#closed = state.cell<ClosedEpoch[]>('closed', []);
    this.#begun = state.cell('begun', false);
    state.afterRestore(() => {
      this.#restored = true;
    });
    // The restore, if any, comes right after the operator is made: start once it has had its chance.
    queueMicrotask(() => this.#prepare());
  }

  /** Whether this is the first write of the output (so a CSV header goes first). */
  get begun(): boolean {
    return this.#begun.value;
  }

  get backlog(): number {
    let backlog = this.#writer?.backlog ?? 0;
    for (const writer of this.#closing.values()) backlog += writer.backlog;
    return backlog;
  }

  write(text: string, records: number): void {
    this.#begun.value = true;
    this.#accepted.value += Buffer.byteLength(text);
    this.#current().write(text, records);
  }

  /** Sets the epoch written so far aside, to be published when its checkpoint is durable. */
  cut(): void {
    const epoch = this.#epoch.value;
    const bytes = this.#accepted.value - this.#epochStart.value;
    if (bytes > 0) {
      this.#closed.value = [...this.#closed.value, { epoch, start: this.#epochStart.value, bytes }];
      if (this.#writer) this.#closing.set(epoch, this.#writer);
      this.#writer = undefined;
      this.#epoch.value = epoch + 1;
      this.#epochStart.value = this.#accepted.value;
    }
  }

  /** Waits until what was handed over is in the pending files. */
  async flush(): Promise<void> {
    await this.#prepare();
    await Promise.all([
      this.#writer?.flush(),
      ...[...this.#closing.values()].map((w) => w.flush()),
    ]);
  }

  /** The checkpoint of the last cut is durable: publishes the epochs it cut. */
  async publish(): Promise<void> {
    await this.#prepare();
    const closed = this.#closed.value;
    if (closed.length === 0) return;
    const visible = await this.#dataDir.openForUpdate(this.#path);
    try {
      for (const epoch of closed) {
        const writer = this.#closing.get(epoch.epoch);
        await writer?.close();
        this.#closing.delete(epoch.epoch);
        await this.#append(visible, epoch);
      }
      await visible.datasync();
    } finally {
      await visible.close();
    }
    for (const epoch of closed) await this.#dataDir.remove(this.#pending(epoch.epoch));
    // Only what was published leaves: a cut taken meanwhile stays for its own checkpoint.
    this.#closed.value = this.#closed.value.filter((e) => !closed.includes(e));
  }

  async close(): Promise<void> {
    await this.#ready?.catch(() => {});
    await Promise.allSettled([
      this.#writer?.close(),
      ...[...this.#closing.values()].map((w) => w.close()),
    ]);
  }

  #current(): FileWriter {
    this.#writer ??= new FileWriter(
      this.#dataDir,
      this.#pending(this.#epoch.value),
      this.#prepare(),
    );
    return this.#writer;
  }

  #pending(epoch: number): string {
    return join(dirname(this.#path), `.${basename(this.#path)}.${epoch}.pending`);
  }

  /** Once, before any file is written: a fresh visible file, or the one a restore recovers. */
  #prepare(): Promise<void> {
    this.#ready ??= this.#restored ? this.#recover() : this.#fresh();
    return this.#ready;
  }

  async #fresh(): Promise<void> {
    await this.#removePending();
    // The job starts from scratch: its output replaces the file's.
    await (await this.#dataDir.openForWriting(this.#path)).close();
  }

  async #recover(): Promise<void> {
    // What the checkpoint says, read now: the sink goes on writing (and may be cut) meanwhile.
    const closed = this.#closed.value;
    const accepted = this.#accepted.value;
    const visible = await this.#dataDir.openForUpdate(this.#path);
    try {
      for (const epoch of closed) {
        // Gone: it was published after the checkpoint, and the visible file already holds it.
        if (!(await this.#exists(epoch.epoch))) continue;
        await this.#append(visible, epoch);
      }
      // Anything past the checkpoint's cut is written again from the restored positions.
      await visible.truncate(accepted);
      await visible.datasync();
    } finally {
      await visible.close();
    }
    await this.#removePending();
    // Only the restored epochs were published: one cut since stays for its own checkpoint.
    this.#closed.value = this.#closed.value.filter((e) => !closed.includes(e));
  }

  async #exists(epoch: number): Promise<boolean> {
    const name = basename(this.#pending(epoch));
    return (await this.#dataDir.siblings(this.#path)).includes(name);
  }

  /** Copies a pending epoch into the visible file where it starts. */
  async #append(visible: FileHandle, epoch: ClosedEpoch): Promise<void> {
    const pending = await this.#dataDir.openForReading(this.#pending(epoch.epoch));
    try {
      const buffer = Buffer.allocUnsafe(COPY_BYTES);
      let copied = 0;
      while (copied < epoch.bytes) {
        const want = Math.min(COPY_BYTES, epoch.bytes - copied);
        const { bytesRead } = await pending.read(buffer, 0, want, copied);
        if (bytesRead === 0) {
          throw new Error(
            `'${this.#dataDir.shown(this.#pending(epoch.epoch))}' holds ${copied} bytes, its checkpoint says ${epoch.bytes}: it was changed or cut short outside Sluice.`,
          );
        }
        let written = 0;
        while (written < bytesRead) {
          const result = await visible.write(
            buffer,
            written,
            bytesRead - written,
            epoch.start + copied + written,
          );
          written += result.bytesWritten;
        }
        copied += bytesRead;
      }
    } finally {
      await pending.close();
    }
  }

  /** Deletes every pending file of this output (before any epoch is written). */
  async #removePending(): Promise<void> {
    const prefix = `.${basename(this.#path)}.`;
    for (const name of await this.#dataDir.siblings(this.#path)) {
      if (!name.startsWith(prefix) || !name.endsWith('.pending')) continue;
      if (/^\d+$/.test(name.slice(prefix.length, -'.pending'.length)))
        await this.#dataDir.remove(join(dirname(this.#path), name));
    }
  }
}
