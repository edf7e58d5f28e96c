// Checkpoints and savepoints in an analyst's words: where a job resumed from,
// how recent and how big its last checkpoint is, and what a savepoint allows.
import type { CheckpointFigures, JobSummary } from '@sluice/shared';
import { formatAge, formatBytes, formatClock, formatCount, formatDuration } from './format.js';

type RestoredFrom = NonNullable<JobSummary['restoredFrom']>;
type Savepoint = NonNullable<JobSummary['savepoint']>;

/** `Restored from checkpoint 12 (taken 14:02:31)`. */
export function restoredText(from: RestoredFrom, now = Date.now()): string {
  return `Restored from ${from.kind} ${from.id} (taken ${formatClock(from.at, now)})`;
}

/** `Restored from checkpoint 12 after a server restart`: the page saw it happen. */
export function restoredAfterRestartText(from: RestoredFrom): string {
  return `Restored from ${from.kind} ${from.id} after a server restart`;
}

export const RESTARTED_EXPLANATION =
  'The server restarted while this job ran. The job had no checkpoint yet, so it started again from the beginning of its input, with empty windows and totals.';

/** What being restored means, for the tooltip and for screen readers. */
export function restoredExplanation(from: RestoredFrom, now = Date.now()): string {
  const taken = formatClock(from.at, now);
  const state =
    'its windows, joins and running totals, and where each source was reading, as they were then';
  return from.kind === 'savepoint'
    ? `This job was stopped with savepoint ${from.id} (taken ${taken}) and resumed from it, with ${state}.`
    : `This job had stopped, or the server restarted, and it resumed from checkpoint ${from.id} (taken ${taken}) with ${state}. Records that came after that checkpoint were read again.`;
}

/** The bar's short line: `checkpoint 3 s ago`, `no checkpoint yet`. */
export function checkpointText(figures: CheckpointFigures, at: number): string {
  if (figures.lastAt === null) return 'no checkpoint yet';
  return `checkpoint ${formatAge(at - figures.lastAt)}`;
}

/** The failures, when there are any, after `checkpoint 3 s ago`: `2 failed`. */
export function checkpointFailures(figures: CheckpointFigures): string | null {
  return figures.failed === 0 ? null : `${formatCount(figures.failed)} failed`;
}

/** The last checkpoint in full: `Checkpoint 12 took 45 ms, 12 KB; 30 taken since this run started, 1 failed.` */
export function checkpointDetail(figures: CheckpointFigures): string {
  const failed = figures.failed === 0 ? '' : `, ${formatCount(figures.failed)} failed`;
  const taken = `${formatCount(figures.completed)} taken since this run started${failed}`;
  if (figures.lastId === null) return `No checkpoint yet; ${taken}.`;
  const size = figures.lastBytes === null ? '' : `, ${formatBytes(figures.lastBytes)}`;
  const took =
    figures.lastDurationMs === null ? '' : ` took ${formatDuration(figures.lastDurationMs)}${size}`;
  return `Checkpoint ${figures.lastId}${took}; ${taken}.`;
}

/** `savepoint 7 kept · can resume`, for a job stopped with one. */
export function savepointText(savepoint: Savepoint): string {
  return `savepoint ${savepoint.id} kept · can resume`;
}

export function savepointExplanation(savepoint: Savepoint, now = Date.now()): string {
  return `Stopped with savepoint ${savepoint.id} (taken ${formatClock(savepoint.at, now)}): Resume starts the job again from there, with the state it stopped with.`;
}

type OnFlink = NonNullable<JobSummary['flink']>;

/** The bar's short line for a job on Flink: `on Flink 'local'`, or once stopped, `savepoint kept on Flink · can resume`. */
export function flinkText(flink: OnFlink, running: boolean): string {
  if (running) return `on Flink '${flink.cluster}'`;
  return flink.savepoint
    ? 'savepoint kept on Flink · can resume'
    : `ran on Flink '${flink.cluster}'`;
}

/** Where the job runs on Flink, under which id, and the savepoints it started from and stopped with. */
export function flinkExplanation(flink: OnFlink): string {
  const parts = [
    `Runs on the Flink cluster '${flink.cluster}'${flink.jobId ? ` as Flink job ${flink.jobId}` : ', not yet submitted'}.`,
  ];
  if (flink.restoredFrom) parts.push(`It started from the savepoint ${flink.restoredFrom}.`);
  if (flink.savepoint) {
    parts.push(
      `It stopped with the savepoint ${flink.savepoint}: Resume submits it again from there, with the state it stopped with.`,
    );
  }
  return parts.join(' ');
}
