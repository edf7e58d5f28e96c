// What limits a running job, in one sentence: a sink that cannot write as
// fast as it is given records, the step that takes most of the job's thread,
// or nothing (the job waits for its sources). On Flink each vertex has a
// thread of its own: there the busiest vertex near its limit is named.
import type { OperatorMetrics } from '@sluice/shared';
import { formatCount, percent } from './format.js';
import { PRESSURE } from './live.js';

/** Below this share of the thread in use, nothing limits the job but its input. */
export const IDLE_THREAD = 0.5;
/** A hottest key with at least this share of a step's records is named. */
export const SKEW_SHARE = 0.2;

export interface Bottleneck {
  /** The step named, if one is. */
  readonly nodeId?: string;
  readonly sentence: string;
}

export function bottleneckOf(
  operators: readonly OperatorMetrics[],
  titleOf: (nodeId: string) => string,
  categoryOf: (kind: string) => string | undefined,
  onFlink: boolean,
): Bottleneck {
  if (operators.length === 0) return { sentence: 'Waiting for the first figures…' };
  const behind = operators
    .filter((m) => categoryOf(m.kind) === 'sink' && m.backlog >= PRESSURE.backlogAmber)
    .sort((a, b) => b.backlog - a.backlog)[0];
  if (behind) {
    return {
      nodeId: behind.nodeId,
      sentence: `${titleOf(behind.nodeId)} has ${formatCount(behind.backlog)} records waiting to be written: writing is what holds the job back, and the sources are slowed to match.`,
    };
  }
  const busiest = [...operators].sort((a, b) => b.busy - a.busy)[0]!;
  const name = titleOf(busiest.nodeId);
  if (onFlink) {
    if (busiest.busy < PRESSURE.busyAmber) {
      return {
        sentence: `Nothing is a bottleneck: the busiest vertex (${name}) is busy ${percent(busiest.busy)} of the time.`,
      };
    }
    return {
      nodeId: busiest.nodeId,
      sentence: `${name} is busy ${percent(busiest.busy)} of the time, more than any other vertex: the vertices before it wait for it${skew(busiest)}.`,
    };
  }
  const thread = Math.min(
    1,
    operators.reduce((sum, m) => sum + m.busy, 0),
  );
  if (thread < IDLE_THREAD) {
    return {
      sentence: `Nothing is a bottleneck: the job's thread is busy ${percent(thread)} of the time and waits for its sources the rest.`,
    };
  }
  if (busiest.busy < thread / 2) {
    return {
      sentence: `No one step stands out: the job's thread is busy ${percent(thread)} of the time, most of it in ${name} (${percent(busiest.busy)}).`,
    };
  }
  const reading =
    categoryOf(busiest.kind) === 'source'
      ? ': reading its records is the job’s limit'
      : ': the steps before it wait for it';
  return {
    nodeId: busiest.nodeId,
    sentence: `${name} takes ${percent(busiest.busy)} of the job's time, more than any other step${reading}${skew(busiest)}.`,
  };
}

/** "; its hottest key, 'books', has 48 % of its records", where one key stands out. */
function skew(m: OperatorMetrics): string {
  const hottest = m.hotKeys?.[0];
  if (!hottest || m.hotKeys!.length < 2 || hottest.share < SKEW_SHARE) return '';
  return `; its hottest key, '${hottest.key}', has ${percent(hottest.share)} of its records`;
}
