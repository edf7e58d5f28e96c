// Records as they leave Sluice: timestamps as ISO-8601 UTC strings.
import { type Field, formatTimestamp } from '@sluice/shared';
import type { Row } from '../batch.js';

/** A function that turns a record into plain JSON-ready values, in field order. */
export function jsonEncoder(fields: readonly Field[]): (row: Row) => Record<string, unknown> {
  const names = fields.map((f) => f.name);
  const isTime = fields.map((f) => f.type === 'timestamp');
  return (row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const value = row[name] ?? null;
      out[name] = isTime[i] && typeof value === 'number' ? timestampText(value) : value;
    }
    return out;
  };
}

/** ISO text of a timestamp; NULL for one outside what a date can hold (±275 000 years). */
function timestampText(ms: number): string | null {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? formatTimestamp(ms) : null;
}

const MAX_DATE_MS = 8.64e15;
