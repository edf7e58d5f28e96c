// The editor store: one factory, its initial state in one place. The
// pipeline document is the source of truth; history holds snapshots of it.
import type { Pipeline } from '@sluice/shared';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type Catalog, EMPTY_CATALOG } from '../catalog/catalog.js';
import { type Analysis, EMPTY_ANALYSIS } from '../diagnostics/analysis.js';
import type { Findings } from '../diagnostics/preflight.js';
import { emptyPipeline, type Fragment, moveNodes, type Position } from '../document/document.js';
import { NO_SELECTION, type Selection, type Size } from '../document/flow.js';
import { type LiveData, NO_LIVE } from '../live/live.js';
import { type History, NO_HISTORY, record, redo, undo } from './history.js';

export type Theme = 'light' | 'dark';

/** Which panels beside the canvas are open: the side panel (inspector) and, while live, the results below. */
export interface Panels {
  readonly side: boolean;
  readonly results: boolean;
  /** While live: each step coloured by how busy it is, and what limits the job named. */
  readonly bottlenecks: boolean;
}

export const OPEN_PANELS: Panels = { side: true, results: true, bottlenecks: false };
export type Dialog =
  | 'shortcuts'
  | 'pipelines'
  | 'versions'
  | 'add-node'
  | 'jobs'
  | 'import'
  | 'what-if'
  | null;
export type SaveStatus = 'idle' | 'saving' | 'error';
/**
 * Why the last save failed: the server could not be reached or failed
 * (`retry`: tried again with backoff), the pipeline was saved elsewhere
 * (`conflict`), the server refused it (`refused`), or the session is gone.
 */
export type SaveFailure = 'retry' | 'conflict' | 'refused' | 'signed-out';

export interface NoticeAction {
  readonly label: string;
  readonly run: () => void;
}

export interface Notice {
  readonly tone: 'error' | 'info';
  readonly message: string;
  /** Buttons beside the message; choosing one dismisses the notice. */
  readonly actions?: readonly NoticeAction[];
}

/** A draft this browser kept of a pipeline, offered back when it differs from the server's. */
export interface DraftOffer {
  readonly pipelineId: string | null;
  readonly baseVersion: number | null;
  readonly savedAt: number;
  readonly document: Pipeline;
}

/** An imported file whose pipeline's name is taken: the user chooses what it becomes. */
export interface PendingImport {
  readonly fileName: string;
  readonly pipeline: Pipeline;
  readonly migrated: boolean;
  /** The stored pipeline of the same name. */
  readonly existing: { readonly id: string; readonly name: string };
  /** Every stored pipeline's name, for a free copy name. */
  readonly names: readonly string[];
}

/** What the canvas lends to commands that act on the view. */
export interface CanvasView {
  fitView(): void;
  /** Brings a node, or the middle of an edge, to the centre of the canvas. */
  reveal(target: { readonly nodeId?: string; readonly edgeId?: string }): void;
  /** The flow position at the centre of the visible canvas. */
  center(): Position;
}

export interface EditorData {
  readonly catalog: Catalog;
  readonly document: Pipeline;
  /** The server's id and version of the open pipeline; null until first saved. */
  readonly pipelineId: string | null;
  readonly serverVersion: number | null;
  /**
   * The document as the server has it; null for a new pipeline. Dirty is
   * `document !== savedDocument`: documents are immutable, so undoing back to
   * the saved state is clean again without comparing contents.
   */
  readonly savedDocument: Pipeline | null;
  readonly saveStatus: SaveStatus;
  /** Why the last save failed, while `saveStatus` is `error`. */
  readonly saveFailure: SaveFailure | null;
  /** When the next try of a failed save is due (epoch ms), while one is waiting. */
  readonly saveRetryAt: number | null;
  /** Unsaved changes kept in this browser from before, offered back. */
  readonly draftOffer: DraftOffer | null;
  readonly pendingImport: PendingImport | null;
  readonly selection: Selection;
  readonly measured: ReadonlyMap<string, Size>;
  readonly analysis: Analysis;
  /** What the server last found missing before a deploy (files, topics), or null. */
  readonly preflight: Findings | null;
  readonly history: History;
  /** The document before a drag began; the drag is one undo step. */
  readonly gestureStart: Pipeline | null;
  readonly clipboard: Fragment | null;
  readonly pasteCount: number;
  readonly theme: Theme;
  readonly panels: Panels;
  readonly dialog: Dialog;
  /** Where the add-node search was opened, in flow coordinates. */
  readonly addAt: Position | null;
  readonly notice: Notice | null;
  readonly canvasView: CanvasView | null;
  /** The server refused a call for want of a session: the sign-in screen replaces the editor. */
  readonly signedOut: boolean;
  /** Counts the documents opened, so the canvas fits each new one in view once. */
  readonly opened: number;
  /** The job shown on the canvas; while it is, the document is read-only. */
  readonly live: LiveData;
}

export interface EditOptions {
  /** Edits with the same key in quick succession are one undo step (typing in a form). */
  readonly coalesce?: string;
  /** The selection after the edit; kept when absent. */
  readonly select?: Selection;
}

export interface EditorActions {
  /** Changes the document as one undoable step; a change that returns the same document is nothing. */
  edit(label: string, change: (doc: Pipeline) => Pipeline, options?: EditOptions): void;
  undo(): void;
  redo(): void;
  beginGesture(): void;
  /** Moves nodes during a drag, without a history step of its own. */
  moveDuringGesture(positions: ReadonlyMap<string, Position>): void;
  endGesture(label: string): void;
  select(selection: Selection): void;
  setMeasured(sizes: ReadonlyMap<string, Size>): void;
  setAnalysis(analysis: Analysis): void;
  setPreflight(findings: Findings | null): void;
  setCatalog(catalog: Catalog): void;
  /** Opens a document from the server (or a new one); history starts afresh. */
  open(doc: Pipeline, pipelineId: string | null, serverVersion: number | null): void;
  setSaveStatus(status: SaveStatus, failure?: SaveFailure): void;
  setSaveRetryAt(at: number | null): void;
  offerDraft(offer: DraftOffer | null): void;
  setPendingImport(pending: PendingImport | null): void;
  /** The server has stored `document` as `version`. */
  saved(document: Pipeline, pipelineId: string, version: number): void;
  setClipboard(fragment: Fragment): void;
  /** How many times the clipboard was pasted, so each paste lands a step further. */
  setPasteCount(count: number): void;
  setTheme(theme: Theme): void;
  setPanels(change: Partial<Panels>): void;
  openDialog(dialog: Dialog, addAt?: Position): void;
  notify(notice: Notice | null): void;
  setCanvasView(view: CanvasView | null): void;
  signOut(): void;
  /** Changes the live view; opening a document leaves it. */
  updateLive(change: (live: LiveData) => LiveData): void;
}

export type EditorState = EditorData & EditorActions;
export type EditorStore = StoreApi<EditorState>;

export function initialEditorData(): EditorData {
  return {
    catalog: EMPTY_CATALOG,
    document: emptyPipeline(),
    pipelineId: null,
    serverVersion: null,
    savedDocument: null,
    saveStatus: 'idle',
    saveFailure: null,
    saveRetryAt: null,
    draftOffer: null,
    pendingImport: null,
    selection: NO_SELECTION,
    measured: new Map(),
    analysis: EMPTY_ANALYSIS,
    preflight: null,
    history: NO_HISTORY,
    gestureStart: null,
    clipboard: null,
    pasteCount: 0,
    theme: 'light',
    panels: OPEN_PANELS,
    dialog: null,
    addAt: null,
    notice: null,
    canvasView: null,
    signedOut: false,
    opened: 0,
    live: NO_LIVE,
  };
}

/** Selection limited to what still exists in `doc`. */
function prune(selection: Selection, doc: Pipeline): Selection {
  const nodes = new Set(doc.nodes.map((n) => n.id));
  const edges = new Set(doc.edges.map((e) => e.id));
  const keptNodes = [...selection.nodes].filter((id) => nodes.has(id));
  const keptEdges = [...selection.edges].filter((id) => edges.has(id));
  if (keptNodes.length === selection.nodes.size && keptEdges.length === selection.edges.size) {
    return selection;
  }
  return { nodes: new Set(keptNodes), edges: new Set(keptEdges) };
}

export function createEditorStore(initial: Partial<EditorData> = {}): EditorStore {
  return createStore<EditorState>()((set, get) => ({
    ...initialEditorData(),
    ...initial,

    edit(label, change, options = {}) {
      const state = get();
      if (isLive(state)) return;
      const next = change(state.document);
      if (next === state.document) return;
      set({
        document: next,
        history: record(state.history, {
          document: state.document,
          selection: state.selection,
          label,
          coalesce: options.coalesce,
          at: Date.now(),
        }),
        selection: prune(options.select ?? state.selection, next),
      });
    },

    undo() {
      const state = get();
      if (isLive(state)) return;
      const step = undo(state.history, state.document, state.selection);
      if (!step) return;
      set({
        document: step.document,
        selection: prune(step.selection, step.document),
        history: step.history,
      });
    },

    redo() {
      const state = get();
      if (isLive(state)) return;
      const step = redo(state.history, state.document, state.selection);
      if (!step) return;
      set({
        document: step.document,
        selection: prune(step.selection, step.document),
        history: step.history,
      });
    },

    beginGesture() {
      if (isLive(get())) return;
      if (get().gestureStart === null) set({ gestureStart: get().document });
    },

    moveDuringGesture(positions) {
      const state = get();
      if (isLive(state)) return;
      const next = moveNodes(state.document, positions);
      if (next !== state.document) set({ document: next });
    },

    endGesture(label) {
      const state = get();
      const start = state.gestureStart;
      if (start === null) return;
      if (start === state.document) {
        set({ gestureStart: null });
        return;
      }
      set({
        gestureStart: null,
        history: record(state.history, {
          document: start,
          selection: state.selection,
          label,
          at: Date.now(),
        }),
      });
    },

    select(selection) {
      set({ selection: prune(selection, get().document) });
    },

    setMeasured(sizes) {
      if (sizes.size === 0) return;
      const measured = new Map(get().measured);
      for (const [id, size] of sizes) measured.set(id, size);
      set({ measured });
    },

    setPreflight(preflight) {
      set({ preflight });
    },
    setAnalysis(analysis) {
      set({ analysis });
    },

    setCatalog(catalog) {
      set({ catalog });
    },

    open(doc, pipelineId, serverVersion) {
      get().live.channel?.close();
      set({
        live: NO_LIVE,
        document: doc,
        pipelineId,
        serverVersion,
        savedDocument: pipelineId === null ? null : doc,
        saveStatus: 'idle',
        saveFailure: null,
        saveRetryAt: null,
        // What was said about the pipeline before does not carry over to this one.
        notice: null,
        draftOffer: null,
        selection: NO_SELECTION,
        history: NO_HISTORY,
        gestureStart: null,
        pasteCount: 0,
        preflight: null,
        opened: get().opened + 1,
      });
    },

    setSaveStatus(saveStatus, failure) {
      set({
        saveStatus,
        saveFailure: saveStatus === 'error' ? (failure ?? 'refused') : null,
        saveRetryAt: null,
      });
    },

    setSaveRetryAt(saveRetryAt) {
      set({ saveRetryAt });
    },

    offerDraft(draftOffer) {
      set({ draftOffer });
    },

    setPendingImport(pendingImport) {
      set({ pendingImport });
    },

    saved(document, pipelineId, version) {
      set({
        savedDocument: document,
        pipelineId,
        serverVersion: version,
        saveStatus: 'idle',
        saveFailure: null,
        saveRetryAt: null,
      });
    },

    setClipboard(clipboard) {
      set({ clipboard, pasteCount: 0 });
    },

    setPasteCount(pasteCount) {
      set({ pasteCount });
    },

    setTheme(theme) {
      set({ theme });
    },

    setPanels(change) {
      set({ panels: { ...get().panels, ...change } });
    },

    openDialog(dialog, addAt) {
      set({ dialog, addAt: addAt ?? null });
    },

    notify(notice) {
      set({ notice });
    },

    setCanvasView(canvasView) {
      set({ canvasView });
    },

    signOut() {
      get().live.channel?.close();
      set({ signedOut: true, dialog: null, notice: null, live: NO_LIVE });
    },

    updateLive(change) {
      const live = change(get().live);
      if (live !== get().live) set({ live });
    },
  }));
}

/** Whether a job is shown on the canvas, which makes the document read-only. */
export function isLive(state: EditorData): boolean {
  return state.live.job !== null;
}

/** Whether the open document has changes the server does not have yet. */
export function isDirty(state: EditorData): boolean {
  return state.document !== state.savedDocument;
}

/**
 * Whether leaving now would lose work: changes the server does not have. A new
 * pipeline without steps is not work yet (it is not saved before its first step).
 */
export function hasUnsavedWork(state: EditorData): boolean {
  if (!isDirty(state)) return false;
  return state.pipelineId !== null || state.document.nodes.length > 0;
}
