// The address follows the open pipeline (and the job shown live), and the
// page follows the address: on load, on Back and Forward, and from a shared link.
import { api, errorMessage } from '../api/client.js';
import { leaveLive, openJob } from '../live/jobs.js';
import { offerNewPipelineDraft } from '../pipelines/draft-keeper.js';
import { openLatest, openPipeline, saveNow } from '../pipelines/session.js';
import type { EditorData, EditorStore } from '../store/store.js';
import { historyStep, type Place, parsePlace, placeUrl } from './location.js';

/** The parts of `window` the address lives in. */
export interface PageAddress {
  readonly location: Pick<Location, 'pathname' | 'search'>;
  readonly history: Pick<History, 'pushState' | 'replaceState'>;
  addEventListener(type: 'popstate', listener: () => void): void;
  removeEventListener(type: 'popstate', listener: () => void): void;
}

export const placeOf = (state: EditorData): Place => ({
  pipelineId: state.pipelineId,
  jobId: state.live.job?.id ?? null,
  malformed: false,
});

/**
 * Opens what an address names; false when it could not (the address then
 * stays as it is, and the notice says why). `first`: the page has just loaded.
 */
export async function showPlace(
  store: EditorStore,
  place: Place,
  first: boolean,
): Promise<boolean> {
  const { notify } = store.getState();
  if (place.malformed) {
    notify({
      tone: 'error',
      message: 'This address names no pipeline (they look like /p/<id>). Open one from Pipelines.',
    });
    return false;
  }
  const current = store.getState().pipelineId;
  if (place.pipelineId === null) {
    // `/`: the latest pipeline. Back to it from another opens the latest again.
    if (!first && current !== null) return true;
    return openLatest(store);
  }
  if (first || place.pipelineId !== current) {
    await saveNow(store);
    if (!(await openPipeline(store, place.pipelineId))) return false;
  }
  await showJob(store, place, first);
  return true;
}

/** Shows the job the address names live, or leaves the live view when it names none. */
async function showJob(store: EditorStore, place: Place, first: boolean): Promise<void> {
  const shown = store.getState().live.job;
  if (place.jobId === null) {
    if (shown && !first) await leaveLive(store);
    return;
  }
  if (shown?.id === place.jobId) return;
  try {
    const summary = await api.job(place.jobId);
    if (summary.pipelineId !== place.pipelineId)
      throw new Error('It is a job of another pipeline.');
    await openJob(store, summary);
  } catch (cause) {
    store.getState().notify({
      tone: 'error',
      message: `The job in this address is not on the server any more (${errorMessage(cause)}); the pipeline is open for editing.`,
    });
  }
}

/**
 * Opens what the page's address names, then keeps the address in step with
 * the store: another pipeline is a new history entry, the live view of a job
 * replaces the entry. Back and Forward open what their address names.
 * Returns the stop function.
 */
export function startLocationSync(
  store: EditorStore,
  page: PageAddress | undefined = typeof window === 'undefined' ? undefined : window,
): () => void {
  if (!page) return () => {};
  // While an address is being opened the store passes through other places: the address leads.
  let following = 0;
  let stopped = false;
  const here = () => parsePlace(page.location.pathname, page.location.search);
  const follow = async (first: boolean) => {
    following++;
    try {
      const ok = await showPlace(store, here(), first);
      if (first) offerNewPipelineDraft(store);
      // `/` becomes the address of what it opened; a job no longer there leaves the address.
      const now = placeUrl(placeOf(store.getState()));
      if (ok && !stopped && now !== placeUrl(here())) page.history.replaceState(null, '', now);
    } finally {
      following--;
    }
  };
  const unsubscribe = store.subscribe((state, previous) => {
    if (following > 0) return;
    const to = placeOf(state);
    if (placeUrl(to) === placeUrl(placeOf(previous))) return;
    const step = historyStep(here(), to);
    if (step === 'push') page.history.pushState(null, '', placeUrl(to));
    else if (step === 'replace') page.history.replaceState(null, '', placeUrl(to));
  });
  const onPopState = () => {
    if (!store.getState().signedOut) void follow(false);
  };
  page.addEventListener('popstate', onPopState);
  void follow(true);
  return () => {
    stopped = true;
    unsubscribe();
    page.removeEventListener('popstate', onPopState);
  };
}
