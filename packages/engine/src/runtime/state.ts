// All operator state lives in stores handed out by the runtime, so the
// runtime can measure it and snapshot it for checkpoints: a checkpoint is
// complete by construction when an operator keeps nothing elsewhere but
// what it can rebuild from the store (an index such as an expiry queue,
// rebuilt in `afterRestore`) or derive from its config.
//
// A snapshot is plain data (what v8.serialize carries exactly: objects,
// arrays, Map, Set, numbers, strings, bigint). Values that are class
// instances (accumulators, row buffers) go through the codec given with
// their map or cell (the checkpoint storage refuses anything else, naming
// where it is). A snapshot may share objects with the live state: it is
// valid until the operator next runs, so it is serialized at once.
//
// A codec may hand immutable pieces of its value (sealed blocks of rows) to the
// BlockWriter it is given, and embed the reference it gets back: a checkpoint
// writes each block once and later checkpoints only name it (blocks.ts).
import { type BlockReader, type BlockWriter, inlineBlocks } from '../checkpoint/blocks.js';

export interface StateSize {
  readonly keys: number;
  readonly bytes: number;
}

/** Turns a state value into plain data and back. */
export interface Codec<V> {
  encode(value: V, blocks: BlockWriter): unknown;
  decode(plain: unknown, blocks: BlockReader): V;
}

/** One named value of an operator's state (a counter, the time windows have fired up to). */
export interface Cell<T> {
  value: T;
}

/** A store's state as plain data. */
export interface StoreSnapshot {
  /** Per map, its entries flattened: key, value, key, value… */
  readonly maps: Record<string, unknown[]>;
  readonly cells: Record<string, unknown>;
}

interface DeclaredMap {
  readonly map: Map<unknown, unknown>;
  readonly codec: Codec<unknown> | undefined;
}

interface DeclaredCell extends Cell<unknown> {
  readonly initial: unknown;
  readonly codec: Codec<unknown> | undefined;
}

/** Per-operator state: named maps and cells the operator keeps its state in. */
export class StateStore {
  readonly #maps = new Map<string, DeclaredMap>();
  readonly #cells = new Map<string, DeclaredCell>();
  readonly #rebuilds: (() => void)[] = [];
  #sizer?: () => StateSize;

  /**
   * The map called `name`, created empty on first use. Keys must be plain
   * values; values too, unless a codec is given.
   */
  map<K, V>(name: string, codec?: Codec<V>): Map<K, V> {
    let declared = this.#maps.get(name);
    if (!declared) {
      declared = { map: new Map(), codec: codec as Codec<unknown> | undefined };
      this.#maps.set(name, declared);
    }
    return declared.map as Map<K, V>;
  }

  /** The cell called `name`, holding `initial` until set (or restored). */
  cell<T>(name: string, initial: T, codec?: Codec<T>): Cell<T> {
    let cell = this.#cells.get(name);
    if (!cell) {
      cell = { value: initial, initial, codec: codec as Codec<unknown> | undefined };
      this.#cells.set(name, cell);
    }
    return cell as Cell<T>;
  }

  /** Runs `rebuild` after a restore has filled the maps and cells: indexes over them are rebuilt here. */
  afterRestore(rebuild: () => void): void {
    this.#rebuilds.push(rebuild);
  }

  /** Everything in the store, as plain data. */
  snapshot(blocks: BlockWriter = inlineBlocks): StoreSnapshot {
    const maps: Record<string, unknown[]> = {};
    for (const [name, { map, codec }] of this.#maps) {
      const flat = new Array<unknown>(map.size * 2);
      let i = 0;
      for (const [key, value] of map) {
        flat[i++] = key;
        flat[i++] = codec ? codec.encode(value, blocks) : value;
      }
      maps[name] = flat;
    }
    const cells: Record<string, unknown> = {};
    for (const [name, cell] of this.#cells) {
      cells[name] = cell.codec ? cell.codec.encode(cell.value, blocks) : cell.value;
    }
    return { maps, cells };
  }

  /**
   * Replaces the store's content with a snapshot's. The operator has declared
   * its maps and cells (by creating them) before; a snapshot naming one it
   * does not have is refused, as it was taken of another operator.
   */
  restore(snapshot: StoreSnapshot, blocks: BlockReader = inlineBlocks): void {
    for (const name of Object.keys(snapshot.maps)) {
      if (!this.#maps.has(name))
        throw new Error(`the snapshot holds a state map '${name}' this operator does not keep`);
    }
    for (const name of Object.keys(snapshot.cells)) {
      if (!this.#cells.has(name))
        throw new Error(`the snapshot holds a state cell '${name}' this operator does not keep`);
    }
    for (const [name, { map, codec }] of this.#maps) {
      map.clear();
      const flat = snapshot.maps[name] ?? [];
      for (let i = 0; i < flat.length; i += 2) {
        map.set(flat[i], codec ? codec.decode(flat[i + 1], blocks) : flat[i + 1]);
      }
    }
    for (const [name, cell] of this.#cells) {
      if (!(name in snapshot.cells)) {
        cell.value = cell.initial;
        continue;
      }
      const plain = snapshot.cells[name];
      cell.value = cell.codec ? cell.codec.decode(plain, blocks) : plain;
    }
    for (const rebuild of this.#rebuilds) rebuild();
  }

  /** Lets an operator report a better size estimate than the default. */
  measureWith(sizer: () => StateSize): void {
    this.#sizer = sizer;
  }

  /** Keys across all maps, and an estimate of their bytes from a small sample. */
  size(): StateSize {
    if (this.#sizer) return this.#sizer();
    let keys = 0;
    let sampled = 0;
    let sampledBytes = 0;
    for (const { map } of this.#maps.values()) {
      keys += map.size;
      let n = 0;
      for (const [key, value] of map) {
        if (n++ >= 8) break;
        sampled++;
        sampledBytes += estimateBytes(key) + estimateBytes(value);
      }
    }
    return { keys, bytes: sampled === 0 ? 0 : Math.round((sampledBytes / sampled) * keys) };
  }
}

/** A rough size in bytes of a value as V8 would hold it; cheap, bounded in depth. */
export function estimateBytes(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'string':
      return 16 + value.length * 2;
    case 'number':
    case 'boolean':
      return 8;
    case 'object': {
      if (value === null) return 8;
      if (depth > 3) return 64;
      if (Array.isArray(value)) {
        const sample = value.slice(0, 8);
        const each =
          sample.reduce((s: number, v) => s + estimateBytes(v, depth + 1), 0) /
          Math.max(1, sample.length);
        return 32 + each * value.length;
      }
      if (value instanceof Set || value instanceof Map) return 64 + value.size * 40;
      let bytes = 32;
      for (const key in value)
        bytes += 8 + estimateBytes((value as Record<string, unknown>)[key], depth + 1);
      return bytes;
    }
    default:
      return 8;
  }
}
