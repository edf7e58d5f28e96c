// One side of a join that keeps records across watermarks (the interval and
// the regular join): its records per key in time order, each kept until the
// watermark reaches its time + the side's retention, dropped key by key
// through a queue of expiry times so a watermark costs only the keys it expires.
// The records are operator state, in a map of the store; the queue and the
// count are an index over them, rebuilt on restore.
import type { Row } from '../../batch.js';
import type { StateStore } from '../../runtime/state.js';
import { ExpiryQueue } from './expiry-queue.js';
import type { JoinKey } from './keys.js';
import { TimeOrderedRows, timeOrderedRowsCodec } from './time-ordered-rows.js';

export class KeptRows {
  readonly #byKey: Map<JoinKey, TimeOrderedRows>;
  readonly #expiry = new ExpiryQueue();
  /** A record at t is kept while the watermark is below t + retention. */
  readonly retention: number;
  /** Records kept, over all keys. */
  count = 0;

  /** The records are kept in the store's map called `name`. */
  constructor(state: StateStore, name: string, retention: number) {
    this.#byKey = state.map<JoinKey, TimeOrderedRows>(name, timeOrderedRowsCodec);
    this.retention = retention;
    state.afterRestore(() => this.#reindex());
  }

  /** One queue entry per key, for its earliest record, and the count, from the restored records. */
  #reindex(): void {
    this.#expiry.clear();
    this.count = 0;
    for (const [key, rows] of this.#byKey) {
      this.count += rows.size;
      rows.scheduled = rows.first + this.retention;
      this.#expiry.push(rows.scheduled, key);
    }
  }

  /** The records kept for a key, in time order. */
  of(key: JoinKey): TimeOrderedRows | undefined {
    return this.#byKey.get(key);
  }

  keep(key: JoinKey, time: number, row: Row): void {
    let rows = this.#byKey.get(key);
    if (rows === undefined) {
      rows = new TimeOrderedRows();
      this.#byKey.set(key, rows);
    }
    rows.insert(time, row);
    this.count++;
    const expiresAt = time + this.retention;
    // One queue entry per key, for its earliest record; an earlier arrival
    // supersedes it and the old entry is skipped when it comes up.
    if (expiresAt < rows.scheduled) {
      rows.scheduled = expiresAt;
      this.#expiry.push(expiresAt, key);
    }
  }

  /** Drops the records with t + retention ≤ watermark, key by key in expiry order. */
  expire(watermark: number): void {
    const queue = this.#expiry;
    while (queue.size > 0 && queue.peekTime() <= watermark) {
      const at = queue.peekTime();
      const key = queue.pop();
      const rows = this.#byKey.get(key);
      if (rows === undefined || rows.scheduled !== at) continue;
      this.count -= rows.dropThrough(watermark - this.retention);
      if (rows.size === 0) {
        this.#byKey.delete(key);
      } else {
        rows.scheduled = rows.first + this.retention;
        queue.push(rows.scheduled, key);
      }
    }
  }

  /**
   * The earliest time of a kept record, or a time before it (the queue's head
   * may be a superseded entry, which is only earlier); +Infinity when none.
   */
  since(): number {
    if (this.count === 0) return Number.POSITIVE_INFINITY;
    return this.#expiry.peekTime() - this.retention;
  }

  /** Keys with records kept. */
  get keys(): number {
    return this.#byKey.size;
  }

  clear(): void {
    this.#byKey.clear();
    this.#expiry.clear();
    this.count = 0;
  }
}
