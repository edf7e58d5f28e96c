// What the live view learns of its job when the socket cannot tell it: the
// connection was lost, then the server answered again (or said it no longer
// knows the job). Pure steps on the live state; socket.ts drives them.
import type { JobSummary } from '@sluice/shared';
import { applySummary, type LiveData } from './live.js';

export const GONE_TEXT =
  'The server no longer knows this job: its record was removed, or the server now runs on other data. The figures are the last ones this page saw.';

/** The connection dropped while the job ran: retried until the server answers. */
export function connectionLost(live: LiveData): LiveData {
  return { ...live, connection: 'reconnecting', outage: true };
}

/** Another try to reach the server failed. */
export function retryFailed(live: LiveData, retries: number): LiveData {
  return live.retries === retries ? live : { ...live, retries };
}

/** The socket is open (again): the job is followed live. */
export function connected(live: LiveData): LiveData {
  return { ...live, connection: 'open', retries: 0 };
}

/**
 * The server answered again with the job's summary. Still running: a network
 * blip, or the server restarted and resumed it (from a checkpoint, or from its
 * beginning when it had none yet: its totals went back). Ended meanwhile: the
 * live view ends with its last figures, saying how.
 */
export function afterOutage(live: LiveData, summary: JobSummary): LiveData {
  if (live.job?.id !== summary.id) return live;
  if (summary.status !== 'running') return jobEnded(live, summary, true);
  const next = applySummary(live, summary);
  if (next.recovery !== live.recovery) return next;
  const wentBack = live.clock !== null && summary.totals.recordsIn < live.clock.recordsIn;
  if (!wentBack) return next;
  return { ...next, recovery: next.job?.restoredFrom ? 'restored' : 'restarted' };
}

/**
 * The job ended: the server's status and reason, and its final totals; nothing
 * more is followed. `unseen`: it ended while the page could not reach the server.
 */
export function jobEnded(live: LiveData, summary: JobSummary, unseen = false): LiveData {
  if (!live.job || live.job.id !== summary.id) return live;
  const summed = applySummary(live, summary);
  const { failure: _f, ending: _e, ...job } = summed.job ?? live.job;
  const ending =
    unseen && !summary.failure
      ? summary.status === 'finished'
        ? 'The job finished (it read all its input) while this page could not reach the server.'
        : 'The job stopped while this page could not reach the server (a server that shuts down stops the jobs that take no checkpoints).'
      : undefined;
  // The larger of each: a crashed server may have recorded less than the page saw.
  const totals = summary.totals;
  const seen = live.clock;
  const recordsIn = Math.max(totals.recordsIn, seen?.recordsIn ?? 0);
  const recordsOut = Math.max(totals.recordsOut, seen?.recordsOut ?? 0);
  const errors = Math.max(totals.errors, seen?.errors ?? 0);
  const late = Math.max(totals.late, seen?.late ?? 0);
  return {
    ...summed,
    job: {
      ...job,
      status: summary.status,
      ...(summary.failure && { failure: summary.failure }),
      ...(ending && { ending }),
    },
    clock: live.clock && {
      ...live.clock,
      uptimeMs: Math.max(summary.uptimeMs, live.clock.uptimeMs),
      recordsIn,
      recordsOut,
      errors,
      late,
    },
    connection: unseen ? 'closed' : live.connection,
    recovery: null,
  };
}

/** The server no longer knows the job (404): the live view ends with what it last saw. */
export function jobGone(live: LiveData): LiveData {
  if (!live.job) return live;
  const { failure: _f, ...job } = live.job;
  return {
    ...live,
    job: { ...job, status: 'gone', ending: GONE_TEXT },
    connection: 'closed',
    recovery: null,
  };
}

/**
 * How the results below the canvas are read: every second while the job runs
 * and its socket is open; once more when it has ended; never for a job that
 * is gone, nor while the server cannot be reached, nor for a job that ended
 * while it could not be (a restarted server keeps no results of it).
 */
export type ResultsReading = 'follow' | 'once' | 'none';

export function resultsReading(live: LiveData): ResultsReading {
  const status = live.job?.status;
  if (status === undefined || status === 'gone') return 'none';
  if (status === 'running') return live.connection === 'open' ? 'follow' : 'none';
  return live.outage && live.connection === 'closed' ? 'none' : 'once';
}
