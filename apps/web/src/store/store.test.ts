import { describe, expect, it, vi } from 'vitest';
import { addNodes, newNode, nodeIds, updateNode } from '../document/document.js';
import { samplePipeline, testCatalog, testStore } from '../testing/fixtures.js';
import { createEditorStore, initialEditorData, isDirty } from './store.js';

describe('the editor store', () => {
  it('starts from one initial state', () => {
    const store = createEditorStore();
    const { document, selection, history, savedDocument } = store.getState();
    expect(document).toEqual(initialEditorData().document);
    expect(selection.nodes.size).toBe(0);
    expect(history.past).toEqual([]);
    expect(savedDocument).toBeNull();
  });

  it('opens a document clean, with no history', () => {
    const store = testStore();
    expect(isDirty(store.getState())).toBe(false);
    expect(store.getState().pipelineId).toBe('p1');
    expect(store.getState().history.past).toHaveLength(0);
  });

  it('records an edit, marks it unsaved, and undoes and redoes it', () => {
    const store = testStore();
    const before = store.getState().document;
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'Other' }));
    expect(store.getState().document.name).toBe('Other');
    expect(isDirty(store.getState())).toBe(true);
    store.getState().undo();
    expect(store.getState().document).toBe(before);
    store.getState().redo();
    expect(store.getState().document.name).toBe('Other');
  });

  it('ignores an edit that changes nothing', () => {
    const store = testStore();
    store.getState().edit('Nothing', (doc) => doc);
    expect(store.getState().history.past).toHaveLength(0);
    expect(isDirty(store.getState())).toBe(false);
  });

  it('makes quick edits with the same key one undo step (typing)', () => {
    vi.useFakeTimers();
    try {
      const store = testStore();
      for (const where of ['a', 'am', 'amo']) {
        store
          .getState()
          .edit(
            'Edit settings',
            (doc) => updateNode(doc, 'big', (n) => ({ ...n, config: { where } })),
            { coalesce: 'config:big' },
          );
        vi.advanceTimersByTime(100);
      }
      expect(store.getState().history.past).toHaveLength(1);
      vi.advanceTimersByTime(5000);
      store
        .getState()
        .edit(
          'Edit settings',
          (doc) => updateNode(doc, 'big', (n) => ({ ...n, config: { where: 'x' } })),
          { coalesce: 'config:big' },
        );
      expect(store.getState().history.past).toHaveLength(2);
      store.getState().undo();
      store.getState().undo();
      expect(store.getState().document.nodes[1]!.config).toEqual({ where: 'amount > 5' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('makes a drag one undo step, and nothing when the drag did not move', () => {
    const store = testStore();
    const before = store.getState().document;
    store.getState().beginGesture();
    for (const x of [10, 20, 30]) {
      store.getState().moveDuringGesture(new Map([['gen', { x, y: 0 }]]));
    }
    store.getState().endGesture('Move');
    expect(store.getState().history.past).toHaveLength(1);
    expect(store.getState().document.nodes[0]!.position).toEqual({ x: 30, y: 0 });
    store.getState().undo();
    expect(store.getState().document).toBe(before);
    store.getState().beginGesture();
    store.getState().endGesture('Move');
    expect(store.getState().history.past).toHaveLength(0);
  });

  it('drops the selection of what no longer exists', () => {
    const store = testStore();
    store.getState().select({ nodes: new Set(['big', 'nope']), edges: new Set() });
    expect([...store.getState().selection.nodes]).toEqual(['big']);
    const catalog = testCatalog();
    const entry = catalog.byKind.get('transform.filter')!;
    store
      .getState()
      .edit('Add', (doc) => addNodes(doc, [newNode(entry, { x: 0, y: 0 }, nodeIds(doc))]), {
        select: { nodes: new Set(['filter']), edges: new Set() },
      });
    store.getState().undo();
    expect(store.getState().selection.nodes.has('filter')).toBe(false);
  });

  it('is saved when the server has the document shown, including after undoing back to it', () => {
    const store = testStore(samplePipeline());
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'A' }));
    const saving = store.getState().document;
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'B' }));
    store.getState().saved(saving, 'p1', 2);
    expect(isDirty(store.getState())).toBe(true);
    store.getState().undo();
    expect(isDirty(store.getState())).toBe(false);
    store.getState().redo();
    store.getState().saved(store.getState().document, 'p1', 3);
    expect(isDirty(store.getState())).toBe(false);
    expect(store.getState().serverVersion).toBe(3);
  });
});
