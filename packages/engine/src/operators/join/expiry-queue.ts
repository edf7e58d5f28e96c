// A min-heap of (expiry time, key): which keys of an interval join hold
// records the watermark has made useless, found without scanning all state.
// It is an index over the buffers in the state maps (one entry per key with
// buffered records, plus stale entries that are skipped), so a restore from
// those maps can rebuild it.
import type { JoinKey } from './keys.js';

export class ExpiryQueue<K = JoinKey> {
  readonly #times: number[] = [];
  readonly #keys: K[] = [];

  get size(): number {
    return this.#times.length;
  }

  push(time: number, key: K): void {
    const times = this.#times;
    const keys = this.#keys;
    let i = times.length;
    times.push(time);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent]! <= time) break;
      times[i] = times[parent]!;
      keys[i] = keys[parent]!;
      i = parent;
    }
    times[i] = time;
    keys[i] = key;
  }

  /** The earliest expiry time; call only when not empty. */
  peekTime(): number {
    return this.#times[0]!;
  }

  /** Removes the earliest entry and returns its key; call only when not empty. */
  pop(): K {
    const times = this.#times;
    const keys = this.#keys;
    const top = keys[0]!;
    const lastTime = times.pop()!;
    const lastKey = keys.pop()!;
    const n = times.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && times[r]! < times[l]! ? r : l;
      if (times[child]! >= lastTime) break;
      times[i] = times[child]!;
      keys[i] = keys[child]!;
      i = child;
    }
    times[i] = lastTime;
    keys[i] = lastKey;
    return top;
  }

  clear(): void {
    this.#times.length = 0;
    this.#keys.length = 0;
  }
}
