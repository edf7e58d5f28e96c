// Blocks: immutable pieces of state (a sealed block of buffered rows, column
// by column) that a checkpoint writes once and later checkpoints refer to
// instead of writing again. This is what makes a checkpoint incremental: a
// join that buffers millions of rows writes each block of them in the first
// checkpoint after it filled, and every checkpoint after that names it.
//
// An operator's codec hands its blocks to a BlockWriter and embeds what it
// gets back (a reference); on restore it gives the reference to a BlockReader.
// A block must be plain data (checkpoint/plain.ts) and must never change once
// handed over: its identity is what says it was written before.
//
// Three ways to write:
// - inline (tests, anything without a file): the reference is the block
//   itself, so the snapshot value stands alone;
// - standalone (savepoints): every block is written in the file itself, so the
//   file stands alone and may be moved, kept or deleted on its own;
// - a ledger's checkpoint writer: a block not yet in a durable checkpoint is
//   written in this one ([0, i]: the i-th block of this file); one already
//   written is named by the file it is in ([id, i]), and that file is listed
//   in the new checkpoint's header so it is kept as long as something needs it.

/** Where an operator's codec puts its blocks while a snapshot is taken. */
export interface BlockWriter {
  /** A reference to `block` to embed in the snapshot, plain data itself. */
  put(block: object): unknown;
}

/** Where a codec gets its blocks back on restore. */
export interface BlockReader {
  get(reference: unknown): object;
}

/** The reference is the block: the snapshot holds everything itself. */
export const inlineBlocks: BlockWriter & BlockReader = {
  put: (block) => block,
  get: (reference) => {
    if (typeof reference !== 'object' || reference === null || Array.isArray(reference))
      throw new Error('a state block is missing from the snapshot');
    return reference;
  },
};

/** [file id, index]: the index-th block written in that checkpoint file; id 0 is the file itself. */
type FileReference = readonly [number, number];

function isFileReference(reference: unknown): reference is FileReference {
  return (
    Array.isArray(reference) &&
    reference.length === 2 &&
    Number.isSafeInteger(reference[0]) &&
    Number.isSafeInteger(reference[1])
  );
}

/** The writer of one checkpoint: the blocks it writes, and the earlier files it names. */
export class CheckpointBlocks implements BlockWriter {
  /** Blocks written in this checkpoint's file, in order. */
  readonly fresh: object[] = [];
  readonly #freshIndex = new Map<object, number>();
  readonly #references = new Set<number>();
  readonly #ledger: BlockLedger | null;

  /** Without a ledger, every block is written in this file. */
  constructor(ledger: BlockLedger | null) {
    this.#ledger = ledger;
  }

  put(block: object): unknown {
    const written = this.#ledger?.whereWritten(block);
    if (written !== undefined) {
      this.#references.add(written[0]);
      return written;
    }
    let index = this.#freshIndex.get(block);
    if (index === undefined) {
      index = this.fresh.push(block) - 1;
      this.#freshIndex.set(block, index);
    }
    return [0, index];
  }

  /** The earlier checkpoint files this one needs, oldest first. */
  get references(): number[] {
    return [...this.#references].sort((a, b) => a - b);
  }
}

/**
 * Which blocks are in a durable checkpoint file, and where. A block counts as
 * written only once its checkpoint is durable (`confirm`): a checkpoint that
 * failed leaves its blocks to be written by the next one. Held weakly, so a
 * block the operator dropped (a window that fired) is forgotten with it.
 */
export class BlockLedger {
  readonly #written = new WeakMap<object, FileReference>();

  /** A writer for the next checkpoint. */
  begin(): CheckpointBlocks {
    return new CheckpointBlocks(this);
  }

  whereWritten(block: object): FileReference | undefined {
    return this.#written.get(block);
  }

  /** The checkpoint `blocks` wrote is durable as file `id`: its fresh blocks are in it. */
  confirm(blocks: CheckpointBlocks, id: number): void {
    blocks.fresh.forEach((block, i) => {
      this.#written.set(block, [id, i]);
    });
  }

  /** Blocks read back from checkpoint files are written already, where they were read from. */
  adopt(reader: CheckpointFileBlocks): void {
    for (const [block, where] of reader.handedOut) this.#written.set(block, where);
  }
}

/**
 * Blocks of a checkpoint read back: its own (file 0) and those of the earlier
 * files it names. An inline block (a savepoint's) is handed back as it is.
 */
export class CheckpointFileBlocks implements BlockReader {
  readonly #id: number;
  readonly #files: ReadonlyMap<number, readonly unknown[]>;
  /** The blocks handed out, with the file they are in: a ledger adopts them. */
  readonly handedOut: [object, FileReference][] = [];

  /** `files`: per checkpoint id, the blocks written in its file (this one's under its own id). */
  constructor(id: number, files: ReadonlyMap<number, readonly unknown[]>) {
    this.#id = id;
    this.#files = files;
  }

  get(reference: unknown): object {
    if (!isFileReference(reference)) return inlineBlocks.get(reference);
    const file = reference[0] === 0 ? this.#id : reference[0];
    const block = this.#files.get(file)?.[reference[1]];
    if (typeof block !== 'object' || block === null)
      throw new Error(`state block ${reference[1]} of checkpoint ${file} is missing`);
    this.handedOut.push([block, [file, reference[1]]]);
    return block;
  }
}
