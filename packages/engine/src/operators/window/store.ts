import type { PendingWindow } from '@sluice/shared';
import type { Row } from '../../batch.js';
import type { WindowOutput } from './output.js';

/** The state of open windows, keyed by group: panes (tumbling, hopping) or sessions. */
export interface WindowStore {
  /** Whether every window a record at `t` belongs to is already cleaned up. */
  isLate(t: number): boolean;
  /**
   * Adds the record the aggregates last read, at window time `t`; `order`
   * orders first/last and `arrival` breaks their ties. A window it updates
   * that has already fired fires again at once, into `out`. Returns when the
   * earliest window it updated fires (for processing-time timers).
   */
  add(row: Row, t: number, order: number, arrival: number, out: WindowOutput): number;
  /** Fires, into `out`, the windows due when progress moves on to `upTo`: by window end, then key first seen. */
  fire(upTo: number, out: WindowOutput): void;
  /** Drops the windows past their allowed lateness, once progress has moved on. */
  cleanUp(): void;
  /** When the next window fires, or +Infinity; may be early, never late. */
  nextFiring(): number;
  /** The earliest window time of a record still held (pane or session start); +Infinity when none. */
  heldSince(): number;
  /** Windows (one per key) that hold state. */
  openWindows(): number;
  /** The `limit` windows (tumbling, hopping: with their keys) or sessions that fire first, and how many are yet to fire. */
  pending(limit: number): { total: number; earliest: PendingWindow[] };
}

/**
 * The `limit` items with the smallest `end`, earliest first, out of any
 * number (a sorted array of at most `limit`, so a million sessions cost one pass).
 */
export function earliestEnds<T extends { end: number }>(items: Iterable<T>, limit: number): T[] {
  const kept: T[] = [];
  for (const item of items) {
    if (kept.length === limit && item.end >= kept[limit - 1]!.end) continue;
    let at = kept.length;
    while (at > 0 && kept[at - 1]!.end > item.end) at--;
    kept.splice(at, 0, item);
    if (kept.length > limit) kept.pop();
  }
  return kept;
}
