import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyPipeline } from '../document/document.js';
import { isDirty } from '../store/store.js';
import { samplePipeline, testStore } from '../testing/fixtures.js';
import { saveNow, startAutosave } from './session.js';

// The server is not running in unit tests: fetch stands in for it here.
function fakeServer() {
  const calls: { method: string; url: string; body: unknown }[] = [];
  let version = 1;
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: init.method ?? 'GET', url, body });
    version++;
    const pipeline = init.method === 'PUT' ? body.pipeline : body;
    return new Response(JSON.stringify({ id: 'p1', version, pipeline, diagnostics: [] }), {
      status: init.method === 'POST' ? 201 : 200,
    });
  });
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('saving', () => {
  it('saves with the version the edit started from, and is clean after', async () => {
    const calls = fakeServer();
    const store = testStore();
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'New name' }));
    await saveNow(store);
    expect(calls).toEqual([
      {
        method: 'PUT',
        url: '/api/pipelines/p1',
        body: { pipeline: expect.objectContaining({ name: 'New name' }), expectedVersion: 1 },
      },
    ]);
    expect(isDirty(store.getState())).toBe(false);
    expect(store.getState().serverVersion).toBe(2);
  });

  it('creates a new pipeline on the server with its first step, not before', async () => {
    const calls = fakeServer();
    const store = testStore();
    store.getState().open(emptyPipeline(), null, null);
    await saveNow(store);
    expect(calls).toHaveLength(0);
    store.getState().edit('Add', () => samplePipeline());
    await saveNow(store);
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/pipelines' });
    expect(store.getState().pipelineId).toBe('p1');
  });

  it('autosaves after a pause, and a drag once it ends', async () => {
    vi.useFakeTimers();
    const calls = fakeServer();
    const store = testStore();
    const stop = startAutosave(store, 100);
    store.getState().beginGesture();
    store.getState().moveDuringGesture(new Map([['gen', { x: 9, y: 9 }]]));
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(0);
    store.getState().endGesture('Move');
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(1);
    stop();
  });

  it('explains a conflict and keeps the changes', async () => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({ error: { code: 'conflict', message: 'Version 3 is newer' } }),
          { status: 409 },
        ),
    );
    const store = testStore();
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'Mine' }));
    await saveNow(store);
    expect(store.getState().saveStatus).toBe('error');
    expect(store.getState().notice?.message).toMatch(/saved elsewhere/);
    expect(store.getState().document.name).toBe('Mine');
  });

  it('says to open the login link on a 401', async () => {
    vi.stubGlobal('fetch', async () => new Response('{}', { status: 401 }));
    const store = testStore();
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'Mine' }));
    await saveNow(store);
    expect(store.getState().notice?.message).toMatch(/login link/);
  });
});
