// Timestamps are epoch milliseconds at run time. They are read from ISO-8601
// strings or epoch-millisecond numbers, and written as ISO-8601 UTC strings
// with milliseconds.
import { daysInMonth, MONTHS } from '../expression/datetime.js';

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/;

/** The furthest a timestamp may be from 1970 (ms): what a date can hold, ±275 000 years. */
export const MAX_TIMESTAMP_MS = 8.64e15;

const DAY_MS = 86_400_000;

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Epoch milliseconds of an ISO-8601 string or epoch-ms number, or undefined.
 * A string (sources read one per record) is read character by character:
 * without an offset it is UTC, as Flink's TIMESTAMP (not local time), and
 * digits past the millisecond are cut off. A day past the month's end is
 * refused, not rolled over to the next month.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Math.abs(value) <= MAX_TIMESTAMP_MS ? Math.trunc(value) || 0 : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const ms = readIso(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `n` decimal digits of `s` at `at`, or -1. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1; // past the end too: charCodeAt gives NaN
    v = v * 10 + d;
  }
  return v;
}

/** `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]][Z|±HH[:]MM]]` as epoch ms, or NaN. */
function readIso(s: string): number {
  const length = s.length;
  if (length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return Number.NaN;
  }
  let ms = daysFromCivil(year, month, day) * DAY_MS;
  if (length === 10) return ms;
  const separator = s.charCodeAt(10);
  if ((separator !== 84 && separator !== 32) || length < 16 || s.charCodeAt(13) !== 58) {
    return Number.NaN;
  }
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN;
  ms += hour * 3_600_000 + minute * 60_000;
  let at = 16;
  if (s.charCodeAt(at) === 58) {
    const second = digits(s, at + 1, 2);
    if (second < 0 || second > 59) return Number.NaN;
    ms += second * 1000;
    at += 3;
    if (s.charCodeAt(at) === 46) {
      let end = at + 1;
      while (end < length && end - at <= 9 && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) {
        end++;
      }
      const count = end - at - 1;
      if (count === 0 || count > 9) return Number.NaN;
      const kept = Math.min(count, 3);
      ms += digits(s, at + 1, kept) * (kept === 1 ? 100 : kept === 2 ? 10 : 1);
      at = end;
    }
  }
  if (at === length) return ms;
  const sign = s.charCodeAt(at);
  if (sign === 90) return at + 1 === length ? ms : Number.NaN; // Z
  if (sign !== 43 && sign !== 45) return Number.NaN;
  const offsetHours = digits(s, at + 1, 2);
  const colon = s.charCodeAt(at + 3) === 58 ? 1 : 0;
  const offsetMinutes = digits(s, at + 3 + colon, 2);
  if (at + 5 + colon !== length || offsetHours < 0 || offsetHours > 23) return Number.NaN;
  if (offsetMinutes < 0 || offsetMinutes > 59) return Number.NaN;
  return ms - (sign === 45 ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
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
