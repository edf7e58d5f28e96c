// The registry: every editor command, in the order the shortcut list shows them.
// The job and app commands are declared beside this file, listed here.

import { extractFragment, moveNodes, pasteFragment, removeElements } from '../document/document.js';
import { NO_SELECTION } from '../document/flow.js';
import { isLive } from '../store/store.js';
import {
  copyJsonCommand,
  darkThemeCommand,
  downloadCommand,
  importCommand,
  jobsCommand,
  pipelinesCommand,
  signOutCommand,
  versionsCommand,
  whatIfCommand,
} from './app-commands.js';
import { type Command, type CommandContext, defineCommand } from './command.js';
import {
  deployCommand,
  leaveLiveCommand,
  resumeCommand,
  stopCommand,
  stopWithSavepointCommand,
} from './job-commands.js';
import { layoutPositions } from './layout.js';
import { bottlenecksCommand, resultsPanelCommand, sidePanelCommand } from './view-commands.js';

const PASTE_OFFSET = 40;

/** A command that changes the document applies only while no job is shown (read-only). */
const whileEditing =
  (when: Command['when']): Command['when'] =>
  (s) =>
    !isLive(s) && when(s);

const hasSelection = (s: {
  selection: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> };
}) => s.selection.nodes.size > 0 || s.selection.edges.size > 0;

export const undoCommand = defineCommand({
  name: 'undo',
  label: 'Undo',
  shortcuts: ['Mod+Z'],
  when: whileEditing((s) => s.history.past.length > 0),
  run: ({ store }) => store.getState().undo(),
  undo: 'none',
});

export const redoCommand = defineCommand({
  name: 'redo',
  label: 'Redo',
  shortcuts: ['Mod+Shift+Z', 'Mod+Y'],
  when: whileEditing((s) => s.history.future.length > 0),
  run: ({ store }) => store.getState().redo(),
  undo: 'none',
});

export const deleteCommand = defineCommand({
  name: 'delete',
  label: 'Delete selection',
  shortcuts: ['Delete', 'Backspace'],
  when: whileEditing(hasSelection),
  run: ({ store }) => {
    const { selection, edit } = store.getState();
    edit('Delete', (doc) => removeElements(doc, selection.nodes, selection.edges), {
      select: NO_SELECTION,
    });
  },
  undo: 'history',
});

function pasteInto(
  { store }: CommandContext,
  label: string,
  fragment = store.getState().clipboard,
) {
  const state = store.getState();
  if (!fragment || fragment.nodes.length === 0) return;
  const times = state.pasteCount + 1;
  const offset = { x: PASTE_OFFSET * times, y: PASTE_OFFSET * times };
  const pasted = pasteFragment(state.document, fragment, offset);
  state.edit(label, () => pasted.doc, {
    select: { nodes: new Set(pasted.nodeIds), edges: new Set() },
  });
  state.setPasteCount(times);
}

export const duplicateCommand = defineCommand({
  name: 'duplicate',
  label: 'Duplicate',
  shortcuts: ['Mod+D'],
  when: whileEditing((s) => s.selection.nodes.size > 0),
  run: ({ store }) => {
    const { document, selection } = store.getState();
    const fragment = extractFragment(document, selection.nodes);
    // Duplicating always lands one step away, whatever was pasted before.
    store.getState().setPasteCount(0);
    pasteInto({ store }, 'Duplicate', fragment);
  },
  undo: 'history',
});

export const copyCommand = defineCommand({
  name: 'copy',
  label: 'Copy',
  shortcuts: ['Mod+C'],
  when: (s) => s.selection.nodes.size > 0,
  run: ({ store }) => {
    const { document, selection, setClipboard } = store.getState();
    setClipboard(extractFragment(document, selection.nodes));
  },
  undo: 'none',
});

export const pasteCommand = defineCommand({
  name: 'paste',
  label: 'Paste',
  shortcuts: ['Mod+V'],
  when: whileEditing((s) => (s.clipboard?.nodes.length ?? 0) > 0),
  run: (context) => pasteInto(context, 'Paste'),
  undo: 'history',
});

export const selectAllCommand = defineCommand({
  name: 'select-all',
  label: 'Select all',
  shortcuts: ['Mod+A'],
  when: (s) => s.document.nodes.length > 0,
  run: ({ store }) => {
    const { document, select } = store.getState();
    select({
      nodes: new Set(document.nodes.map((n) => n.id)),
      edges: new Set(document.edges.map((e) => e.id)),
    });
  },
  undo: 'none',
});

export const autoLayoutCommand = defineCommand({
  name: 'auto-layout',
  label: 'Tidy up (auto-layout)',
  shortcuts: ['Shift+L'],
  when: whileEditing((s) => s.document.nodes.length > 0),
  run: async ({ store }) => {
    const { document, catalog, measured } = store.getState();
    const positions = await layoutPositions(document, catalog, measured);
    // The document may have changed while ELK worked: move what still exists.
    store.getState().edit('Auto-layout', (doc) => moveNodes(doc, positions));
    globalThis.requestAnimationFrame?.(() => store.getState().canvasView?.fitView());
  },
  undo: 'history',
});

export const fitViewCommand = defineCommand({
  name: 'fit-view',
  label: 'Fit the pipeline in view',
  shortcuts: ['Shift+F'],
  when: (s) => s.canvasView !== null,
  run: ({ store }) => store.getState().canvasView?.fitView(),
  undo: 'none',
});

export const addNodeCommand = defineCommand({
  name: 'add-node',
  label: 'Add a step…',
  shortcuts: ['Mod+K'],
  when: whileEditing((s) => s.catalog.entries.length > 0),
  run: ({ store }) => {
    const { openDialog, canvasView } = store.getState();
    openDialog('add-node', canvasView?.center() ?? { x: 0, y: 0 });
  },
  undo: 'none',
});

export const shortcutsCommand = defineCommand({
  name: 'shortcuts',
  label: 'Keyboard shortcuts',
  shortcuts: ['?'],
  when: () => true,
  run: ({ store }) => store.getState().openDialog('shortcuts'),
  undo: 'none',
});

export const COMMANDS: readonly Command[] = [
  undoCommand,
  redoCommand,
  deleteCommand,
  duplicateCommand,
  copyCommand,
  pasteCommand,
  selectAllCommand,
  autoLayoutCommand,
  fitViewCommand,
  sidePanelCommand,
  bottlenecksCommand,
  resultsPanelCommand,
  addNodeCommand,
  deployCommand,
  stopCommand,
  stopWithSavepointCommand,
  resumeCommand,
  leaveLiveCommand,
  pipelinesCommand,
  versionsCommand,
  jobsCommand,
  whatIfCommand,
  importCommand,
  downloadCommand,
  copyJsonCommand,
  darkThemeCommand,
  signOutCommand,
  shortcutsCommand,
];

const byName = new Map(COMMANDS.map((c) => [c.name, c]));

export function getCommand(name: string): Command | undefined {
  return byName.get(name);
}
