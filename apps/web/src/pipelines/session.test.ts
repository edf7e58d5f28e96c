import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client.js';
import { emptyPipeline } from '../document/document.js';
import { isDirty } from '../store/store.js';
import { samplePipeline, testStore } from '../testing/fixtures.js';
import { numberedName, saveAsCopy, saveNow, startAutosave } from './session.js';

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

/** A server that fails the next `failures` calls with `status` (0: unreachable), then saves. */
function flakyServer(failures: number, status = 0) {
  const calls: string[] = [];
  let version = 1;
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push(`${init.method ?? 'GET'} ${url}`);
    if (calls.length <= failures) {
      if (status === 0) throw new TypeError('fetch failed');
      return new Response(JSON.stringify({ error: { code: 'x', message: 'Nope' } }), { status });
    }
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    version++;
    return new Response(
      JSON.stringify({ id: 'p1', version, pipeline: body?.pipeline ?? body, diagnostics: [] }),
      { status: 200 },
    );
  });
  return calls;
}

describe('saves retried', () => {
  it('tries a save the server missed again after 1 s, 2 s, 4 s, until it lands, with no further edit', async () => {
    vi.useFakeTimers();
    const calls = flakyServer(3);
    const store = testStore();
    const stop = startAutosave(store, 100);
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'Mine' }));
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(1);
    expect(store.getState()).toMatchObject({ saveStatus: 'error', saveFailure: 'retry' });
    expect(store.getState().saveRetryAt).toBe(Date.now() + 1_000);
    expect(store.getState().notice?.message).toMatch(/^Not saved: /);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    expect(store.getState().saveRetryAt).toBe(Date.now() + 2_000);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(calls).toHaveLength(4);
    expect(store.getState()).toMatchObject({
      saveStatus: 'idle',
      saveFailure: null,
      saveRetryAt: null,
    });
    expect(isDirty(store.getState())).toBe(false);
    // The notice of the failure goes once the save lands.
    expect(store.getState().notice).toBeNull();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(4);
    stop();
  });

  it('tries at once when the browser comes back online', async () => {
    vi.useFakeTimers();
    const calls = flakyServer(1, 503);
    const store = testStore();
    const page = new EventTarget() as unknown as Window;
    const stop = startAutosave(store, 100, page);
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'Mine' }));
    await vi.advanceTimersByTimeAsync(100);
    expect(store.getState().saveFailure).toBe('retry');
    page.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
    expect(store.getState().saveStatus).toBe('idle');
    stop();
  });

  it('tries at once when the server answers another call', async () => {
    vi.useFakeTimers();
    const calls = flakyServer(1);
    const store = testStore();
    const stop = startAutosave(store, 100);
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'Mine' }));
    await vi.advanceTimersByTimeAsync(100);
    expect(store.getState().saveRetryAt).not.toBeNull();
    await api.list();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['PUT /api/pipelines/p1', 'GET /api/pipelines', 'PUT /api/pipelines/p1']);
    expect(store.getState().saveStatus).toBe('idle');
    stop();
  });

  it('does not try a conflict or a refusal again', async () => {
    for (const [status, failure] of [
      [409, 'conflict'],
      [400, 'refused'],
    ] as const) {
      vi.useFakeTimers();
      const calls = flakyServer(10, status);
      const store = testStore();
      const stop = startAutosave(store, 100);
      store.getState().edit('Rename', (doc) => ({ ...doc, name: 'Mine' }));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(calls, String(status)).toHaveLength(1);
      expect(store.getState()).toMatchObject({ saveFailure: failure, saveRetryAt: null });
      stop();
      vi.useRealTimers();
    }
  });

  it('offers to save a conflicting document as a copy, which opens it as a new pipeline', async () => {
    const calls: { method: string; url: string; body: unknown }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method: init.method ?? 'GET', url, body });
      if (init.method === 'PUT') {
        return new Response(JSON.stringify({ error: { code: 'conflict', message: 'Newer' } }), {
          status: 409,
        });
      }
      if (init.method === 'POST') {
        return new Response(
          JSON.stringify({ id: 'p2', version: 1, pipeline: body, diagnostics: [] }),
          {
            status: 201,
          },
        );
      }
      return new Response(JSON.stringify([{ id: 'p1', name: 'Mine (copy)' }]), { status: 200 });
    });
    const store = testStore();
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'Mine' }));
    await saveNow(store);
    const actions = store.getState().notice?.actions ?? [];
    expect(actions.map((a) => a.label)).toEqual([
      'Save mine as a copy',
      'Open the latest (drop mine)',
    ]);
    await saveAsCopy(store);
    expect(calls.at(-1)).toMatchObject({ method: 'POST', url: '/api/pipelines' });
    expect(store.getState()).toMatchObject({ pipelineId: 'p2', serverVersion: 1 });
    expect(store.getState().document.name).toBe('Mine (copy 2)');
    expect(isDirty(store.getState())).toBe(false);
  });
});

describe('imports of a name that is taken', () => {
  it('numbers a copy past the names stored', () => {
    expect(numberedName('Orders', new Set(['Orders']))).toBe('Orders (2)');
    expect(numberedName('Orders', new Set(['Orders', 'Orders (2)', 'Orders (3)']))).toBe(
      'Orders (4)',
    );
  });
});
