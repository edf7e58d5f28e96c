// The hottest keys of a keyed step, for the bottleneck view: which group-by
// (or join, or partition-by) values take the most of its records. Counted on
// a sample of its input — about one record in SAMPLE_EVERY, at most
// SAMPLE_MAX per batch — in a Space-Saving summary (Metwally, Agrawal and El
// Abbadi, 2005) of CAPACITY counters: any key with more than 1/CAPACITY of
// the sample is in it, its count over-estimated by at most the smallest
// counter. Two generations of PERIOD_MS each, so the figures follow the
// recent stream rather than all of it.
import type { HotKey } from '@sluice/shared';
import type { Row } from '../batch.js';

/** About one record in this many is counted. */
export const SAMPLE_EVERY = 16;
/** At most this many records of a batch are counted. */
const SAMPLE_MAX = 64;
/** Counters kept: keys with more than 1/CAPACITY of the sample are never missed. */
const CAPACITY = 64;
/** How long one generation counts before the older is dropped. */
export const PERIOD_MS = 30_000;

/** One generation of Space-Saving counters. */
class Summary {
  readonly counts = new Map<string, number>();
  total = 0;

  offer(key: string): void {
    this.total++;
    const count = this.counts.get(key);
    if (count !== undefined) {
      this.counts.set(key, count + 1);
      return;
    }
    if (this.counts.size < CAPACITY) {
      this.counts.set(key, 1);
      return;
    }
    // Full: the new key takes the place (and the count, plus one) of the least counted.
    let least: string | undefined;
    let min = Number.POSITIVE_INFINITY;
    for (const [k, c] of this.counts) {
      if (c < min) {
        min = c;
        least = k;
      }
    }
    this.counts.delete(least!);
    this.counts.set(key, min + 1);
  }
}

/** A key's values as the canvas shows them: `books`, `books, 2024`, `NULL`. */
function keyText(row: Row, fields: readonly string[]): string {
  let text = '';
  for (let i = 0; i < fields.length; i++) {
    const value = row[fields[i]!];
    const part = value === null || value === undefined ? 'NULL' : String(value);
    text = i === 0 ? part : `${text}, ${part}`;
  }
  return text;
}

export class HotKeys {
  #current = new Summary();
  #previous = new Summary();
  #since: number;
  /** Where the next batch's sample starts: the gap left over from the last one. */
  #offset = 0;
  #random = 0x9e3779b9 | 0;

  constructor(
    /** Per input port, the fields its records are keyed by (empty: not keyed on that port). */
    readonly fields: readonly (readonly string[])[],
    now: number,
  ) {
    this.#since = now;
  }

  /** Counts a sample of a batch that arrived on `port`. */
  offer(rows: readonly Row[], port: number, now: number): void {
    const fields = this.fields[port];
    if (fields === undefined || fields.length === 0) return;
    if (now - this.#since >= PERIOD_MS) {
      this.#previous = this.#current;
      this.#current = new Summary();
      this.#since = now;
    }
    let taken = 0;
    let i = this.#offset;
    for (; i < rows.length && taken < SAMPLE_MAX; i += this.#gap()) {
      this.#current.offer(keyText(rows[i]!, fields));
      taken++;
    }
    // The next batch goes on where this one's sampling would have.
    this.#offset = Math.max(0, i - rows.length);
  }

  /** The gap to the next sampled record: 1 to 2 × SAMPLE_EVERY − 1, at random, so a periodic stream is not sampled in step with itself. */
  #gap(): number {
    // xorshift32: cheap, and enough to break any period in the data.
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    return 1 + ((x >>> 0) % (2 * SAMPLE_EVERY - 1));
  }

  /** The `limit` hottest keys of the last one to two periods, with their share of the sample. */
  top(limit: number): { keys: HotKey[]; sampled: number } {
    const merged = new Map(this.#previous.counts);
    for (const [k, c] of this.#current.counts) merged.set(k, (merged.get(k) ?? 0) + c);
    const sampled = this.#previous.total + this.#current.total;
    const keys = [...merged]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([key, count]) => ({ key, share: sampled === 0 ? 0 : Math.min(1, count / sampled) }));
    return { keys, sampled };
  }
}
