// The flight recorder of one edge: a bounded ring of the records that passed
// on it lately, sampled, each with its event time and when it passed, so the
// inspector can go back in time (scrub, filter by an expression, follow a
// key) without the job ever slowing for it. Three bounds hold at once: a
// number of records, an estimate of their bytes, and an age; and a sample
// rate, so a million records a second cost what a few hundred do.
import type { Field, RecordedRecord } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';

export interface RecorderLimits {
  /** At most this many records a second are kept (spread over the batches of that second). */
  readonly perSecond: number;
  /** At most this many records are kept. */
  readonly records: number;
  /** At most about this many bytes of records are kept (an estimate: see approxBytes). */
  readonly bytes: number;
  /** Records older than this are dropped. */
  readonly ageMs: number;
}

export const DEFAULT_RECORDER: RecorderLimits = {
  perSecond: 200,
  records: 10_000,
  bytes: 4 * 1024 * 1024,
  ageMs: 60_000,
};

/**
 * About what a row takes in memory: 16 bytes a field, plus 2 a character of
 * its strings (more for nested values, by their JSON). Cheap, and on the side
 * of too much, so the bound holds.
 */
export function approxBytes(row: Row): number {
  let bytes = 32;
  for (const key in row) {
    const value = row[key];
    bytes += 16 + key.length * 2;
    if (typeof value === 'string') bytes += value.length * 2;
    else if (value !== null && typeof value === 'object') bytes += JSON.stringify(value).length * 2;
  }
  return bytes;
}

interface Entry extends RecordedRecord {
  readonly bytes: number;
}

export interface RecordQuery {
  /** Only records that passed at or before this time (processing time, ms). */
  readonly until?: number;
  /** Only records with a sequence number below this one (to page back). */
  readonly before?: number;
  /** Only records this predicate accepts (a type-checked expression, compiled). */
  readonly where?: (row: Row) => boolean;
  readonly limit: number;
}

export interface RecorderPage {
  /** Newest first. */
  readonly records: RecordedRecord[];
  /** Records kept now, and the oldest and newest of their arrival times. */
  readonly kept: number;
  readonly bytes: number;
  readonly oldestAt: number | null;
  readonly newestAt: number | null;
  /** Records that passed the edge since the job started, kept or not. */
  readonly passed: number;
}

export class Recorder {
  readonly fields: readonly Field[];
  readonly #limits: RecorderLimits;
  /** Oldest first; `#head` is the index of the oldest live entry (drops advance it, not splice). */
  #entries: Entry[] = [];
  #head = 0;
  #bytes = 0;
  #seq = 0;
  #passed = 0;
  /** Records the rate allows now (fractional), refilled as the clock moves. */
  #tokens: number;
  #filledAt = Number.NEGATIVE_INFINITY;
  #expiredAt = Number.NEGATIVE_INFINITY;

  get limits(): RecorderLimits {
    return this.#limits;
  }

  constructor(fields: readonly Field[], limits: RecorderLimits = DEFAULT_RECORDER) {
    this.fields = fields;
    this.#limits = limits;
    this.#tokens = Math.max(1, limits.perSecond / 4);
  }

  get kept(): number {
    return this.#entries.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Keeps what the rate allows of a batch: a bucket refilled at `perSecond`
   * over the clock (up to a quarter second's worth), so the records kept are
   * spread over each second rather than taken from its first batches. A
   * comparison or two when the bucket is empty.
   */
  offer(batch: Batch, now: number): void {
    const n = batch.rows.length;
    this.#passed += n;
    if (now !== this.#filledAt) {
      const burst = Math.max(1, this.#limits.perSecond / 4);
      this.#tokens = Math.min(
        burst,
        this.#tokens + ((now - this.#filledAt) * this.#limits.perSecond) / 1000,
      );
      this.#filledAt = now;
      if (now - this.#expiredAt >= 1000) {
        this.#expiredAt = now;
        this.#expire(now);
      }
    }
    const take = Math.min(n, Math.floor(this.#tokens));
    if (take <= 0) return;
    const step = n / take;
    for (let i = 0; i < take; i++) {
      const at = Math.floor(i * step);
      const row = batch.rows[at]!;
      const bytes = approxBytes(row);
      this.#entries.push({ seq: this.#seq++, time: batch.times[at]!, at: now, row, bytes });
      this.#bytes += bytes;
    }
    this.#tokens -= take;
    this.#trim();
  }

  /** The latest records that match, newest first, at most `limit`. */
  query(q: RecordQuery, now: number): RecorderPage {
    this.#expire(now);
    const records: RecordedRecord[] = [];
    for (let i = this.#entries.length - 1; i >= this.#head && records.length < q.limit; i--) {
      const e = this.#entries[i]!;
      if (q.before !== undefined && e.seq >= q.before) continue;
      if (q.until !== undefined && e.at > q.until) continue;
      if (q.where && !q.where(e.row)) continue;
      records.push({ seq: e.seq, time: e.time, at: e.at, row: e.row });
    }
    const oldest = this.#entries[this.#head];
    const newest = this.#entries[this.#entries.length - 1];
    return {
      records,
      kept: this.kept,
      bytes: this.#bytes,
      oldestAt: this.kept > 0 && oldest ? oldest.at : null,
      newestAt: this.kept > 0 && newest ? newest.at : null,
      passed: this.#passed,
    };
  }

  #expire(now: number): void {
    const cutoff = now - this.#limits.ageMs;
    while (this.#head < this.#entries.length && this.#entries[this.#head]!.at < cutoff)
      this.#drop();
    this.#compact();
  }

  #trim(): void {
    while (
      this.kept > 0 &&
      (this.kept > this.#limits.records || this.#bytes > this.#limits.bytes)
    ) {
      this.#drop();
    }
    this.#compact();
  }

  #drop(): void {
    const e = this.#entries[this.#head]!;
    this.#bytes -= e.bytes;
    // Let the row go now: the slot stays until the next compaction.
    this.#entries[this.#head] = undefined as unknown as Entry;
    this.#head++;
  }

  /** Once half the array is dropped entries, it is copied down: amortized O(1) a record. */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
