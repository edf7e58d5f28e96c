// @vitest-environment jsdom
// The live bar against a stubbed server: the routes of durable jobs are the
// server's to test (apps/server), the whole flow the e2e test's
// (e2e/tests/savepoint.spec.ts). The live socket is an inert stand-in here.
import type { CheckpointFigures, JobMetrics, JobSummary } from '@sluice/shared';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Header } from '../app/Header.js';
import { COMMANDS } from '../commands/commands.js';
import { useShortcuts } from '../commands/use-shortcuts.js';
import { EditorProvider } from '../store/context.js';
import type { EditorStore } from '../store/store.js';
import { testStore } from '../testing/fixtures.js';
import { STOP_MENU_LABEL } from './LiveBar.js';
import { applyMetrics, startLive } from './live.js';

const TAKEN = new Date(2026, 11, 2, 14, 2, 31).getTime();

const summary = (over: Partial<JobSummary> = {}): JobSummary => ({
  id: 'j1',
  pipelineId: 'p1',
  pipelineVersion: 1,
  name: 'Sample',
  status: 'running',
  startedAt: TAKEN,
  uptimeMs: 1000,
  totals: { recordsIn: 0, recordsOut: 0, errors: 0, late: 0 },
  ...over,
});

const metrics = (checkpoints?: CheckpointFigures): JobMetrics => ({
  status: 'running',
  at: TAKEN + 60_000,
  startedAt: TAKEN,
  uptimeMs: 60_000,
  recordsIn: 10,
  recordsOut: 5,
  errors: 0,
  late: 0,
  operators: [],
  edges: [],
  ...(checkpoints && { checkpoints }),
});

const figures = (failed: number): CheckpointFigures => ({
  completed: 6,
  failed,
  lastId: 6,
  lastAt: TAKEN + 57_000,
  lastDurationMs: 40,
  lastBytes: 4096,
  restoredFrom: null,
});

/** What the stubbed server was asked: `POST /api/jobs/j1/stop {"savepoint":true}`. */
let calls: string[] = [];
let answers: Record<string, () => Response> = {};
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

class InertSocket {
  static readonly OPEN = 1;
  readyState = 0;
  onopen = null;
  onmessage = null;
  onclose = null;
  send() {}
  close() {}
}

beforeEach(() => {
  calls = [];
  answers = {};
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const call = `${init.method ?? 'GET'} ${url}`;
    calls.push(init.body ? `${call} ${init.body}` : call);
    return (
      answers[call]?.() ?? json({ error: { code: 'not-found', message: 'No such route.' } }, 404)
    );
  });
  vi.stubGlobal('WebSocket', InertSocket);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function Shortcuts({ store }: { store: EditorStore }) {
  useShortcuts(store);
  return null;
}

function renderLive(job = summary()) {
  const store = testStore();
  store.getState().updateLive(() =>
    startLive({
      id: job.id,
      pipelineId: 'p1',
      version: 1,
      status: job.status,
      ...(job.restoredFrom && { restoredFrom: job.restoredFrom }),
    }),
  );
  render(
    <EditorProvider store={store}>
      <Header />
      <Shortcuts store={store} />
    </EditorProvider>,
  );
  return store;
}

/** The job's first metrics: with checkpoint figures, the job takes checkpoints. */
function takesCheckpoints(store: EditorStore, taken = figures(0)) {
  const catalog = store.getState().catalog;
  act(() => store.getState().updateLive((l) => applyMetrics(l, catalog, metrics(taken))));
}

describe('the live bar', () => {
  it('says in plain words that the job was restored, and why, for the eye and the ear', () => {
    renderLive(summary({ restoredFrom: { id: 12, kind: 'checkpoint', at: TAKEN } }));
    const note = screen.getByText(/^Restored from checkpoint 12 \(taken (.* )?14:02:31\)/);
    expect(note.title).toMatch(/^This job had stopped, or the server restarted, and it resumed/);
    // Read out after the short line, as the tooltip is not.
    expect(note.textContent).toContain(note.title);
  });

  it('says nothing of restoring for a job that started afresh', () => {
    renderLive();
    expect(screen.queryByText(/Restored from/)).toBeNull();
  });

  it('shows the last checkpoint’s age by the job’s clock, and failures only when some failed', () => {
    const store = renderLive();
    const catalog = store.getState().catalog;
    act(() => store.getState().updateLive((l) => applyMetrics(l, catalog, metrics())));
    expect(screen.queryByText(/checkpoint/)).toBeNull();
    act(() => store.getState().updateLive((l) => applyMetrics(l, catalog, metrics(figures(0)))));
    const note = screen.getByText(/checkpoint 3 s ago/);
    expect(note.title).toBe('Checkpoint 6 took 40 ms, 4 KB; 6 taken since this run started.');
    expect(within(note).queryByText(/failed/)).toBeNull();
    act(() => store.getState().updateLive((l) => applyMetrics(l, catalog, metrics(figures(2)))));
    expect(within(note).getByText(/2 failed/).className).toContain('tone-error');
  });

  it('offers Stop and Stop with savepoint in a menu worked by the keyboard', () => {
    const store = renderLive();
    const toggle = screen.getByRole('button', { name: STOP_MENU_LABEL });
    expect(toggle.getAttribute('aria-haspopup')).toBe('menu');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.keyDown(toggle, { key: 'ArrowDown' });
    const menu = screen.getByRole('menu', { name: STOP_MENU_LABEL });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const items = within(menu).getAllByRole('menuitem');
    const labels = new Set(COMMANDS.map((c) => c.label));
    expect(items.map((i) => i.getAttribute('aria-label'))).toEqual(['Stop', 'Stop with savepoint']);
    for (const item of items) expect(labels).toContain(item.getAttribute('aria-label'));
    // Shown, and told to assistive technology in its own terms.
    expect(items[0]!.textContent).toContain('Ctrl+.');
    expect(items[0]!.getAttribute('aria-keyshortcuts')).toBe('Control+.');
    expect(items[1]!.textContent).toContain('Shift+S');
    expect(items[1]!.getAttribute('aria-keyshortcuts')).toBe('Shift+S');
    expect(document.activeElement).toBe(items[0]);
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items[1]);
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items[0]);
    // Escape closes the menu onto its button, and nothing else.
    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(toggle);
    expect(store.getState().live.job?.status).toBe('running');
    expect(calls).toEqual([]);
  });

  it('offers no savepoint for a job that takes no checkpoints, and says why', () => {
    const store = renderLive();
    const catalog = store.getState().catalog;
    act(() => store.getState().updateLive((l) => applyMetrics(l, catalog, metrics())));
    fireEvent.click(screen.getByRole('button', { name: STOP_MENU_LABEL }));
    const item = screen.getByRole('menuitem', { name: 'Stop with savepoint' });
    expect(item.getAttribute('aria-disabled')).toBe('true');
    expect(item.title).toMatch(/^This job takes no checkpoints, so it cannot keep a savepoint/);
    fireEvent.click(item);
    fireEvent.keyDown(window, { key: 'S', shiftKey: true });
    expect(calls).toEqual([]);
    expect(screen.getByRole('menuitem', { name: 'Stop' }).getAttribute('aria-disabled')).toBe(
      'false',
    );
  });

  it('stops with a savepoint from the menu, then says the job can resume and resumes it', async () => {
    const store = renderLive();
    takesCheckpoints(store);
    answers['POST /api/jobs/j1/stop'] = () =>
      json(summary({ status: 'stopped', savepoint: { id: 7, at: TAKEN } }));
    fireEvent.click(screen.getByRole('button', { name: STOP_MENU_LABEL }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Stop with savepoint' }));
    expect(await screen.findByText('Job stopped')).toBeTruthy();
    expect(calls).toEqual(['POST /api/jobs/j1/stop {"savepoint":true}']);
    const kept = screen.getByText(/savepoint 7 kept · can resume/);
    expect(kept.title).toMatch(/^Stopped with savepoint 7 .*: Resume starts the job again/);

    answers['POST /api/jobs/j1/resume'] = () =>
      json(summary({ restoredFrom: { id: 7, kind: 'savepoint', at: TAKEN } }));
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    expect(await screen.findByText(/^Restored from savepoint 7/)).toBeTruthy();
    expect(document.querySelector('.job-state')?.textContent).toBe('Live — job running');
    expect(calls).toContain('POST /api/jobs/j1/resume');
    expect(store.getState().live.job).toMatchObject({ id: 'j1', status: 'running' });
  });

  it('resumed from the live view of an older version, still brings back the latest on leaving', async () => {
    const store = renderLive();
    store.getState().updateLive((l) => ({
      ...l,
      job: { ...l.job!, status: 'stopped', savepoint: { id: 7, at: TAKEN }, reopenOnLeave: true },
    }));
    answers['POST /api/jobs/j1/resume'] = () => json(summary());
    fireEvent.keyDown(window, { key: 'R', shiftKey: true });
    await vi.waitFor(() => expect(store.getState().live.job?.status).toBe('running'));
    expect(store.getState().live.job?.reopenOnLeave).toBe(true);
  });

  it('stops with a savepoint by its shortcut, Shift+S', async () => {
    const store = renderLive();
    takesCheckpoints(store, { ...figures(0), completed: 0, lastId: null, lastAt: null });
    answers['POST /api/jobs/j1/stop'] = () => json(summary({ status: 'stopped' }));
    fireEvent.keyDown(window, { key: 'S', shiftKey: true });
    expect(await screen.findByText('Job stopped')).toBeTruthy();
    expect(calls).toEqual(['POST /api/jobs/j1/stop {"savepoint":true}']);
    // No savepoint in the answer and no checkpoint taken: nothing to resume from.
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
  });

  it('says so when the server would not take a savepoint', async () => {
    const store = renderLive();
    takesCheckpoints(store);
    answers['POST /api/jobs/j1/stop'] = () =>
      json({ error: { code: 'conflict', message: 'The savepoint could not be written.' } }, 409);
    fireEvent.keyDown(window, { key: 'S', shiftKey: true });
    await vi.waitFor(() => expect(store.getState().notice).not.toBeNull());
    expect(store.getState().notice?.message).toBe(
      'Not stopped with a savepoint: The savepoint could not be written.',
    );
    expect(store.getState().live.job?.status).toBe('running');
  });
});
