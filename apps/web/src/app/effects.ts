// What runs beside the components: loading the catalog and the pipeline,
// the debounced live analysis, and the theme on the page.
import { useEffect } from 'react';
import { ApiError, api, errorMessage, onUnauthorized } from '../api/client.js';
import { indexCatalog } from '../catalog/catalog.js';
import { analyze, withFindings } from '../diagnostics/analysis.js';
import { standingFindings, startPreflight } from '../diagnostics/preflight.js';
import { openLatest, startAutosave } from '../pipelines/session.js';
import type { EditorStore } from '../store/store.js';

export const ANALYSIS_DELAY_MS = 150;

/** Re-analyses the document after each pause in editing. Returns the unsubscribe function. */
export function startLiveAnalysis(store: EditorStore, delay = ANALYSIS_DELAY_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    const { document, preflight } = store.getState();
    // The server's findings stay on the nodes they are about while those are unchanged.
    store
      .getState()
      .setAnalysis(withFindings(analyze(document), standingFindings(preflight, document)));
  };
  run();
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.document === previous.document) return;
    clearTimeout(timer);
    timer = setTimeout(run, delay);
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
    void openLatest(store);
    const stopAnalysis = startLiveAnalysis(store);
    const stopAutosave = startAutosave(store);
    const stopPreflight = startPreflight(store, analyze);
    return () => {
      stopPreflight();
      cancelled = true;
      stopWatchingSession();
      stopAnalysis();
      stopAutosave();
    };
  }, [store]);
}

export function useThemeOnPage(theme: string): void {
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('sluice.theme', theme);
  }, [theme]);
}
