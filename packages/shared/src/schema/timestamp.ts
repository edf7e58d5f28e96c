// Timestamps are epoch milliseconds at run time. They are read from ISO-8601
// strings or epoch-millisecond numbers, and written as ISO-8601 UTC strings
// with milliseconds.

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch milliseconds of an ISO-8601 string or epoch-ms number, or undefined. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string' || !ISO_8601.test(value)) return undefined;
  // A date-time without an offset is UTC, as in Flink's TIMESTAMP (not local time).
  let text = value.replace(' ', 'T');
  if (text.length > 10 && !/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  // Keep at most millisecond precision; Date.parse rejects more than 3 digits on some engines.
  text = text.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** ISO-8601 UTC with milliseconds, e.g. `2024-01-01T00:00:00.000Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
