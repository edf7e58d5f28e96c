// Bounds on the values one record's expression may build. A record past them
// goes to the error output with the reason; the job, and its memory, are safe.
import { ExpressionError, showValue } from './error.js';

/** The longest text (in UTF-16 code units, 1 MiB of them) any function or operator returns. */
export const MAX_TEXT_LENGTH = 1_048_576;

/** Timestamps are milliseconds within what a date can hold (±275 000 years), as in ECMAScript. */
export const MAX_TIMESTAMP_MS = 8.64e15;

/** Throws before text of `length` is built by `name` when it would pass MAX_TEXT_LENGTH. */
export function checkTextLength(name: string, length: number): void {
  if (length <= MAX_TEXT_LENGTH) return;
  throw new ExpressionError(
    'too-large',
    `${name} would build text of ${length} characters; the limit is ${MAX_TEXT_LENGTH} characters`,
  );
}

/** A double result must be a number a file or a topic can hold: not NaN, not infinite. */
export function checkFinite(value: unknown): void {
  if (typeof value !== 'number' || Number.isFinite(value)) return;
  throw new ExpressionError(
    'not-finite',
    `the result is ${showValue(value)}, which no output can hold; check for an overflow or an invalid operation (such as SQRT of a negative number)`,
  );
}

/** A timestamp result must be within the range of a date. */
export function checkTimestamp(value: unknown): void {
  if (typeof value !== 'number' || Math.abs(value) <= MAX_TIMESTAMP_MS) return;
  throw new ExpressionError(
    'overflow',
    `the timestamp ${showValue(value)} (epoch milliseconds) is outside the range of a timestamp (±${MAX_TIMESTAMP_MS})`,
  );
}
