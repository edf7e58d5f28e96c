// @vitest-environment jsdom
// The jobs list against a stubbed server (the routes are the server's to test,
// the whole flow e2e/tests/savepoint.spec.ts's). The live socket is an inert stand-in.
import type { JobSummary } from '@sluice/shared';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EditorProvider } from '../store/context.js';
import { testStore } from '../testing/fixtures.js';
import { JobsDialog } from './JobsDialog.js';

const TAKEN = new Date(2026, 11, 2, 14, 2, 31).getTime();

const job = (id: string, over: Partial<JobSummary> = {}): JobSummary => ({
  id,
  pipelineId: 'p1',
  pipelineVersion: 1,
  name: `Job ${id}`,
  status: 'stopped',
  startedAt: TAKEN,
  uptimeMs: 1000,
  totals: { recordsIn: 0, recordsOut: 0, errors: 0, late: 0 },
  ...over,
});

const JOBS = [
  job('restored', { status: 'running', restoredFrom: { id: 12, kind: 'checkpoint', at: TAKEN } }),
  job('saved', { savepoint: { id: 4, at: TAKEN } }),
  job('plain'),
  job('broke', { status: 'failed', failure: { message: 'Out of disk.' } }),
  job('done', { status: 'finished' }),
];

let calls: string[] = [];
let resumeAnswer: () => Response;
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

class InertSocket {
  static readonly OPEN = 1;
  readyState = 0;
  send() {}
  close() {}
}

beforeEach(() => {
  calls = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const call = `${init.method ?? 'GET'} ${url}`;
    calls.push(call);
    if (call === 'GET /api/jobs') return json(JOBS);
    if (call === 'POST /api/jobs/saved/resume') return resumeAnswer();
    return json({ error: { code: 'not-found', message: 'No such route.' } }, 404);
  });
  vi.stubGlobal('WebSocket', InertSocket);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function renderDialog() {
  const store = testStore();
  store.getState().openDialog('jobs');
  render(
    <EditorProvider store={store}>
      <JobsDialog />
    </EditorProvider>,
  );
  const table = await screen.findByRole('table', { name: 'Jobs' });
  const row = (name: string) => within(table).getByRole('row', { name: new RegExp(`^${name} `) });
  return { store, row };
}

describe('the jobs list', () => {
  it('marks restored jobs and kept savepoints, and offers Resume on stopped and failed jobs', async () => {
    const { row } = await renderDialog();
    const restored = row('Job restored');
    const note = within(restored).getByText(/^Restored from checkpoint 12 \(taken /);
    expect(note.title).toMatch(/the server restarted/);
    const resume = (name: string) =>
      within(row(name)).queryByRole('button', { name: new RegExp(`^Resume the job of ${name}`) });
    expect(resume('Job restored')).toBeNull();
    expect(within(row('Job saved')).getByText('savepoint 4 kept · can resume')).toBeTruthy();
    expect(resume('Job saved')!.className).toContain('primary');
    expect(resume('Job saved')!.title).toMatch(/^Stopped with savepoint 4/);
    // Without a savepoint, from the latest checkpoint, if it took one (the server says if not).
    expect(resume('Job plain')!.className).not.toContain('primary');
    expect(resume('Job plain')!.title).toMatch(/latest checkpoint/);
    expect(resume('Job broke')).not.toBeNull();
    expect(resume('Job done')).toBeNull();
  });

  it('shows the server’s reason when it will not resume, and keeps the dialog open', async () => {
    resumeAnswer = () =>
      json({ error: { code: 'conflict', message: 'The job has nothing to resume from.' } }, 409);
    const { store, row } = await renderDialog();
    fireEvent.click(within(row('Job saved')).getByRole('button', { name: /^Resume/ }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Not resumed: The job has nothing to resume from.',
    );
    expect(store.getState().dialog).toBe('jobs');
    expect(store.getState().live.job).toBeNull();
  });

  it('resumes a job and goes live on it, restored from its savepoint', async () => {
    resumeAnswer = () =>
      json(
        job('saved', { status: 'running', restoredFrom: { id: 4, kind: 'savepoint', at: TAKEN } }),
      );
    const { store, row } = await renderDialog();
    fireEvent.click(within(row('Job saved')).getByRole('button', { name: /^Resume/ }));
    await vi.waitFor(() => expect(store.getState().live.job?.id).toBe('saved'));
    expect(calls).toContain('POST /api/jobs/saved/resume');
    expect(store.getState().dialog).toBeNull();
    expect(store.getState().live.job).toMatchObject({
      status: 'running',
      restoredFrom: { id: 4, kind: 'savepoint', at: TAKEN },
    });
  });
});
