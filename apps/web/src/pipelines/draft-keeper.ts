// Keeping the open document as a draft while the server does not have it,
// and offering a kept draft back when its pipeline is opened again.
import { exportPipeline, type Pipeline } from '@sluice/shared';
import {
  type DraftOffer,
  type EditorState,
  type EditorStore,
  hasUnsavedWork,
  isLive,
} from '../store/store.js';
import { browserDrafts, type Draft, type DraftStore } from './drafts.js';

/** Drafts are written after this pause in editing (and at once when the page goes away). */
export const DRAFT_DELAY_MS = 300;

export const STORAGE_FULL_MESSAGE =
  'This browser’s storage is full, so unsaved changes are not kept in it for a reload. They are still saved to the server as usual.';

let shared: DraftStore | null = null;
/** The drafts of this page, in localStorage. */
export function pageDrafts(): DraftStore {
  shared ??= browserDrafts();
  return shared;
}

export interface KeeperOptions {
  readonly delay?: number;
  readonly now?: () => number;
  /** Where `pagehide` and `visibilitychange` are heard: the window. */
  readonly page?: Pick<Window, 'addEventListener' | 'removeEventListener'> | undefined;
}

const draftOf = (state: EditorState, savedAt: number): Draft => ({
  pipelineId: state.pipelineId,
  baseVersion: state.serverVersion,
  savedAt,
  document: state.document,
});

/**
 * Writes a draft of the open document after each pause in editing while it
 * has unsaved work, and at once when the page is hidden or goes away; removes
 * it once the server has the document. Returns the stop function.
 */
export function startDraftKeeping(
  store: EditorStore,
  drafts: DraftStore = pageDrafts(),
  options: KeeperOptions = {},
): () => void {
  const delay = options.delay ?? DRAFT_DELAY_MS;
  const now = options.now ?? Date.now;
  const page = options.page ?? (typeof window === 'undefined' ? undefined : window);
  let pending: Draft | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let toldFull = false;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const draft = pending;
    pending = null;
    if (!draft || drafts.write(draft) === 'kept' || toldFull) return;
    // Said once: every later write would fail the same way.
    toldFull = true;
    store.getState().notify({ tone: 'error', message: STORAGE_FULL_MESSAGE });
  };
  // What is written is the document as it was when edited, whatever is open by then.
  const keep = (state: EditorState) => {
    pending = draftOf(state, now());
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  };
  const drop = (pipelineId: string | null) => {
    if (pending && pending.pipelineId === pipelineId) {
      pending = null;
      clearTimeout(timer);
    }
    drafts.remove(pipelineId);
  };

  const unsubscribe = store.subscribe((state, previous) => {
    if (isLive(state)) return;
    if (state.opened !== previous.opened) {
      // The previous document's last edits go now, before another is open.
      flush();
      // Opened with changes of its own (a draft restored as a new pipeline).
      if (hasUnsavedWork(state)) keep(state);
      return;
    }
    if (state.savedDocument !== previous.savedDocument) {
      // A new pipeline's first save: from now on its draft goes by its id.
      if (previous.pipelineId === null && state.pipelineId !== null) drop(null);
      if (hasUnsavedWork(state)) keep(state);
      else drop(state.pipelineId);
      return;
    }
    if (state.document === previous.document) return;
    if (hasUnsavedWork(state)) keep(state);
    // Back to what the server has (undone): nothing to keep.
    else if (state.pipelineId !== null) drop(state.pipelineId);
  });
  const onHidden = () => {
    if (globalThis.document?.visibilityState !== 'visible') flush();
  };
  page?.addEventListener('pagehide', flush);
  page?.addEventListener('visibilitychange', onHidden);
  return () => {
    flush();
    unsubscribe();
    page?.removeEventListener('pagehide', flush);
    page?.removeEventListener('visibilitychange', onHidden);
  };
}

const sameDocument = (a: Pipeline, b: Pipeline) => exportPipeline(a) === exportPipeline(b);

/**
 * After a pipeline is opened as the server has it: offers its kept draft back
 * when it differs, and forgets one that does not.
 */
export function offerKeptDraft(
  store: EditorStore,
  server: { readonly id: string; readonly pipeline: Pipeline },
  drafts: DraftStore = pageDrafts(),
): void {
  const draft = drafts.read(server.id);
  if (!draft) return;
  if (sameDocument(draft.document, server.pipeline)) {
    drafts.remove(server.id);
    return;
  }
  store.getState().offerDraft(draft);
}

/** Offers back a new pipeline that never reached the server, unless another draft is offered. */
export function offerNewPipelineDraft(store: EditorStore, drafts: DraftStore = pageDrafts()): void {
  if (store.getState().draftOffer) return;
  const draft = drafts.read(null);
  if (draft && draft.document.nodes.length > 0) store.getState().offerDraft(draft);
}

/** Whether restoring the draft would overwrite a version saved since it was begun (it is saved as a copy instead). */
export function draftIsBehind(state: EditorState, offer: DraftOffer): boolean {
  return (
    offer.pipelineId !== null &&
    offer.pipelineId === state.pipelineId &&
    offer.baseVersion !== state.serverVersion
  );
}

/** The name of a copy of `name` that no stored pipeline has: "name (copy)", "name (copy 2)"… */
export function copyName(name: string, taken: ReadonlySet<string> = new Set()): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${name} (copy)` : `${name} (copy ${n})`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Makes the offered draft the open, unsaved document (autosave then saves
 * it). A draft begun on a version the server has since moved past opens as
 * a new pipeline, "<name> (copy)", rather than overwriting the newer one.
 */
export function restoreDraft(store: EditorStore, drafts: DraftStore = pageDrafts()): void {
  const state = store.getState();
  const offer = state.draftOffer;
  if (!offer || isLive(state)) return;
  state.offerDraft(null);
  if (offer.pipelineId === null || draftIsBehind(state, offer)) {
    const copy =
      offer.pipelineId === null
        ? offer.document
        : { ...offer.document, name: copyName(offer.document.name) };
    // Kept under the new pipeline's draft first, so it is never in neither place.
    drafts.write({ pipelineId: null, baseVersion: null, savedAt: Date.now(), document: copy });
    if (offer.pipelineId !== null) drafts.remove(offer.pipelineId);
    state.open(copy, null, null);
    return;
  }
  state.edit('Restore unsaved changes', () => offer.document);
}

/** Forgets the offered draft. */
export function discardDraft(store: EditorStore, drafts: DraftStore = pageDrafts()): void {
  const offer = store.getState().draftOffer;
  if (!offer) return;
  drafts.remove(offer.pipelineId);
  store.getState().offerDraft(null);
}
