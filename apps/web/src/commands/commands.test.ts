import type { Pipeline } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { updateNode } from '../document/document.js';
import { addOperator, connect } from '../store/edits.js';
import type { EditorStore } from '../store/store.js';
import { samplePipeline, testCatalog, testStore } from '../testing/fixtures.js';
import { type Command, formatShortcut, matchesShortcut } from './command.js';
import { COMMANDS, getCommand } from './commands.js';

function run(store: EditorStore, name: string) {
  const command = getCommand(name)!;
  expect(command.when(store.getState())).toBe(true);
  return command.run({ store });
}

/** Does `edit`, then checks that Undo restores the document exactly and Redo brings the edit back. */
async function expectUndoable(
  store: EditorStore,
  edit: () => unknown,
  check: (doc: Pipeline) => void,
) {
  const before = store.getState().document;
  await edit();
  const after = store.getState().document;
  expect(after).not.toBe(before);
  check(after);
  await run(store, 'undo');
  expect(store.getState().document).toEqual(before);
  await run(store, 'redo');
  expect(store.getState().document).toEqual(after);
  check(store.getState().document);
}

const select = (store: EditorStore, nodes: string[], edges: string[] = []) =>
  store.getState().select({ nodes: new Set(nodes), edges: new Set(edges) });

describe('the command registry', () => {
  it('declares each command once, with a label, and no shortcut twice', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const shortcuts = COMMANDS.flatMap((c) => c.shortcuts);
    expect(new Set(shortcuts).size).toBe(shortcuts.length);
    for (const c of COMMANDS) expect(c.label).not.toBe('');
  });

  it('applies a command only when it makes sense', () => {
    const store = testStore();
    expect(getCommand('undo')!.when(store.getState())).toBe(false);
    expect(getCommand('delete')!.when(store.getState())).toBe(false);
    expect(getCommand('paste')!.when(store.getState())).toBe(false);
    select(store, ['big']);
    expect(getCommand('delete')!.when(store.getState())).toBe(true);
  });
});

describe('undo and redo of every kind of edit', () => {
  it('add a node', async () => {
    const store = testStore();
    const entry = testCatalog().byKind.get('sink.preview')!;
    await expectUndoable(
      store,
      () => addOperator(store, entry, { x: 5, y: 5 }),
      (doc) => expect(doc.nodes.at(-1)).toMatchObject({ id: 'preview', kind: 'sink.preview' }),
    );
  });

  it('connect', async () => {
    const store = testStore();
    await expectUndoable(
      store,
      () => connect(store, { source: 'gen', sourcePort: 'out', target: 'all', targetPort: 'in' }),
      (doc) => expect(doc.edges.at(-1)).toEqual({ id: 'e3', source: 'gen', target: 'all' }),
    );
  });

  it('a refused connection changes nothing', () => {
    const store = testStore();
    connect(store, { source: 'all', sourcePort: 'out', target: 'out', targetPort: 'in' });
    expect(store.getState().history.past).toHaveLength(0);
  });

  it('delete nodes with their edges, and delete an edge', async () => {
    const store = testStore();
    select(store, ['big']);
    await expectUndoable(
      store,
      () => run(store, 'delete'),
      (doc) => {
        expect(doc.nodes.map((n) => n.id)).toEqual(['gen', 'out', 'all']);
        expect(doc.edges).toEqual([]);
      },
    );
    const other = testStore();
    select(other, [], ['e2']);
    await expectUndoable(
      other,
      () => run(other, 'delete'),
      (doc) => expect(doc.edges.map((e) => e.id)).toEqual(['e1']),
    );
  });

  it('duplicate', async () => {
    const store = testStore();
    select(store, ['gen', 'big']);
    await expectUndoable(
      store,
      () => run(store, 'duplicate'),
      (doc) => {
        expect(doc.nodes.map((n) => n.id)).toEqual(['gen', 'big', 'out', 'all', 'gen_2', 'big_2']);
        expect(doc.edges.at(-1)).toMatchObject({ source: 'gen_2', target: 'big_2' });
      },
    );
    expect([...store.getState().selection.nodes]).toEqual(['gen_2', 'big_2']);
  });

  it('copy then paste, each paste a step further', async () => {
    const store = testStore();
    select(store, ['out']);
    await run(store, 'copy');
    expect(store.getState().history.past).toHaveLength(0);
    await expectUndoable(
      store,
      () => run(store, 'paste'),
      (doc) => expect(doc.nodes.at(-1)).toMatchObject({ id: 'out_2', position: { x: 540, y: 40 } }),
    );
    await run(store, 'paste');
    expect(store.getState().document.nodes.at(-1)).toMatchObject({ position: { x: 580, y: 80 } });
  });

  it('auto-layout, left to right', async () => {
    const store = testStore({
      ...samplePipeline(),
      nodes: samplePipeline().nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })),
    });
    await expectUndoable(
      store,
      () => run(store, 'auto-layout'),
      (doc) => {
        const x = (id: string) => doc.nodes.find((n) => n.id === id)!.position!.x;
        expect(x('gen')).toBeLessThan(x('big'));
        expect(x('big')).toBeLessThan(x('out'));
      },
    );
  });

  it('move (a drag)', async () => {
    const store = testStore();
    await expectUndoable(
      store,
      () => {
        store.getState().beginGesture();
        store.getState().moveDuringGesture(new Map([['out', { x: 600, y: 50 }]]));
        store.getState().endGesture('Move');
      },
      (doc) => expect(doc.nodes[2]!.position).toEqual({ x: 600, y: 50 }),
    );
  });

  it('settings, label and pipeline name', async () => {
    const store = testStore();
    await expectUndoable(
      store,
      () =>
        store
          .getState()
          .edit('Edit settings', (doc) =>
            updateNode(doc, 'big', (n) => ({ ...n, config: { where: 'id > 1' } })),
          ),
      (doc) => expect(doc.nodes[1]!.config).toEqual({ where: 'id > 1' }),
    );
    await expectUndoable(
      store,
      () => store.getState().edit('Rename pipeline', (doc) => ({ ...doc, name: 'Renamed' })),
      (doc) => expect(doc.name).toBe('Renamed'),
    );
  });

  it('select-all selects without an undo step', async () => {
    const store = testStore();
    await run(store, 'select-all');
    expect(store.getState().selection.nodes.size).toBe(4);
    expect(store.getState().selection.edges.size).toBe(2);
    expect(store.getState().history.past).toHaveLength(0);
  });

  it('every command that records history is covered above', () => {
    const covered = new Set(['delete', 'duplicate', 'paste', 'auto-layout']);
    const recording = COMMANDS.filter((c: Command) => c.undo === 'history').map((c) => c.name);
    expect(recording.sort()).toEqual([...covered].sort());
  });
});

describe('shortcuts', () => {
  const key = (
    k: string,
    mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {},
  ) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
  });

  it('reads Mod as Ctrl, or Cmd on a Mac', () => {
    expect(matchesShortcut('Mod+Z', key('z', { ctrlKey: true }), false)).toBe(true);
    expect(matchesShortcut('Mod+Z', key('z', { metaKey: true }), true)).toBe(true);
    expect(matchesShortcut('Mod+Z', key('z', { metaKey: true }), false)).toBe(false);
    expect(matchesShortcut('Mod+Z', key('Z', { ctrlKey: true, shiftKey: true }), false)).toBe(
      false,
    );
    expect(matchesShortcut('Mod+Shift+Z', key('Z', { ctrlKey: true, shiftKey: true }), false)).toBe(
      true,
    );
  });

  it('takes ? whatever Shift says, and plain keys only without modifiers', () => {
    expect(matchesShortcut('?', key('?', { shiftKey: true }), false)).toBe(true);
    expect(matchesShortcut('Delete', key('Delete'), false)).toBe(true);
    expect(matchesShortcut('Delete', key('Delete', { ctrlKey: true }), false)).toBe(false);
    expect(matchesShortcut('Shift+L', key('L', { shiftKey: true }), false)).toBe(true);
    expect(matchesShortcut('Shift+L', key('l'), false)).toBe(false);
  });

  it('shows shortcuts in the platform’s words', () => {
    expect(formatShortcut('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
    expect(formatShortcut('Mod+Shift+Z', true)).toBe('⌘⇧Z');
  });
});
