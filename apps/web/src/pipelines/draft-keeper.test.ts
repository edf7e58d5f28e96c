import { afterEach, describe, expect, it, vi } from 'vitest';
import { moveNodes } from '../document/document.js';
import { samplePipeline, testStore } from '../testing/fixtures.js';
import { MemoryStorage } from '../testing/memory-storage.js';
import {
  copyName,
  discardDraft,
  offerKeptDraft,
  offerNewPipelineDraft,
  restoreDraft,
  STORAGE_FULL_MESSAGE,
  startDraftKeeping,
} from './draft-keeper.js';
import { DraftStore } from './drafts.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A page's `pagehide` and `visibilitychange`, heard by the keeper. */
function fakePage() {
  const target = new EventTarget();
  return {
    page: target as unknown as Pick<Window, 'addEventListener' | 'removeEventListener'>,
    hide: () => target.dispatchEvent(new Event('pagehide')),
  };
}

const rename = (name: string) => (doc: ReturnType<typeof samplePipeline>) => ({ ...doc, name });

describe('keeping drafts', () => {
  it('writes a draft after a pause in editing, with the version it started from', async () => {
    vi.useFakeTimers();
    const drafts = new DraftStore(new MemoryStorage());
    const store = testStore();
    const stop = startDraftKeeping(store, drafts, { delay: 300, page: fakePage().page });
    store.getState().edit('Rename', rename('One'));
    await vi.advanceTimersByTimeAsync(200);
    store.getState().edit('Rename', rename('Two'));
    await vi.advanceTimersByTimeAsync(299);
    expect(drafts.read('p1')).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(drafts.read('p1')).toMatchObject({
      pipelineId: 'p1',
      baseVersion: 1,
      document: { name: 'Two' },
    });
    stop();
  });

  it('writes at once when the page goes away', () => {
    vi.useFakeTimers();
    const drafts = new DraftStore(new MemoryStorage());
    const { page, hide } = fakePage();
    const store = testStore();
    const stop = startDraftKeeping(store, drafts, { page });
    store.getState().edit('Rename', rename('Before reload'));
    hide();
    expect(drafts.read('p1')?.document.name).toBe('Before reload');
    stop();
  });

  it('removes the draft once a save of that document succeeds, and keeps it for later edits', async () => {
    vi.useFakeTimers();
    const drafts = new DraftStore(new MemoryStorage());
    const { page, hide } = fakePage();
    const store = testStore();
    const stop = startDraftKeeping(store, drafts, { page });
    store.getState().edit('Rename', rename('Saved'));
    hide();
    const saved = store.getState().document;
    store.getState().edit('Rename', rename('Typed during the save'));
    store.getState().saved(saved, 'p1', 2);
    hide();
    // Still unsaved: kept, now based on the version just saved.
    expect(drafts.read('p1')).toMatchObject({
      baseVersion: 2,
      document: { name: 'Typed during the save' },
    });
    store.getState().saved(store.getState().document, 'p1', 3);
    hide();
    expect(drafts.read('p1')).toBeNull();
    stop();
  });

  it('removes the draft when the edits are undone back to what the server has', () => {
    const drafts = new DraftStore(new MemoryStorage());
    const { page, hide } = fakePage();
    const store = testStore();
    const stop = startDraftKeeping(store, drafts, { page });
    store.getState().edit('Rename', rename('Mine'));
    hide();
    expect(drafts.read('p1')).not.toBeNull();
    store.getState().undo();
    hide();
    expect(drafts.read('p1')).toBeNull();
    stop();
  });

  it('keeps a new pipeline’s draft until its first save gives it an id', () => {
    const drafts = new DraftStore(new MemoryStorage());
    const { page, hide } = fakePage();
    const store = testStore();
    store.getState().open({ ...samplePipeline(), nodes: [], edges: [] }, null, null);
    const stop = startDraftKeeping(store, drafts, { page });
    // No steps yet: nothing worth keeping.
    store.getState().edit('Rename', rename('Empty'));
    hide();
    expect(drafts.read(null)).toBeNull();
    store.getState().edit('Add', () => samplePipeline());
    hide();
    expect(drafts.read(null)?.document.nodes).toHaveLength(4);
    store.getState().saved(store.getState().document, 'p9', 1);
    hide();
    expect(drafts.read(null)).toBeNull();
    expect(drafts.read('p9')).toBeNull();
    stop();
  });

  it('writes the draft of the document that was edited, even when another is open by then', async () => {
    vi.useFakeTimers();
    const drafts = new DraftStore(new MemoryStorage());
    const store = testStore();
    const stop = startDraftKeeping(store, drafts, { delay: 300, page: fakePage().page });
    store.getState().edit('Move', (doc) => moveNodes(doc, new Map([['gen', { x: 40, y: 50 }]])));
    store.getState().open({ ...samplePipeline(), name: 'Other' }, 'p2', 7);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(drafts.read('p1')?.document.nodes[0]?.position).toEqual({ x: 40, y: 50 });
    expect(drafts.read('p2')).toBeNull();
    stop();
  });

  it('says once that the browser’s storage is full, and goes on', () => {
    const drafts = new DraftStore(new MemoryStorage(100));
    const { page, hide } = fakePage();
    const store = testStore();
    const stop = startDraftKeeping(store, drafts, { page });
    store.getState().edit('Rename', rename('Big'));
    hide();
    expect(store.getState().notice).toEqual({ tone: 'error', message: STORAGE_FULL_MESSAGE });
    store.getState().notify(null);
    store.getState().edit('Rename', rename('Bigger'));
    hide();
    expect(store.getState().notice).toBeNull();
    expect(store.getState().document.name).toBe('Bigger');
    stop();
  });
});

describe('offering drafts back', () => {
  const kept = (drafts: DraftStore, baseVersion: number, name: string) =>
    drafts.write({
      pipelineId: 'p1',
      baseVersion,
      savedAt: Date.UTC(2030, 0, 1, 17, 2),
      document: { ...samplePipeline(), name },
    });

  it('offers a draft that differs from the server’s document, and restores it as an unsaved edit', () => {
    const drafts = new DraftStore(new MemoryStorage());
    kept(drafts, 1, 'Mine');
    const store = testStore();
    offerKeptDraft(store, { id: 'p1', pipeline: store.getState().document }, drafts);
    expect(store.getState().draftOffer).toMatchObject({ pipelineId: 'p1', baseVersion: 1 });
    restoreDraft(store, drafts);
    expect(store.getState().draftOffer).toBeNull();
    expect(store.getState().document.name).toBe('Mine');
    expect(store.getState().pipelineId).toBe('p1');
    expect(store.getState().document).not.toBe(store.getState().savedDocument);
    // One undo step back to the server's version.
    store.getState().undo();
    expect(store.getState().document.name).toBe('Sample');
  });

  it('forgets a draft the server has already, without offering it', () => {
    const drafts = new DraftStore(new MemoryStorage());
    kept(drafts, 1, 'Sample');
    const store = testStore();
    offerKeptDraft(store, { id: 'p1', pipeline: store.getState().document }, drafts);
    expect(store.getState().draftOffer).toBeNull();
    expect(drafts.read('p1')).toBeNull();
  });

  it('restores a draft begun on a version since overtaken as a new pipeline, a copy', () => {
    const drafts = new DraftStore(new MemoryStorage());
    kept(drafts, 1, 'Mine');
    const store = testStore();
    store.getState().open(store.getState().document, 'p1', 4);
    offerKeptDraft(store, { id: 'p1', pipeline: store.getState().document }, drafts);
    restoreDraft(store, drafts);
    expect(store.getState().pipelineId).toBeNull();
    expect(store.getState().document.name).toBe('Mine (copy)');
    // Kept as the new pipeline's draft meanwhile; the original is left alone.
    expect(drafts.read(null)?.document.name).toBe('Mine (copy)');
    expect(drafts.read('p1')).toBeNull();
  });

  it('discards a draft on request', () => {
    const drafts = new DraftStore(new MemoryStorage());
    kept(drafts, 1, 'Mine');
    const store = testStore();
    offerKeptDraft(store, { id: 'p1', pipeline: store.getState().document }, drafts);
    discardDraft(store, drafts);
    expect(store.getState().draftOffer).toBeNull();
    expect(drafts.read('p1')).toBeNull();
    expect(store.getState().document.name).toBe('Sample');
  });

  it('offers a new pipeline that never reached the server, and opens it unsaved', () => {
    const drafts = new DraftStore(new MemoryStorage());
    drafts.write({ pipelineId: null, baseVersion: null, savedAt: 5, document: samplePipeline() });
    const store = testStore();
    offerNewPipelineDraft(store, drafts);
    expect(store.getState().draftOffer?.pipelineId).toBeNull();
    restoreDraft(store, drafts);
    expect(store.getState().pipelineId).toBeNull();
    expect(store.getState().document.nodes).toHaveLength(4);
    expect(store.getState().savedDocument).toBeNull();
  });

  it('opening another pipeline takes the offer away', () => {
    const drafts = new DraftStore(new MemoryStorage());
    kept(drafts, 1, 'Mine');
    const store = testStore();
    offerKeptDraft(store, { id: 'p1', pipeline: store.getState().document }, drafts);
    store.getState().open(samplePipeline(), 'p2', 1);
    expect(store.getState().draftOffer).toBeNull();
    // Still kept, for when p1 is opened again.
    expect(drafts.read('p1')).not.toBeNull();
  });

  it('names copies so that none clashes', () => {
    expect(copyName('Orders')).toBe('Orders (copy)');
    expect(copyName('Orders', new Set(['Orders (copy)', 'Orders (copy 2)']))).toBe(
      'Orders (copy 3)',
    );
  });
});
