/**
 * Timestamps are epoch milliseconds in UTC. Calendar arithmetic is done by
 * hand (proleptic Gregorian, Howard Hinnant's civil-date algorithms) so it is
 * exact, allocation-free and independent of the host's time zone.
 */

export const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a calendar date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export type TimestampPart = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond';

/** One calendar or clock component of a timestamp, in UTC. */
export function timestampPart(ms: number, part: TimestampPart): number {
  const days = Math.floor(ms / MS_PER_DAY);
  const inDay = ms - days * MS_PER_DAY;
  switch (part) {
    case 'hour':
      return Math.floor(inDay / 3_600_000);
    case 'minute':
      return Math.floor(inDay / 60_000) % 60;
    case 'second':
      return Math.floor(inDay / 1000) % 60;
    case 'millisecond':
      return Math.floor(inDay % 1000);
  }
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  if (part === 'month') return month;
  if (part === 'day') return doy - Math.floor((153 * mp + 2) / 5) + 1;
  return yoe + era * 400 + (month <= 2 ? 1 : 0);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch milliseconds of a UTC date and time, or undefined if a component is out of range. */
export function epochMillis(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || millisecond > 999) return undefined;
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000 +
    millisecond
  );
}

// Bounded quantifiers only: matching is linear in the text.
const SQL_TIMESTAMP =
  /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*$/;

/**
 * Reads `yyyy-MM-dd[ HH:mm[:ss[.fraction]]]` (a `T` may replace the space) as
 * UTC. Fractions finer than a millisecond are truncated. Undefined if invalid.
 */
export function parseSqlTimestamp(text: string): number | undefined {
  if (text.length > 64) return undefined;
  const m = SQL_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const fraction = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  return epochMillis(n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6]), fraction);
}

function pad(value: number, width: number): string {
  const digits = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${digits}` : digits;
}

/** `yyyy-MM-dd HH:mm:ss.SSS`, the text CAST(ts AS STRING) gives. */
export function formatSqlTimestamp(ms: number): string {
  return (
    `${pad(timestampPart(ms, 'year'), 4)}-${pad(timestampPart(ms, 'month'), 2)}-` +
    `${pad(timestampPart(ms, 'day'), 2)} ${pad(timestampPart(ms, 'hour'), 2)}:` +
    `${pad(timestampPart(ms, 'minute'), 2)}:${pad(timestampPart(ms, 'second'), 2)}.` +
    pad(timestampPart(ms, 'millisecond'), 3)
  );
}

export { pad as padNumber };

/** The months' names in English, January first. */
export const MONTHS: readonly string[] = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
