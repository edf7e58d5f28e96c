// Pieces of Flink SQL text: quoted names, literals, intervals and types.
import type { FieldType } from '@sluice/shared';

/** A name in backticks, always: field names such as `value` or `timestamp` are reserved words. */
export function ident(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** A string literal. */
export function str(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Flink's type for each Sluice field type. Timestamps are instants (UTC ms): TIMESTAMP_LTZ(3). */
export const FLINK_TYPES: Readonly<Record<FieldType, string>> = {
  string: 'STRING',
  long: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP_LTZ(3)',
};

const UNITS: readonly [string, number][] = [
  ['DAY', 86_400_000],
  ['HOUR', 3_600_000],
  ['MINUTE', 60_000],
  ['SECOND', 1_000],
];

/**
 * An interval literal of `ms` milliseconds (≥ 0) in the largest unit that
 * holds it whole, with a leading precision wide enough for its digits (SQL's
 * default is 2: INTERVAL '120' SECOND would be refused); a fraction of a
 * second as SECOND with 3 fractional digits.
 */
export function interval(ms: number): string {
  for (const [unit, size] of UNITS) {
    if (ms % size === 0 && ms > 0) {
      const count = String(ms / size);
      return `INTERVAL '${count}' ${unit}${count.length > 2 ? `(${count.length})` : ''}`;
    }
  }
  const seconds = Math.floor(ms / 1000);
  const text = `${seconds}.${String(ms % 1000).padStart(3, '0')}`;
  const digits = Math.max(1, String(seconds).length);
  return `INTERVAL '${text}' SECOND(${digits}, 3)`;
}

/** A duration as Flink's configuration writes it ('30 s', '500 ms'). */
export function configDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
