// @vitest-environment jsdom
// The live socket's side of a restored job: each (re)connection, and each end
// of the job, reads its summary again. The WebSocket and the server are
// stand-ins driven by hand here; the real ones meet in e2e/tests/savepoint.spec.ts.
import type { JobSummary } from '@sluice/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testStore } from '../testing/fixtures.js';
import { startLive } from './live.js';
import { connectLive } from './socket.js';

class HandSocket {
  static readonly OPEN = 1;
  static made: HandSocket[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    HandSocket.made.push(this);
  }
  send() {}
  close() {}
}

const base: JobSummary = {
  id: 'j1',
  name: 'Sample',
  status: 'running',
  startedAt: 1000,
  uptimeMs: 1000,
  totals: { recordsIn: 0, recordsOut: 0, errors: 0, late: 0 },
};
let answer: JobSummary = base;
let asked = 0;

beforeEach(() => {
  HandSocket.made = [];
  asked = 0;
  vi.stubGlobal('WebSocket', HandSocket);
  vi.stubGlobal('fetch', async (url: string) => {
    if (url !== '/api/jobs/j1') return new Response('{}', { status: 404 });
    asked++;
    return new Response(JSON.stringify(answer), { status: 200 });
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('the live socket', () => {
  it('reads the job’s summary on connecting, so a job restored after a restart says so', async () => {
    const store = testStore();
    store.getState().updateLive(() => startLive({ id: 'j1', status: 'running' }));
    answer = { ...base, restoredFrom: { id: 12, kind: 'checkpoint', at: 900 } };
    const channel = connectLive(store, 'j1');
    expect(asked).toBe(0);
    HandSocket.made[0]!.onopen!();
    await vi.waitFor(() => expect(store.getState().live.job?.restoredFrom?.id).toBe(12));
    channel.close();
  });

  it('reads it again when the job ends, to learn of a savepoint it was stopped with', async () => {
    const store = testStore();
    store.getState().updateLive(() => startLive({ id: 'j1', status: 'running' }));
    answer = base;
    const channel = connectLive(store, 'j1');
    const socket = HandSocket.made[0]!;
    socket.onopen!();
    await vi.waitFor(() => expect(asked).toBe(1));
    answer = { ...base, status: 'stopped', savepoint: { id: 13, at: 1500 } };
    socket.onmessage!({ data: JSON.stringify({ type: 'status', status: 'stopped' }) });
    expect(store.getState().live.job?.status).toBe('stopped');
    await vi.waitFor(() =>
      expect(store.getState().live.job?.savepoint).toEqual({ id: 13, at: 1500 }),
    );
    expect(asked).toBe(2);
    channel.close();
  });

  it('reads it again when the metrics name a checkpoint the job was restored from, once', async () => {
    const store = testStore();
    store.getState().updateLive(() => startLive({ id: 'j1', status: 'running' }));
    answer = base;
    const channel = connectLive(store, 'j1');
    const socket = HandSocket.made[0]!;
    socket.onopen!();
    await vi.waitFor(() => expect(asked).toBe(1));
    // The job restored after that first summary was read.
    answer = { ...base, restoredFrom: { id: 3, kind: 'savepoint', at: 900 } };
    const metrics = {
      status: 'running',
      at: 2000,
      startedAt: 1000,
      uptimeMs: 1000,
      recordsIn: 0,
      recordsOut: 0,
      errors: 0,
      late: 0,
      operators: [],
      edges: [],
      checkpoints: {
        completed: 1,
        failed: 0,
        lastId: 4,
        lastAt: 1900,
        lastDurationMs: 3,
        lastBytes: 100,
        restoredFrom: 3,
      },
    };
    const send = () =>
      socket.onmessage!({ data: JSON.stringify({ type: 'metrics', metrics, dropped: 0 }) });
    send();
    await vi.waitFor(() => expect(store.getState().live.job?.restoredFrom?.kind).toBe('savepoint'));
    send();
    send();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked).toBe(2);
    channel.close();
  });
});
