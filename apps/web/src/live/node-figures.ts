// The words a step shows on the canvas for its flow and, for a source, its
// place in event time: rates while the job runs, totals once it has ended,
// and a lag behind the clock only where the clock means something.
import type { OperatorMetrics } from '@sluice/shared';
import { formatClock, formatCount, formatDuration, formatRate } from './format.js';
import type { NodeLive } from './live.js';
import { RATE_SPAN_MS } from './rates.js';

export interface Figure {
  readonly text: string;
  readonly title: string;
}

/**
 * Event time older than the job's start by more than this is history being
 * read (a file, a topic's backlog): its distance from the clock is no lag.
 */
export const LAG_SLACK_MS = 60_000;

const SPAN = `${RATE_SPAN_MS / 1000} s`;

/** In and out: per second while running (averaged, see rates.ts), in all once ended. */
export function flowFigures(
  live: NodeLive,
  category: string,
  running: boolean,
): { in: Figure | null; out: Figure | null } {
  const m = live.metrics;
  const bursts = category === 'window' ? ', between the windows’ firings' : '';
  return {
    in:
      category === 'source'
        ? null
        : running
          ? {
              text: `in ${formatRate(live.inRate)}`,
              title: `Records in per second, over the last ${SPAN}`,
            }
          : { text: `in ${formatCount(m.recordsIn)}`, title: 'Records taken in, in all' },
    out:
      category === 'sink'
        ? null
        : running
          ? {
              text: `out ${formatRate(live.outRate)}`,
              title: `Records out per second, over the last ${SPAN}${bursts}`,
            }
          : { text: `out ${formatCount(m.recordsOut)}`, title: 'Records sent on, in all' },
  };
}

/**
 * Where a source is in event time. While it reads records as they happen,
 * how far its event time is behind the clock (its lag). While it reads
 * records from before the job started, or once the job has ended, the event
 * time it has reached: a lag of "22665 h" would say nothing.
 */
export function sourcePosition(
  m: OperatorMetrics,
  running: boolean,
  jobStartedAt: number | undefined,
  now = Date.now(),
): Figure {
  if (running && m.idle) return { text: 'idle', title: 'The source has nothing to read now' };
  if (m.watermark === null) {
    return { text: running ? 'lag –' : 'no event time', title: 'No event time seen yet' };
  }
  const live = running && jobStartedAt !== undefined && m.watermark >= jobStartedAt - LAG_SLACK_MS;
  if (live && m.watermarkLagMs !== null) {
    return {
      text: `lag ${formatDuration(m.watermarkLagMs)}`,
      title: 'How far event time is behind the clock',
    };
  }
  const clock = formatClock(m.watermark, now);
  const reached = `Event time reached: ${clock}`;
  return {
    // A date alone when it is not today's: the time of day would not fit.
    text: `event time ${clock.length > 8 ? clock.slice(0, 10) : clock}`,
    title: running
      ? `${reached}. The records are from before the job started, so their distance from the clock is no lag.`
      : reached,
  };
}
