// The time axis of the results chart, in seconds as uPlot wants: a range
// that gives one window room rather than years, ticks on whole seconds (never
// ":06.250" for 2-second windows), and labels as a clock reads them, with the
// date only where it is not today's and where it changes.

/** Tick steps in seconds, from a second to a week. */
export const TIME_INCREMENTS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
  172_800, 604_800,
];

/** Room given to a lone point on each side when the window's length is not known. */
const LONE_PAD_S = 30;

/** The x range: the data's with half a window each side, or a window's length (at least 30 s) around a lone point. */
export function timeRange(xs: readonly number[], stepS: number | null): [number, number] {
  if (xs.length === 0) {
    const now = Date.now() / 1000;
    return [now - LONE_PAD_S, now + LONE_PAD_S];
  }
  const min = xs[0]!;
  const max = xs.at(-1)!;
  // Half a window's room at each end, so the first and last labels are not cut.
  if (max > min) return [min - (stepS ?? 0) / 2, max + (stepS ?? 0) / 2];
  const pad = Math.max(stepS ?? 0, LONE_PAD_S);
  return [min - pad, max + pad];
}

/** Tick steps no finer than the windows: 2-second windows get ticks 2 s apart or more. */
export function timeIncrements(stepS: number | null): number[] {
  const finest = stepS ?? 1;
  const kept = TIME_INCREMENTS.filter((s) => s >= finest);
  return kept.length > 0 ? kept : [TIME_INCREMENTS.at(-1)!];
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const dayOf = (d: Date) => `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;

/** Labels for ticks at `splits` (seconds) `incrS` apart: `14:02:30`, `14:05`, `2024-05-01 14:00`. */
export function timeLabels(splits: readonly number[], incrS: number, now = Date.now()): string[] {
  const today = dayOf(new Date(now));
  let previousDay: string | null = null;
  return splits.map((s) => {
    const d = new Date(s * 1000);
    const day = dayOf(d);
    const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
    const time = incrS >= 86_400 ? '' : incrS >= 60 ? hm : `${hm}:${pad2(d.getSeconds())}`;
    const showDay = day !== previousDay && (day !== today || previousDay !== null);
    previousDay = day;
    return showDay ? `${day}${time ? ` ${time}` : ''}` : time || day;
  });
}
