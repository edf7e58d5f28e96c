// Undo and redo as document snapshots. Documents are immutable and share
// what an edit did not touch, so a snapshot costs little and every kind of
// edit is undone exactly, with no per-edit inverse to get wrong.
import type { Pipeline } from '@sluice/shared';
import type { Selection } from '../document/flow.js';

export interface HistoryEntry {
  readonly document: Pipeline;
  readonly selection: Selection;
  readonly label: string;
  readonly coalesce?: string | undefined;
  readonly at: number;
}

export interface History {
  readonly past: readonly HistoryEntry[];
  readonly future: readonly HistoryEntry[];
}

export const NO_HISTORY: History = { past: [], future: [] };

const LIMIT = 200;
/** Edits with the same coalesce key closer than this are one step. */
export const COALESCE_MS = 1000;

/** Records the state before an edit. */
export function record(history: History, before: HistoryEntry): History {
  const last = history.past.at(-1);
  if (
    last &&
    before.coalesce !== undefined &&
    last.coalesce === before.coalesce &&
    before.at - last.at < COALESCE_MS
  ) {
    // Keep the older snapshot; only extend the time window.
    return { past: [...history.past.slice(0, -1), { ...last, at: before.at }], future: [] };
  }
  return { past: [...history.past, before].slice(-LIMIT), future: [] };
}

export interface Step {
  readonly document: Pipeline;
  readonly selection: Selection;
  readonly history: History;
}

export function undo(history: History, current: Pipeline, selection: Selection): Step | undefined {
  const entry = history.past.at(-1);
  if (!entry) return undefined;
  return {
    document: entry.document,
    selection: entry.selection,
    history: {
      past: history.past.slice(0, -1),
      future: [...history.future, { ...entry, document: current, selection }],
    },
  };
}

export function redo(history: History, current: Pipeline, selection: Selection): Step | undefined {
  const entry = history.future.at(-1);
  if (!entry) return undefined;
  return {
    document: entry.document,
    selection: entry.selection,
    history: {
      past: [...history.past, { ...entry, document: current, selection, coalesce: undefined }],
      future: history.future.slice(0, -1),
    },
  };
}
