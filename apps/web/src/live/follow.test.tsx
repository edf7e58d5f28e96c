// @vitest-environment jsdom
// The live view following its job through a lost connection: the retries and
// their backoff, and what the page makes of the server's answer when it comes
// back. Time is driven by hand (fake timers); the WebSocket and the server are
// stand-ins here, the real ones meet in e2e/tests/restart.spec.ts.
import type { JobMetrics, JobSummary } from '@sluice/shared';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Header } from '../app/Header.js';
import { EditorProvider } from '../store/context.js';
import type { EditorStore } from '../store/store.js';
import { testStore } from '../testing/fixtures.js';
import { GONE_TEXT, resultsReading } from './follow.js';
import { stopJob } from './jobs.js';
import { startLive } from './live.js';
import { connectLive, MAX_RETRY_MS, retryDelay } from './socket.js';

class HandSocket {
  static readonly OPEN = 1;
  static made: HandSocket[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    HandSocket.made.push(this);
  }
  send() {}
  close() {
    this.closed = true;
  }
  /** The server accepts the socket. */
  accept() {
    this.readyState = 1;
    this.onopen?.();
  }
  /** The server sends a message. */
  tell(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  /** The connection drops. */
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

const RUNNING: JobSummary = {
  id: 'j1',
  name: 'Sample',
  status: 'running',
  startedAt: 1000,
  uptimeMs: 1000,
  totals: { recordsIn: 500, recordsOut: 5, errors: 0, late: 0 },
};

const metrics = (recordsIn: number): JobMetrics => ({
  status: 'running',
  at: 2000,
  startedAt: 1000,
  uptimeMs: 1000,
  recordsIn,
  recordsOut: 5,
  errors: 0,
  late: 0,
  operators: [],
  edges: [],
});

/** The server, as the page's fetches find it: down, or answering with a job (or 404). */
const server = {
  up: true,
  job: RUNNING as JobSummary | null,
  requests: [] as string[],
};

beforeEach(() => {
  vi.useFakeTimers();
  HandSocket.made = [];
  Object.assign(server, { up: true, job: RUNNING, requests: [] });
  vi.stubGlobal('WebSocket', HandSocket);
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    server.requests.push(`${init?.method ?? 'GET'} ${url}`);
    if (!server.up) throw new TypeError('Failed to fetch');
    if (url === '/api/jobs/j1' && server.job) {
      return new Response(JSON.stringify(server.job), { status: 200 });
    }
    if (url === '/api/jobs/j1/stop' && server.job) {
      return new Response(JSON.stringify({ ...server.job, status: 'stopped' }), { status: 200 });
    }
    return new Response(
      JSON.stringify({ error: { code: 'not-found', message: "There is no job 'j1'." } }),
      { status: 404 },
    );
  });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A store showing job j1 live, its socket open, with figures seen (500 records read). */
async function watching(): Promise<{ store: EditorStore; socket: HandSocket }> {
  const store = testStore();
  store.getState().updateLive(() => startLive({ id: 'j1', status: 'running' }));
  const channel = connectLive(store, 'j1');
  store.getState().updateLive((live) => ({ ...live, channel }));
  const socket = HandSocket.made[0]!;
  socket.accept();
  socket.tell({ type: 'status', status: 'running' });
  socket.tell({ type: 'metrics', metrics: metrics(500), dropped: 0 });
  await vi.advanceTimersByTimeAsync(0);
  server.requests = [];
  return { store, socket };
}

const live = (store: EditorStore) => store.getState().live;

function showHeader(store: EditorStore) {
  render(
    <EditorProvider store={store}>
      <Header />
    </EditorProvider>,
  );
}

describe('a lost connection', () => {
  it('says "Reconnecting…" and retries with backoff, doubling up to a cap, for as long as it takes', async () => {
    const { store, socket } = await watching();
    server.up = false;
    socket.drop();
    expect(live(store).connection).toBe('reconnecting');
    showHeader(store);
    expect(screen.getByText('Reconnecting…')).toBeTruthy();
    expect(screen.queryByText(/Live/)).toBeNull();

    const times: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 8; i++) {
      const before = server.requests.length;
      await vi.advanceTimersByTimeAsync(retryDelay(i) - 1);
      expect(server.requests.length).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(server.requests).toHaveLength(before + 1);
      times.push(Date.now() - start);
    }
    expect(times).toEqual([500, 1500, 3500, 7500, 15_500, 25_500, 35_500, 45_500]);
    expect(retryDelay(20)).toBe(MAX_RETRY_MS);
    // Only the job is asked about, never its results, while the server is away.
    expect(new Set(server.requests)).toEqual(new Set(['GET /api/jobs/j1']));
    expect(resultsReading(live(store))).toBe('none');
    expect(HandSocket.made).toHaveLength(1);
  });

  it('after a network blip, finds the job still running and is live again', async () => {
    const { store, socket } = await watching();
    socket.drop();
    await vi.advanceTimersByTimeAsync(retryDelay(0));
    expect(HandSocket.made).toHaveLength(2);
    HandSocket.made[1]!.accept();
    expect(live(store).connection).toBe('open');
    expect(live(store).recovery).toBeNull();
    expect(resultsReading(live(store))).toBe('follow');
  });

  it('after a server restart, says the job was restored from checkpoint N', async () => {
    const { store, socket } = await watching();
    server.up = false;
    socket.drop();
    await vi.advanceTimersByTimeAsync(retryDelay(0) + retryDelay(1));
    server.up = true;
    server.job = { ...RUNNING, restoredFrom: { id: 7, kind: 'checkpoint', at: 900 } };
    await vi.advanceTimersByTimeAsync(retryDelay(2));
    expect(live(store).recovery).toBe('restored');
    HandSocket.made.at(-1)!.accept();
    showHeader(store);
    expect(screen.getByText('Restored from checkpoint 7 after a server restart')).toBeTruthy();
    expect(screen.getByText(/Live/)).toBeTruthy();
  });

  it('after a server restart of a job that had no checkpoint yet, says it started again from the beginning', async () => {
    const { store, socket } = await watching();
    socket.drop();
    server.job = { ...RUNNING, totals: { ...RUNNING.totals, recordsIn: 20 } };
    await vi.advanceTimersByTimeAsync(retryDelay(0));
    expect(live(store).recovery).toBe('restarted');
    showHeader(store);
    expect(
      screen.getByText(/Started again from the beginning after a server restart/),
    ).toBeTruthy();
  });

  it('finds the job failed meanwhile: says why, ends the live view with its last totals, and asks nothing more', async () => {
    const { store, socket } = await watching();
    server.up = false;
    socket.drop();
    await vi.advanceTimersByTimeAsync(retryDelay(0));
    server.up = true;
    const message =
      'The server stopped while this job ran, and the job takes no checkpoints, so it was not started again.';
    server.job = {
      ...RUNNING,
      status: 'failed',
      failure: { message },
      totals: { ...RUNNING.totals, recordsIn: 510, recordsOut: 0 },
    };
    await vi.advanceTimersByTimeAsync(retryDelay(1));
    expect(live(store).job).toMatchObject({ status: 'failed', failure: { message } });
    expect(live(store).clock?.recordsIn).toBe(510);
    // A crashed server may have recorded less than the page saw: the larger stays.
    expect(live(store).clock?.recordsOut).toBe(5);
    expect(live(store).connection).toBe('closed');
    // A restarted server keeps no results of it: nothing more is read.
    expect(resultsReading(live(store))).toBe('none');
    showHeader(store);
    expect(screen.getByText('Job failed')).toBeTruthy();
    expect(screen.getByText(message)).toBeTruthy();
    expect(screen.getByRole('button', { name: /Back to editing/ })).toBeTruthy();
    expect(screen.queryByText('Read-only while live')).toBeNull();
    const asked = server.requests.length;
    await vi.advanceTimersByTimeAsync(10 * MAX_RETRY_MS);
    expect(server.requests).toHaveLength(asked);
    expect(HandSocket.made).toHaveLength(1);
  });

  it('finds the job stopped meanwhile without a reason: says it ended unseen', async () => {
    const { store, socket } = await watching();
    socket.drop();
    server.job = { ...RUNNING, status: 'stopped' };
    await vi.advanceTimersByTimeAsync(retryDelay(0));
    expect(live(store).job?.status).toBe('stopped');
    expect(live(store).job?.ending).toMatch(/stopped while this page could not reach the server/);
  });

  it('finds the job gone (404): says so, and never asks about it again', async () => {
    const { store, socket } = await watching();
    server.up = false;
    socket.drop();
    await vi.advanceTimersByTimeAsync(retryDelay(0));
    server.up = true;
    server.job = null;
    await vi.advanceTimersByTimeAsync(retryDelay(1));
    expect(live(store).job?.status).toBe('gone');
    expect(live(store).connection).toBe('closed');
    expect(resultsReading(live(store))).toBe('none');
    showHeader(store);
    expect(screen.getByText('Job gone')).toBeTruthy();
    expect(screen.getByText(GONE_TEXT)).toBeTruthy();
    expect(screen.getByRole('button', { name: /Back to editing/ })).toBeTruthy();
    const asked = server.requests.length;
    await vi.advanceTimersByTimeAsync(10 * MAX_RETRY_MS);
    // Stop is no longer offered, and nothing was asked about the job meanwhile.
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
    expect(server.requests).toHaveLength(asked);
  });
});

describe('Stop', () => {
  it('on a job the server no longer has ends the live view saying so, with no error and no more requests', async () => {
    const { store } = await watching();
    server.job = null;
    await act(() => stopJob(store));
    expect(live(store).job?.status).toBe('gone');
    expect(store.getState().notice).toBeNull();
    expect(HandSocket.made[0]!.closed).toBe(true);
    const asked = server.requests.length;
    await vi.advanceTimersByTimeAsync(10 * MAX_RETRY_MS);
    expect(server.requests).toHaveLength(asked);
  });

  it('ends the live view with its totals: no rates, no "Read-only while live"', async () => {
    const { store } = await watching();
    await act(() => stopJob(store));
    expect(live(store).job?.status).toBe('stopped');
    showHeader(store);
    expect(screen.getByText('Job stopped')).toBeTruthy();
    expect(screen.queryByText('Read-only while live')).toBeNull();
    expect(screen.getByText('Last run shown')).toBeTruthy();
    expect(resultsReading(live(store))).toBe('once');
  });
});
