/** A record: field name → value (string, number, boolean or null; timestamps as epoch ms). */
export type Row = Record<string, unknown>;

/**
 * Records move between operators in batches. `times[i]` is the event time of
 * `rows[i]` in epoch milliseconds (its processing time on streams without
 * event time). Operators never change a batch they were handed: it may be
 * shared with other downstream operators.
 */
export interface Batch {
  readonly rows: readonly Row[];
  readonly times: readonly number[];
}

export const EMPTY_BATCH: Batch = { rows: [], times: [] };

/** The watermark of a stream that has ended: every window can fire. */
export const END_OF_TIME = Number.POSITIVE_INFINITY;
/** The watermark before any record: nothing is complete. */
export const START_OF_TIME = Number.NEGATIVE_INFINITY;
