// Deploying, watching, stopping and leaving jobs: the store on one side, the
// server's API and live WebSocket on the other.
import type { JobSummary, Pipeline } from '@sluice/shared';
import { ApiError, api, errorMessage } from '../api/client.js';
import { openPipeline, saveNow } from '../pipelines/session.js';
import { type EditorState, type EditorStore, isDirty } from '../store/store.js';
import { jobEnded, jobGone } from './follow.js';
import { type LiveJob, liveJobOf, NO_LIVE, startLive } from './live.js';
import { connectLive } from './socket.js';
import { offerUpgrade } from './upgrade.js';

/** Why the open pipeline cannot be deployed now, or null when it can. */
export function deployBlocker(state: EditorState): string | null {
  if (state.document.nodes.length === 0) return 'Add steps to the pipeline first.';
  if (state.catalog.entries.length === 0) return 'The operator catalog is still loading.';
  const errors = state.analysis.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) {
    return `Fix the ${errors === 1 ? 'problem' : `${errors} problems`} listed below the canvas first.`;
  }
  if (state.saveStatus === 'error') {
    return 'The latest changes could not be saved, and only a saved version can run.';
  }
  return null;
}

/** Shows a job live on the canvas, following it over its socket. */
export function watch(store: EditorStore, job: LiveJob): void {
  store.getState().updateLive(() => startLive(job));
  const channel = connectLive(store, job.id);
  store.getState().updateLive((live) => ({ ...live, channel }));
}

/** Saves pending changes, starts a job of the saved version and shows it live. */
export async function deploy(store: EditorStore): Promise<void> {
  const { notify } = store.getState();
  await saveNow(store);
  const state = store.getState();
  const blocker = deployBlocker(state);
  if (blocker || isDirty(state) || state.pipelineId === null || state.serverVersion === null) {
    notify({
      tone: 'error',
      message: blocker ?? 'The pipeline could not be saved, so it was not deployed.',
    });
    return;
  }
  const { pipelineId, serverVersion: version } = state;
  // An edit of a job that runs (or stopped with a savepoint): the plan first, in a dialog.
  if (await offerUpgrade(store, pipelineId, version)) {
    notify(null);
    return;
  }
  try {
    const job = await api.deploy(pipelineId, version);
    notify(null);
    watch(store, { id: job.id, pipelineId, version, status: job.status });
  } catch (cause) {
    notify({ tone: 'error', message: `Not deployed: ${errorMessage(cause)}` });
  }
}

/** Stops the job shown; with `savepoint`, it can later be resumed from where it stopped. */
export async function stopJob(
  store: EditorStore,
  options: { savepoint?: boolean } = {},
): Promise<void> {
  const job = store.getState().live.job;
  if (!job) return;
  try {
    const summary = await api.stop(job.id, options.savepoint ? { savepoint: true } : {});
    // The socket says so too; this covers a socket that is gone. Only the answer names the savepoint.
    store.getState().updateLive((live) => jobEnded(live, summary));
  } catch (cause) {
    if (cause instanceof ApiError && cause.status === 404) {
      // Nothing left to stop: the live view ends, saying so, and editing is one click away.
      const { live, updateLive } = store.getState();
      live.channel?.close();
      updateLive((shown) => (shown.job?.id === job.id ? jobGone(shown) : shown));
      return;
    }
    const what = options.savepoint ? 'Not stopped with a savepoint' : 'Not stopped';
    store.getState().notify({ tone: 'error', message: `${what}: ${errorMessage(cause)}` });
  }
}

/**
 * Whether the server may start a job again from where it stopped: a stopped or
 * failed one, from its savepoint or else its latest checkpoint. Whether it took
 * any only the server knows (it says why not, 409).
 */
export function canResume(job: { readonly status: LiveJob['status'] }): boolean {
  return job.status === 'stopped' || job.status === 'failed';
}

/** Why the job shown cannot resume, or null: it must have a savepoint, or have taken checkpoints. */
export function resumeBlocker(state: EditorState): string | null {
  const { job, checkpoints } = state.live;
  if (!job || !canResume(job)) return null;
  if (job.flink) {
    return job.flink.savepoint
      ? null
      : 'This run on Flink stopped without a savepoint: deploy it again to run it from the start.';
  }
  if (job.savepoint || job.restoredFrom || (checkpoints?.completed ?? 0) > 0) return null;
  return 'This run took no checkpoint to resume from: deploy it again to run it from the start.';
}

/** Why Stop with savepoint does not apply to the running job shown, or null. */
export function savepointBlocker(state: EditorState): string | null {
  const { job, clock, checkpoints } = state.live;
  if (job?.status !== 'running') return null;
  if (clock === null) return 'Waiting for the job’s first figures…';
  // Flink takes the savepoint, whichever way the job is stopped.
  if (checkpoints === null && !job.flink) {
    return 'This job takes no checkpoints, so it cannot keep a savepoint: turn checkpoints on in the pipeline’s settings.';
  }
  return null;
}

/**
 * Starts a stopped job again from its savepoint (or latest checkpoint) and
 * shows it live, as after a deploy. Resolves with the server's reason when it would not, or null.
 */
export async function resumeJob(store: EditorStore, jobId: string): Promise<string | null> {
  const shown = store.getState().live.job;
  let summary: JobSummary;
  try {
    summary = await api.resume(jobId);
  } catch (cause) {
    return `Not resumed: ${errorMessage(cause)}`;
  }
  await openJob(store, summary);
  // Resumed from its own live view of an older version: leaving still brings back the latest.
  if (shown?.id === jobId && shown.reopenOnLeave) {
    store
      .getState()
      .updateLive((live) =>
        live.job?.id === jobId ? { ...live, job: { ...live.job, reopenOnLeave: true } } : live,
      );
  }
  return null;
}

/** Shows a job from the jobs list on the canvas, with the version it runs. */
export async function openJob(store: EditorStore, summary: JobSummary): Promise<void> {
  const { pipelineId, pipelineVersion } = summary;
  if (pipelineId === undefined || pipelineVersion === undefined) return;
  try {
    const state = store.getState();
    const sameVersion =
      state.pipelineId === pipelineId && state.serverVersion === pipelineVersion && !isDirty(state);
    if (!sameVersion) {
      const record = await api.version(pipelineId, pipelineVersion);
      store.getState().open(record.pipeline as Pipeline, pipelineId, pipelineVersion);
    } else {
      store.getState().live.channel?.close();
    }
    store.getState().openDialog(null);
    watch(store, {
      id: summary.id,
      pipelineId,
      version: pipelineVersion,
      status: summary.status,
      ...(summary.failure && { failure: summary.failure }),
      ...liveJobOf(summary),
      reopenOnLeave: !sameVersion,
    });
  } catch (cause) {
    store.getState().notify({ tone: 'error', message: errorMessage(cause) });
  }
}

/** Back to editing: the live view closes; an older version shown from the jobs list gives way to the latest. */
export async function leaveLive(store: EditorStore): Promise<void> {
  const { live, updateLive } = store.getState();
  live.channel?.close();
  const { job } = live;
  updateLive(() => NO_LIVE);
  if (job?.reopenOnLeave && job.pipelineId) await openPipeline(store, job.pipelineId);
}
