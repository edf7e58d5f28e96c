// What runs beside the components: loading the catalog, the pipeline the
// address names (and the address following it), the debounced live analysis,
// autosave, drafts, the leave-page warning, and the theme on the page.

import type { Pipeline } from '@sluice/shared';
import { useEffect } from 'react';
import { ApiError, api, errorMessage, onUnauthorized } from '../api/client.js';
import { indexCatalog } from '../catalog/catalog.js';
import { type Analysis, analyze, withFindings } from '../diagnostics/analysis.js';
import { standingFindings, startPreflight } from '../diagnostics/preflight.js';
import { startDraftKeeping } from '../pipelines/draft-keeper.js';
import { startAutosave } from '../pipelines/session.js';
import { type EditorStore, hasUnsavedWork } from '../store/store.js';
import { startLocationSync } from './location-sync.js';

export const ANALYSIS_DELAY_MS = 150;

/**
 * Re-analyses the document after each pause in editing, and places the
 * server's pre-flight findings on it whenever they change (without analysing
 * again). Returns the unsubscribe function.
 */
export function startLiveAnalysis(store: EditorStore, delay = ANALYSIS_DELAY_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let analysed: { document: Pipeline; analysis: Analysis } | null = null;
  const show = () => {
    const { document, preflight } = store.getState();
    if (analysed?.document !== document) analysed = { document, analysis: analyze(document) };
    // The server's findings stay on the nodes they are about while those are unchanged.
    store
      .getState()
      .setAnalysis(withFindings(analysed.analysis, standingFindings(preflight, document)));
  };
  show();
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.document !== previous.document) {
      clearTimeout(timer);
      timer = setTimeout(show, delay);
    } else if (state.preflight !== previous.preflight) {
      show();
    }
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

export function useEditorServices(store: EditorStore): void {
  useEffect(() => {
    let cancelled = false;
    const stopWatchingSession = onUnauthorized(() => store.getState().signOut());
    api.catalog().then(
      (entries) => {
        if (!cancelled) store.getState().setCatalog(indexCatalog(entries));
      },
      (cause) => {
        // A refused session shows the sign-in screen instead (onUnauthorized).
        if (cause instanceof ApiError && cause.status === 401) return;
        store.getState().notify({ tone: 'error', message: errorMessage(cause) });
      },
    );
    const stopAnalysis = startLiveAnalysis(store);
    const stopAutosave = startAutosave(store);
    const stopPreflight = startPreflight(store);
    const stopDrafts = startDraftKeeping(store);
    const stopLocation = startLocationSync(store);
    const stopLeaveWarning = startLeaveWarning(store);
    return () => {
      stopPreflight();
      cancelled = true;
      stopWatchingSession();
      stopAnalysis();
      stopAutosave();
      stopDrafts();
      stopLocation();
      stopLeaveWarning();
    };
  }, [store]);
}

/** Whether leaving the page now deserves the browser's "Leave page?" question. */
export function shouldWarnOnLeave(store: EditorStore): boolean {
  const state = store.getState();
  // Signed out, nothing can be saved from here; the draft keeps the changes for after signing in.
  if (state.signedOut) return false;
  return hasUnsavedWork(state) || state.saveStatus === 'saving';
}

/** Asks "Leave page?" while there are unsaved changes or a save in flight. Returns the stop function. */
export function startLeaveWarning(
  store: EditorStore,
  page: Pick<Window, 'addEventListener' | 'removeEventListener'> | undefined = typeof window ===
  'undefined'
    ? undefined
    : window,
): () => void {
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!shouldWarnOnLeave(store)) return;
    event.preventDefault();
    // Older Chromium asks only when returnValue is set as well.
    event.returnValue = '';
  };
  page?.addEventListener('beforeunload', onBeforeUnload);
  return () => page?.removeEventListener('beforeunload', onBeforeUnload);
}

export function useThemeOnPage(theme: string): void {
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('sluice.theme', theme);
  }, [theme]);
}
