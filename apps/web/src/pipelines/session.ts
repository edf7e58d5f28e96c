// Opening, saving, importing and exporting pipelines: the store on one side,
// the server's API on the other.
import { exportFileName, exportPipeline, readPipeline } from '@sluice/shared';
import { ApiError, api, errorMessage } from '../api/client.js';
import { emptyPipeline } from '../document/document.js';
import { type EditorStore, isDirty } from '../store/store.js';

export async function openPipeline(store: EditorStore, id: string): Promise<void> {
  try {
    const record = await api.get(id);
    store.getState().open(record.pipeline, record.id, record.version);
    store.getState().notify(null);
  } catch (cause) {
    store.getState().notify({ tone: 'error', message: errorMessage(cause) });
  }
}

/** Opens the most recently saved pipeline, or a new unsaved one when there is none. */
export async function openLatest(store: EditorStore): Promise<void> {
  try {
    const list = await api.list();
    if (list[0]) await openPipeline(store, list[0].id);
    else store.getState().open(emptyPipeline(), null, null);
  } catch (cause) {
    store.getState().notify({ tone: 'error', message: errorMessage(cause) });
  }
}

export async function createPipeline(store: EditorStore, name: string): Promise<void> {
  try {
    const record = await api.create(emptyPipeline(name.trim() || 'Untitled pipeline'));
    store.getState().open(record.pipeline, record.id, record.version);
  } catch (cause) {
    store.getState().notify({ tone: 'error', message: errorMessage(cause) });
  }
}

let saving: Promise<void> | null = null;

/** Sends the open document to the server when it has changes; one save at a time. */
export async function saveNow(store: EditorStore): Promise<void> {
  while (saving) await saving;
  const state = store.getState();
  if (!isDirty(state)) return;
  // A new pipeline reaches the server with its first step, not before.
  if (state.pipelineId === null && state.document.nodes.length === 0) return;
  const { document, pipelineId, serverVersion } = state;
  saving = (async () => {
    state.setSaveStatus('saving');
    try {
      const record =
        pipelineId === null
          ? await api.create(document)
          : await api.save(pipelineId, document, serverVersion ?? undefined);
      store.getState().saved(document, record.id, record.version);
      if (store.getState().notice?.tone === 'error') store.getState().notify(null);
    } catch (cause) {
      store.getState().setSaveStatus('error');
      const message =
        cause instanceof ApiError && cause.status === 409
          ? 'This pipeline was saved elsewhere since you opened it. Your changes are not saved: reopen it from Pipelines to continue from the latest version.'
          : `Not saved: ${errorMessage(cause)}`;
      store.getState().notify({ tone: 'error', message });
    }
  })();
  try {
    await saving;
  } finally {
    saving = null;
  }
}

export const AUTOSAVE_DELAY_MS = 800;

/** Saves after each pause in editing. Returns the unsubscribe function. */
export function startAutosave(store: EditorStore, delay = AUTOSAVE_DELAY_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = store.subscribe((state, previous) => {
    const gestureEnded = previous.gestureStart !== null && state.gestureStart === null;
    if ((state.document === previous.document && !gestureEnded) || !isDirty(state)) return;
    // A drag saves when it ends.
    if (state.gestureStart !== null) return;
    clearTimeout(timer);
    timer = setTimeout(() => void saveNow(store), delay);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

/**
 * Imports a pipeline file. A file that is not a pipeline is explained and
 * changes nothing; a draft with graph errors is imported like a saved draft.
 */
export async function importFile(store: EditorStore, file: File): Promise<void> {
  const { notify } = store.getState();
  if (!file.name.toLowerCase().endsWith('.json') && file.type !== 'application/json') {
    notify({
      tone: 'error',
      message: `${file.name} is not a .json pipeline file; nothing was imported.`,
    });
    return;
  }
  const text = await file.text();
  const read = readPipeline(text);
  if (!read.pipeline) {
    const problems = read.diagnostics.filter((d) => d.severity === 'error').slice(0, 3);
    notify({
      tone: 'error',
      message: `${file.name} was not imported: ${problems.map((d) => d.message).join(' ') || 'it is not a Sluice pipeline.'}`,
    });
    return;
  }
  try {
    const record = await api.import(JSON.parse(text));
    store.getState().open(record.pipeline, record.id, record.version);
    const migrated = record.migrations.length > 0 ? ` (updated from an older format)` : '';
    notify({ tone: 'info', message: `Imported “${record.pipeline.name}”${migrated}.` });
  } catch (cause) {
    notify({ tone: 'error', message: `${file.name} was not imported: ${errorMessage(cause)}` });
  }
}

/** The id of the header's file input for imports, which the Import command opens. */
export const IMPORT_INPUT_ID = 'import-pipeline-file';

/** Opens the browser's file chooser of the import input; a chosen file is imported by its `onChange`. */
export function chooseImportFile(): void {
  globalThis.document?.getElementById(IMPORT_INPUT_ID)?.click();
}

/** Downloads the open document as canonical JSON, byte-identical to the server's export. */
export function downloadExport(store: EditorStore): void {
  const { document } = store.getState();
  const blob = new Blob([exportPipeline(document)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = globalThis.document.createElement('a');
  a.href = url;
  a.download = exportFileName(document.name);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function copyExport(store: EditorStore): Promise<void> {
  const { document, notify } = store.getState();
  try {
    await navigator.clipboard.writeText(exportPipeline(document));
    notify({ tone: 'info', message: 'The pipeline JSON is on the clipboard.' });
  } catch {
    notify({ tone: 'error', message: 'The browser did not allow copying to the clipboard.' });
  }
}
