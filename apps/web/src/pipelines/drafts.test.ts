import { describe, expect, it } from 'vitest';
import { samplePipeline } from '../testing/fixtures.js';
import { MemoryStorage } from '../testing/memory-storage.js';
import { DRAFT_INDEX_KEY, DRAFT_KEY_PREFIX, type Draft, DraftStore } from './drafts.js';

const draft = (pipelineId: string | null, savedAt: number, name = 'Edited'): Draft => ({
  pipelineId,
  baseVersion: pipelineId === null ? null : 3,
  savedAt,
  document: { ...samplePipeline(), name },
});

describe('the draft store', () => {
  it('keeps a draft per pipeline and one for a new pipeline, and reads them back', () => {
    const drafts = new DraftStore(new MemoryStorage());
    expect(drafts.read('p1')).toBeNull();
    expect(drafts.write(draft('p1', 10, 'One'))).toBe('kept');
    expect(drafts.write(draft(null, 20, 'Fresh'))).toBe('kept');
    expect(drafts.read('p1')).toEqual(draft('p1', 10, 'One'));
    expect(drafts.read(null)).toEqual(draft(null, 20, 'Fresh'));
    expect(drafts.ids()).toEqual(['p1', null]);
  });

  it('replaces a pipeline’s draft with its newer one, and removes it', () => {
    const storage = new MemoryStorage();
    const drafts = new DraftStore(storage);
    drafts.write(draft('p1', 10, 'Older'));
    drafts.write(draft('p1', 20, 'Newer'));
    expect(drafts.read('p1')?.document.name).toBe('Newer');
    expect(drafts.ids()).toEqual(['p1']);
    drafts.remove('p1');
    expect(drafts.read('p1')).toBeNull();
    expect(drafts.ids()).toEqual([]);
    expect([...storage.items.keys()]).toEqual([DRAFT_INDEX_KEY]);
  });

  it('keeps at most the limit, dropping the oldest', () => {
    const storage = new MemoryStorage();
    const drafts = new DraftStore(storage, 3);
    for (let i = 1; i <= 5; i++) drafts.write(draft(`p${i}`, i * 10));
    expect(drafts.ids()).toEqual(['p3', 'p4', 'p5']);
    expect(drafts.read('p1')).toBeNull();
    expect(storage.items.has(`${DRAFT_KEY_PREFIX}p2`)).toBe(false);
    // Writing an older one again makes it the newest.
    drafts.write(draft('p3', 60));
    drafts.write(draft('p6', 70));
    expect(drafts.ids()).toEqual(['p5', 'p3', 'p6']);
  });

  it('makes room in a full storage by dropping older drafts for the newest', () => {
    const one = JSON.stringify(draft('p1', 10)).length + 40;
    const storage = new MemoryStorage(one * 2.5);
    const drafts = new DraftStore(storage);
    expect(drafts.write(draft('p1', 10))).toBe('kept');
    expect(drafts.write(draft('p2', 20))).toBe('kept');
    expect(drafts.write(draft('p3', 30))).toBe('kept');
    expect(drafts.ids()).toEqual(['p2', 'p3']);
    expect(drafts.read('p3')).not.toBeNull();
  });

  it('says so when even one draft does not fit, and keeps no older copy of it', () => {
    const storage = new MemoryStorage(5_000);
    const drafts = new DraftStore(storage);
    expect(drafts.write(draft('p1', 10, 'Small'))).toBe('kept');
    const huge = {
      ...draft('p1', 20),
      document: { ...samplePipeline(), name: 'x'.repeat(10_000) },
    };
    expect(drafts.write(huge)).toBe('full');
    // The older draft is not the latest work: offered back, it would be taken for it.
    expect(drafts.read('p1')).toBeNull();
  });

  it('says full, and does nothing else, where the browser gives no storage', () => {
    const drafts = new DraftStore(null);
    expect(drafts.write(draft('p1', 10))).toBe('full');
    expect(drafts.read('p1')).toBeNull();
    drafts.remove('p1');
    expect(drafts.ids()).toEqual([]);
  });

  it('drops a draft it cannot read instead of failing', () => {
    const storage = new MemoryStorage();
    const drafts = new DraftStore(storage);
    storage.setItem(`${DRAFT_KEY_PREFIX}p1`, '{not json');
    expect(drafts.read('p1')).toBeNull();
    storage.setItem(
      `${DRAFT_KEY_PREFIX}p2`,
      JSON.stringify({ savedAt: 1, baseVersion: 1, document: { nodes: 3 } }),
    );
    expect(drafts.read('p2')).toBeNull();
    expect(storage.items.has(`${DRAFT_KEY_PREFIX}p2`)).toBe(false);
    storage.setItem(DRAFT_INDEX_KEY, '"nonsense"');
    expect(drafts.ids()).toEqual([]);
    expect(drafts.write(draft('p3', 30))).toBe('kept');
  });
});
