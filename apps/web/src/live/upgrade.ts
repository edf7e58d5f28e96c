// Deploying an edit of a job that runs (or stopped with a savepoint): the
// server's upgrade plan is offered first, in a dialog on the canvas, to deploy
// keeping the state, from scratch, or not at all.
//
// The offer lives in a small store of its own, beside the editor's, so the
// upgrade touches no other part of the app (see docs/decisions.md).
import type { JobSummary, UpgradePlan } from '@sluice/shared';
import { createStore } from 'zustand/vanilla';
import { api, errorMessage } from '../api/client.js';
import type { EditorStore } from '../store/store.js';
import { watch } from './jobs.js';

export interface UpgradeOffer {
  /** The job whose version the new one would replace. */
  readonly job: JobSummary;
  readonly plan: UpgradePlan;
  readonly pipelineId: string;
  readonly version: number;
}

export interface UpgradeState {
  readonly offer: UpgradeOffer | null;
  /** Which deploy is under way, if one is. */
  readonly pending: 'keep' | 'scratch' | null;
  readonly error: string | null;
}

export const upgradeStore = createStore<UpgradeState>(() => ({
  offer: null,
  pending: null,
  error: null,
}));

/** The newest job of the pipeline, of another version, that has state to keep. */
export function upgradableJob(
  jobs: readonly JobSummary[],
  pipelineId: string,
  version: number,
): JobSummary | undefined {
  return jobs.find(
    (job) =>
      job.pipelineId === pipelineId &&
      job.pipelineVersion !== version &&
      (job.status === 'running' || (job.status === 'stopped' && job.savepoint !== undefined)),
  );
}

/**
 * Offers the plan when a job of another version of this pipeline has state to
 * keep; true when offered. A server that cannot plan (the job takes no
 * checkpoints) leaves the deploy as it was: false.
 */
export async function offerUpgrade(
  _store: EditorStore,
  pipelineId: string,
  version: number,
): Promise<boolean> {
  try {
    const job = upgradableJob(await api.jobs(), pipelineId, version);
    if (!job) return false;
    const plan = await api.planUpgrade(job.id, pipelineId, version);
    upgradeStore.setState({
      offer: { job, plan, pipelineId, version },
      pending: null,
      error: null,
    });
    return true;
  } catch {
    return false;
  }
}

export function cancelUpgrade(): void {
  upgradeStore.setState({ offer: null, pending: null, error: null });
}

/** Deploys the offered version, keeping the job's state or from scratch, and shows it live. */
export async function deployOffered(store: EditorStore, keepState: boolean): Promise<void> {
  const { offer } = upgradeStore.getState();
  if (!offer) return;
  upgradeStore.setState({ pending: keepState ? 'keep' : 'scratch', error: null });
  try {
    const job = await api.upgrade(offer.job.id, offer.pipelineId, offer.version, keepState);
    cancelUpgrade();
    store.getState().notify(null);
    watch(store, {
      id: job.id,
      pipelineId: offer.pipelineId,
      version: offer.version,
      status: job.status,
    });
  } catch (cause) {
    upgradeStore.setState({ pending: null, error: `Not deployed: ${errorMessage(cause)}` });
  }
}
