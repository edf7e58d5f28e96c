// Opening, saving, importing and exporting pipelines: the store on one side,
// the server's API on the other.
import { exportFileName, exportPipeline, readPipeline } from '@sluice/shared';
import { ApiError, api, errorMessage, onServerAnswered } from '../api/client.js';
import { emptyPipeline } from '../document/document.js';
import { type EditorStore, isDirty, type Notice } from '../store/store.js';
import { copyName, offerKeptDraft, pageDrafts } from './draft-keeper.js';
import { Backoff, saveFailureOf } from './retry.js';

/** Says why a pipeline could not be opened: one that does not exist is named, not replaced by another. */
function openProblem(id: string, cause: unknown): string {
  if (cause instanceof ApiError && cause.status === 404) {
    return `There is no pipeline “${id}” on this server: it was deleted, or the link is from another server. Open one from Pipelines.`;
  }
  return `Pipeline “${id}” could not be opened: ${errorMessage(cause)}`;
}

/** Opens a stored pipeline at its latest version, offering back changes kept of it; false when it could not. */
export async function openPipeline(store: EditorStore, id: string): Promise<boolean> {
  try {
    const record = await api.get(id);
    store.getState().open(record.pipeline, record.id, record.version);
    offerKeptDraft(store, record);
    return true;
  } catch (cause) {
    if (cause instanceof ApiError && cause.status === 401) return false;
    store.getState().notify({ tone: 'error', message: openProblem(id, cause) });
    return false;
  }
}

/** Opens the most recently saved pipeline, or a new unsaved one when there is none. */
export async function openLatest(store: EditorStore): Promise<boolean> {
  try {
    const list = await api.list();
    if (list[0]) return await openPipeline(store, list[0].id);
    store.getState().open(emptyPipeline(), null, null);
    return true;
  } catch (cause) {
    if (!(cause instanceof ApiError && cause.status === 401)) {
      store.getState().notify({ tone: 'error', message: errorMessage(cause) });
    }
    return false;
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
  if (!isDirty(state) || (state.pipelineId === null && state.document.nodes.length === 0)) {
    // Undone back to what the server has: a failed save has nothing left to try.
    if (state.saveStatus === 'error') state.setSaveStatus('idle');
    // A new pipeline reaches the server with its first step, not before.
    return;
  }
  const { document, pipelineId, serverVersion, opened } = state;
  const retrying = state.saveStatus === 'error' && state.saveFailure === 'retry';
  // Another document opened meanwhile: the answer is not about the open one.
  const stillOpen = () => store.getState().opened === opened;
  saving = (async () => {
    state.setSaveStatus('saving');
    try {
      const record =
        pipelineId === null
          ? await api.create(document)
          : await api.save(pipelineId, document, serverVersion ?? undefined);
      if (!stillOpen()) return;
      store.getState().saved(document, record.id, record.version);
      if (store.getState().notice?.tone === 'error') store.getState().notify(null);
    } catch (cause) {
      if (!stillOpen()) return;
      const failure = saveFailureOf(cause);
      store.getState().setSaveStatus('error', failure);
      if (failure === 'conflict') {
        store.getState().notify(conflictNotice(store));
      } else if (failure === 'refused' || !retrying) {
        // A retry that fails again has been said already; the header counts down to the next.
        store.getState().notify({ tone: 'error', message: `Not saved: ${errorMessage(cause)}` });
      }
    }
  })();
  try {
    await saving;
  } finally {
    saving = null;
  }
}

/** A 409: offers to keep this tab's work as a new pipeline, or to drop it for the latest. */
function conflictNotice(store: EditorStore): Notice {
  const id = store.getState().pipelineId;
  return {
    tone: 'error',
    message:
      'This pipeline was saved elsewhere since you opened it, so your changes were not saved over it.',
    actions: [
      { label: 'Save mine as a copy', run: () => void saveAsCopy(store) },
      ...(id === null
        ? []
        : [
            {
              label: 'Open the latest (drop mine)',
              run: () => {
                pageDrafts().remove(id);
                void openPipeline(store, id);
              },
            },
          ]),
    ],
  };
}

/** Saves the open document as a new pipeline, "<name> (copy)", and opens that. */
export async function saveAsCopy(store: EditorStore): Promise<void> {
  const { document, pipelineId, notify } = store.getState();
  try {
    const taken = new Set((await api.list()).map((p) => p.name));
    const copy = { ...document, name: copyName(document.name, taken) };
    const record = await api.create(copy);
    store.getState().open(record.pipeline, record.id, record.version);
    // The original's draft was this document: the copy holds it now.
    if (pipelineId !== null) pageDrafts().remove(pipelineId);
    notify({ tone: 'info', message: `Your version was saved as “${record.pipeline.name}”.` });
  } catch (cause) {
    notify({ tone: 'error', message: `Not saved as a copy: ${errorMessage(cause)}` });
  }
}

export const AUTOSAVE_DELAY_MS = 800;

/**
 * Saves after each pause in editing, and tries a save that failed for want
 * of the server again with backoff (at once when the browser is back online
 * or the server answers). Returns the stop function.
 */
export function startAutosave(
  store: EditorStore,
  delay = AUTOSAVE_DELAY_MS,
  page: Pick<Window, 'addEventListener' | 'removeEventListener'> | undefined = typeof window ===
  'undefined'
    ? undefined
    : window,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const backoff = new Backoff(() => void saveNow(store));
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.saveStatus !== previous.saveStatus || state.opened !== previous.opened) {
      if (state.saveStatus === 'error' && state.saveFailure === 'retry') {
        if (previous.saveStatus === 'saving') {
          const wait = backoff.failed();
          store.getState().setSaveRetryAt(Date.now() + wait);
        }
      } else if (state.saveStatus !== 'saving') backoff.reset();
    }
    const gestureEnded = previous.gestureStart !== null && state.gestureStart === null;
    if ((state.document === previous.document && !gestureEnded) || !isDirty(state)) return;
    // A drag saves when it ends.
    if (state.gestureStart !== null) return;
    clearTimeout(timer);
    timer = setTimeout(() => void saveNow(store), delay);
  });
  const retryNow = () => backoff.now();
  const stopHearing = onServerAnswered(retryNow);
  page?.addEventListener('online', retryNow);
  return () => {
    clearTimeout(timer);
    backoff.reset();
    unsubscribe();
    stopHearing();
    page?.removeEventListener('online', retryNow);
  };
}

/**
 * Imports a pipeline file. A file that is not a pipeline is explained and
 * changes nothing; a draft with graph errors is imported like a saved draft.
 * When a stored pipeline has the same name, the user chooses (the import dialog).
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
    const stored = await api.list();
    const existing = stored.find((p) => p.name === read.pipeline?.name);
    if (existing) {
      store.getState().setPendingImport({
        fileName: file.name,
        pipeline: read.pipeline,
        migrated: read.migrations.length > 0,
        existing: { id: existing.id, name: existing.name },
        names: stored.map((p) => p.name),
      });
      store.getState().openDialog('import');
      return;
    }
    await saveNow(store);
    const record = await api.import(JSON.parse(text));
    store.getState().open(record.pipeline, record.id, record.version);
    const migrated = record.migrations.length > 0 ? ` (updated from an older format)` : '';
    notify({ tone: 'info', message: `Imported “${record.pipeline.name}”${migrated}.` });
  } catch (cause) {
    notify({ tone: 'error', message: `${file.name} was not imported: ${errorMessage(cause)}` });
  }
}

export type ImportChoice = 'new-version' | 'copy' | 'cancel';

/** The name an imported copy takes beside stored ones: "name (2)", "name (3)"… */
export function numberedName(name: string, taken: ReadonlySet<string>): string {
  for (let n = 2; ; n++) {
    const candidate = `${name} (${n})`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Finishes an import whose name was taken, as the user chose. */
export async function finishImport(store: EditorStore, choice: ImportChoice): Promise<void> {
  const pending = store.getState().pendingImport;
  store.getState().setPendingImport(null);
  store.getState().openDialog(null);
  if (!pending || choice === 'cancel') return;
  const { notify } = store.getState();
  const migrated = pending.migrated ? ' (updated from an older format)' : '';
  try {
    await saveNow(store);
    if (choice === 'new-version') {
      // Over whatever the stored one is now: its older versions stay in its history.
      const record = await api.save(pending.existing.id, pending.pipeline);
      store.getState().open(record.pipeline, record.id, record.version);
      notify({
        tone: 'info',
        message: `Imported as version ${record.version} of “${record.pipeline.name}”${migrated}.`,
      });
    } else {
      const name = numberedName(pending.pipeline.name, new Set(pending.names));
      const record = await api.import({ ...pending.pipeline, name });
      store.getState().open(record.pipeline, record.id, record.version);
      notify({ tone: 'info', message: `Imported as “${name}”${migrated}.` });
    }
  } catch (cause) {
    notify({
      tone: 'error',
      message: `${pending.fileName} was not imported: ${errorMessage(cause)}`,
    });
  }
}

/** The id of the header's file input for imports, which the Import command opens. */
export const IMPORT_INPUT_ID = 'import-pipeline-file';

/** Opens the browser's file chooser of the import input; a chosen file is imported by its `onChange`. */
export function chooseImportFile(): void {
  globalThis.document?.getElementById(IMPORT_INPUT_ID)?.click();
}

/** Has the browser download `text` as a JSON file named `name`. */
export function downloadJson(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = globalThis.document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Downloads the open document as canonical JSON, byte-identical to the server's export. */
export function downloadExport(store: EditorStore): void {
  const { document } = store.getState();
  downloadJson(exportPipeline(document), exportFileName(document.name));
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
