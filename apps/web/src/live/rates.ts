// Rates a reader can follow, worked out from the counts rather than taken
// from the engine's last second: a window that fires every 2 s would show
// 4/s and 0/s by turns. Counted between the moments a count grew, over the
// last RATE_SPAN_MS or at least the last two, so bursts give their average
// whatever the phase, and a steady stream its rate over 10 s.

/** The span a rate is averaged over, when the count grew often enough within it. */
export const RATE_SPAN_MS = 10_000;
/** A count still for this long (or twice its last gap, if longer) has stopped flowing. */
export const QUIET_MS = 3_000;
/** Moments kept per count: enough for RATE_SPAN_MS at one sample a second, and slow bursts. */
const MAX_POINTS = 12;

export interface FlowPoint {
  readonly at: number;
  readonly count: number;
}

/**
 * A count's history: the first sample seen, then each moment it grew, oldest
 * first. Unchanged while the count is, so what shows it need not redraw.
 */
export interface Flow {
  readonly points: readonly FlowPoint[];
}

/** The flow with the count as of `at`; the same object while the count does not change. */
export function nextFlow(old: Flow | undefined, at: number, count: number): Flow {
  const last = old?.points.at(-1);
  if (!old || !last || count < last.count) return { points: [{ at, count }] };
  if (count === last.count || at <= last.at) return old;
  const points = [...old.points, { at, count }];
  if (points.length > MAX_POINTS) points.splice(0, points.length - MAX_POINTS);
  return { points };
}

/** Records per second as of `now`: 0 when the count has not grown of late. */
export function flowRate(flow: Flow | undefined, now: number): number {
  const points = flow?.points ?? [];
  if (points.length < 2) return 0;
  const last = points.length - 1;
  const lastAt = points[last]!.at;
  const gap = lastAt - points[last - 1]!.at;
  if (now - lastAt > Math.max(QUIET_MS, 2 * gap)) return 0;
  let first = last - 1;
  while (first > 0 && lastAt - points[first - 1]!.at <= RATE_SPAN_MS) first--;
  const from = points[first]!;
  return ((points[last]!.count - from.count) * 1000) / (lastAt - from.at);
}
