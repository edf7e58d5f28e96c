// Numbers as an analyst reads them on a busy canvas: short, with units.

export function formatRate(perSecond: number): string {
  return `${formatCount(perSecond)}/s`;
}

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}G`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e4) return `${trim(n / 1e3)}k`;
  if (abs >= 100 || Number.isInteger(n)) return String(Math.round(n));
  return trim(n);
}

function trim(n: number): string {
  return n.toFixed(Math.abs(n) >= 100 ? 0 : 1).replace(/\.0$/, '');
}

/** A share as a whole percentage: `96 %`. */
export const percent = (share: number) => `${Math.round(share * 100)} %`;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KB`;
  return `${trim(bytes / 1024 / 1024)} MB`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${trim(ms / 1000)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A cell of a record table: timestamps-looking fields as times, the rest as text. */
export function formatValue(value: unknown, type?: string): string {
  if (value === null || value === undefined) return 'NULL';
  if (type === 'timestamp' && typeof value === 'number') return formatTime(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A moment as a clock reads it, `14:02:31`; with its date, `2026-12-01 14:02:31`, when not on `now`'s day. */
export function formatClock(epochMs: number, now = Date.now()): string {
  const d = new Date(epochMs);
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  if (new Date(now).toDateString() === d.toDateString()) return time;
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${time}`;
}

/** How long ago, in whole seconds: `just now`, `3 s ago`, `2 min 5 s ago`. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1000) return 'just now';
  return `${formatDuration(Math.floor(ms / 1000) * 1000)} ago`;
}
