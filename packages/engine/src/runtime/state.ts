// All operator state lives in stores handed out by the runtime, so the
// runtime can measure it now and snapshot it for checkpoints later.

export interface StateSize {
  readonly keys: number;
  readonly bytes: number;
}

/** Per-operator state: named maps the operator keeps its keyed state in. */
export class StateStore {
  readonly #maps = new Map<string, Map<unknown, unknown>>();
  #sizer?: () => StateSize;

  /** The map called `name`, created empty on first use. */
  map<K, V>(name: string): Map<K, V> {
    let map = this.#maps.get(name);
    if (!map) {
      map = new Map();
      this.#maps.set(name, map);
    }
    return map as Map<K, V>;
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
    for (const map of this.#maps.values()) {
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
