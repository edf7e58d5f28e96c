// One key's kept records of one side of a join, in event-time
// order (equal times in arrival order), so a probe reads one time range and
// expiry drops a prefix.
import type { Row } from '../../batch.js';
import type { Codec } from '../../runtime/state.js';

export class TimeOrderedRows {
  /** Index of the first live record: expired records are dropped by moving it. */
  head = 0;
  /** The expiry time of this key's live entry in the expiry queue. */
  scheduled = Number.POSITIVE_INFINITY;

  /** `times` in order with `rows` beside them, all live (as a checkpoint holds them). */
  constructor(
    readonly times: number[] = [],
    readonly rows: Row[] = [],
  ) {}

  get size(): number {
    return this.times.length - this.head;
  }

  /** The time of the earliest live record. */
  get first(): number {
    return this.times[this.head]!;
  }

  /** Adds a record after every record at or before its time. */
  insert(time: number, row: Row): void {
    const n = this.times.length;
    if (n === this.head || this.times[n - 1]! <= time) {
      // Records mostly arrive in time order: appending is the common case.
      this.times.push(time);
      this.rows.push(row);
      return;
    }
    const at = this.after(time);
    this.times.splice(at, 0, time);
    this.rows.splice(at, 0, row);
  }

  /** Index of the first live record with time ≥ `time`. */
  from(time: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops the records with time ≤ `time`; returns how many. */
  dropThrough(time: number): number {
    const end = this.after(time);
    const dropped = end - this.head;
    this.head = end;
    // Compact once the dead prefix outweighs the live records, so memory stays
    // proportional to what is live and each record is moved O(1) times on average.
    if (this.head > 32 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.rows.splice(0, this.head);
      this.head = 0;
    }
    return dropped;
  }

  /** Index of the first live record with time > `time`. */
  private after(time: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * A key's live records as [times, rows] for a checkpoint: the arrays
 * themselves when nothing is dropped, else copies of their live part. The
 * expiry queue entry is not kept: it is rebuilt from the earliest time.
 */
export const timeOrderedRowsCodec: Codec<TimeOrderedRows> = {
  encode(buffer) {
    const { times, rows, head } = buffer;
    return head === 0 ? [times, rows] : [times.slice(head), rows.slice(head)];
  },
  decode(plain) {
    const [times, rows] = plain as [number[], Row[]];
    return new TimeOrderedRows(times, rows);
  },
};
