import { Type } from 'typebox';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(-)?(\d{1,12})(ms|s|m|h|d)$/;

export const DURATION_PATTERN = '^-?\\d{1,12}(ms|s|m|h|d)$';

/** A duration such as `500ms`, `10s`, `1m`, `2h` or `1d`. */
export function DurationSchema(
  options: { title?: string; description?: string; default?: string } = {},
) {
  return Type.String({
    pattern: '^\\d{1,12}(ms|s|m|h|d)$',
    'x-sluice-widget': 'duration',
    ...options,
  });
}

/** A duration that may be negative, such as `-5s` (interval-join bounds). */
export function SignedDurationSchema(
  options: { title?: string; description?: string; default?: string } = {},
) {
  return Type.String({ pattern: DURATION_PATTERN, 'x-sluice-widget': 'duration', ...options });
}

/** Milliseconds in a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const ms = Number(m[2]) * UNIT_MS[m[3] as keyof typeof UNIT_MS];
  return m[1] ? -ms : ms;
}

const UNIT_WORDS: Record<string, keyof typeof UNIT_MS> = {
  ms: 'ms',
  msec: 'ms',
  millis: 'ms',
  millisecond: 'ms',
  milliseconds: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
};
const WRITTEN = /^\s*(-?)\s*(\d{1,12})\s*([a-z]+)\s*$/i;

/**
 * A duration as people type it — `5 s`, `10 seconds`, `2 Min` — in the form
 * the document keeps (`5s`, `10s`, `2m`); undefined when it is not one.
 * Only whole numbers: `1.5m` is not guessed at.
 */
export function readDuration(text: string, options: { signed?: boolean } = {}): string | undefined {
  const m = WRITTEN.exec(text);
  const unit = m && UNIT_WORDS[m[3]!.toLowerCase()];
  if (!m || !unit || (m[1] && !options.signed)) return undefined;
  return `${m[1]}${Number(m[2])}${unit}`;
}

/** The shortest exact duration string for a number of milliseconds. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (abs !== 0 && abs % UNIT_MS[unit] === 0) return `${sign}${abs / UNIT_MS[unit]}${unit}`;
  }
  return `${sign}${abs}ms`;
}
