import { describe, expect, it } from 'vitest';
import { emptyPipeline } from '../document/document.js';
import { samplePipeline, testStore } from '../testing/fixtures.js';
import { startLeaveWarning } from './effects.js';

/** Dispatches a `beforeunload` on a page of its own; true when the page asked "Leave page?". */
function leave(store: ReturnType<typeof testStore>): boolean {
  const page = new EventTarget() as unknown as Window;
  const stop = startLeaveWarning(store, page);
  const event = new Event('beforeunload', { cancelable: true });
  page.dispatchEvent(event);
  stop();
  return event.defaultPrevented;
}

describe('the leave-page warning', () => {
  it('asks while there are unsaved changes, and not once they are saved', () => {
    const store = testStore();
    expect(leave(store)).toBe(false);
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'Mine' }));
    expect(leave(store)).toBe(true);
    store.getState().saved(store.getState().document, 'p1', 2);
    expect(leave(store)).toBe(false);
  });

  it('asks while a save is in flight', () => {
    const store = testStore();
    store.getState().setSaveStatus('saving');
    expect(leave(store)).toBe(true);
  });

  it('does not ask for a new pipeline without steps, nor when signed out', () => {
    const store = testStore();
    store.getState().open(emptyPipeline('Fresh'), null, null);
    expect(leave(store)).toBe(false);
    store.getState().edit('Add', () => samplePipeline());
    expect(leave(store)).toBe(true);
    store.getState().signOut();
    expect(leave(store)).toBe(false);
  });
});
