// Timestamps are epoch milliseconds at run time. They are read from ISO-8601
// strings or epoch-millisecond numbers, and written as ISO-8601 UTC strings
// with milliseconds.
import { daysInMonth, MONTHS } from '../expression/datetime.js';

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The furthest a timestamp may be from 1970 (ms): what a date can hold, ±275 000 years. */
export const MAX_TIMESTAMP_MS = 8.64e15;

/** Epoch milliseconds of an ISO-8601 string or epoch-ms number, or undefined. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Math.abs(value) <= MAX_TIMESTAMP_MS ? Math.trunc(value) || 0 : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const m = ISO_8601.exec(value);
  // Date.parse would roll 2026-02-30 over to March 2: the parts are checked first.
  if (!m || calendarProblem(m) !== undefined) return undefined;
  // A date-time without an offset is UTC, as in Flink's TIMESTAMP (not local time).
  let text = value.replace(' ', 'T');
  if (text.length > 10 && !/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  // Keep at most millisecond precision; Date.parse rejects more than 3 digits on some engines.
  text = text.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Why `parseTimestamp` refused a value that looks like a timestamp (a day past
 * the month's end, a number out of range), or undefined when it is not one at all.
 */
export function timestampProblem(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? `is outside the range of a timestamp (±${MAX_TIMESTAMP_MS} ms from 1970)`
      : undefined;
  }
  const m = typeof value === 'string' ? ISO_8601.exec(value) : null;
  return m ? calendarProblem(m) : undefined;
}

function calendarProblem(m: RegExpExecArray): string | undefined {
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return `is not a date: there is no month ${month}`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return `is not a date: ${MONTHS[month - 1]} ${year} has ${days} days`;
  if (Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59 || Number(m[6] ?? 0) > 59) {
    return 'is not a time of day';
  }
  return undefined;
}

/** ISO-8601 UTC with milliseconds, e.g. `2024-01-01T00:00:00.000Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
