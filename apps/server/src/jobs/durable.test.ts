// Jobs as durable records, against the real app on a real data directory:
// built, closed and built again on the same folder, as a restart does.
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { JobDetail } from '@sluice/shared';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { filesDir } from '../config.js';
import { type TestApp, testApp } from '../testing/app.js';
import { windowedPipeline, writeDurableInput } from '../testing/durable.js';

let dataDir: string;
let t: TestApp | undefined;
/** The file an uninterrupted run writes, made once. */
let expected: string;

beforeAll(async () => {
  const reference = await mkdtemp(join(tmpdir(), 'sluice-durable-ref-'));
  try {
    const r = await testApp({ dataDir: reference });
    await writeDurableInput(filesDir(r.options));
    const id = await deploy(r, windowedPipeline({ out: 'out/result.jsonl' }));
    await until(r, id, (j) => j.status !== 'running');
    expect((await detail(r, id)).status).toBe('finished');
    expected = await readFile(join(filesDir(r.options), 'out/result.jsonl'), 'utf8');
    expect(expected.split('\n').length).toBeGreaterThan(100);
    await r.close();
  } finally {
    await rm(reference, { recursive: true, force: true });
  }
}, 60_000);

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-durable-'));
});
afterEach(async () => {
  await t?.close();
  t = undefined;
  await rm(dataDir, { recursive: true, force: true });
});
afterAll(async () => {
  await t?.close();
});

/** The app on `dataDir`, as a server started (again) on it. */
async function start(): Promise<TestApp> {
  t = await testApp({ dataDir });
  return t;
}

/** Closes the app as Ctrl-C does. */
async function restart(): Promise<TestApp> {
  await t?.close();
  t = undefined;
  return start();
}

async function deploy(app: TestApp, pipeline: unknown): Promise<string> {
  const res = await app.app.inject({
    method: 'POST',
    url: '/api/jobs',
    headers: app.auth,
    payload: { pipeline },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function detail(app: TestApp, id: string): Promise<JobDetail> {
  const res = await app.app.inject({ url: `/api/jobs/${id}`, headers: app.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function until(
  app: TestApp,
  id: string,
  condition: (job: JobDetail) => boolean,
  ms = 30_000,
): Promise<JobDetail> {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await detail(app, id);
    if (condition(job)) return job;
    if (Date.now() > deadline) throw new Error(`Timed out; the job is ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const post = (app: TestApp, url: string, payload?: unknown) =>
  app.app.inject({ method: 'POST', url, headers: app.auth, ...(payload ? { payload } : {}) });

const output = (app: TestApp) => readFile(join(filesDir(app.options), 'out/result.jsonl'), 'utf8');

/** A slow run: about four seconds of input, so it is still running when stopped. */
const slow = () => windowedPipeline({ out: 'out/result.jsonl', replayRate: 5_000 });

describe('durable jobs', () => {
  it('lists the jobs of before a restart, ended ones too, as they ended', async () => {
    let app = await start();
    await writeDurableInput(filesDir(app.options));
    const finished = await deploy(app, windowedPipeline({ out: 'out/a.jsonl' }));
    const before = await until(app, finished, (j) => j.status === 'finished');
    const off = await deploy(
      app,
      windowedPipeline({ out: 'out/b.jsonl', replayRate: 1_000, checkpoints: { enabled: false } }),
    );
    await until(app, off, (j) => j.totals.recordsIn > 0);
    const stopped = (await post(app, `/api/jobs/${off}/stop`)).json();
    expect(stopped.status).toBe('stopped');

    app = await restart();
    const list = (await app.app.inject({ url: '/api/jobs', headers: app.auth })).json();
    expect(list.map((j: JobDetail) => [j.id, j.status])).toEqual([
      [off, 'stopped'],
      [finished, 'finished'],
    ]);
    expect(list[1]).toMatchObject({
      name: 'Windowed totals',
      startedAt: before.startedAt,
      totals: { recordsIn: 20_000, recordsOut: before.totals.recordsOut },
    });
    expect(list[1].endedAt).toBeGreaterThanOrEqual(before.startedAt);
    expect(list[0].totals.recordsIn).toBe(stopped.totals.recordsIn);
    // A job stopped by a user stays stopped.
    expect((await detail(app, off)).status).toBe('stopped');
  }, 60_000);

  it('keeps checkpoints in a private folder per job, with the figures in its metrics and on its live socket', async () => {
    const app = await start();
    await writeDurableInput(filesDir(app.options));
    const id = await deploy(app, slow());
    const job = await until(app, id, (j) => (j.metrics?.checkpoints?.completed ?? 0) >= 2);
    expect(job.metrics?.checkpoints).toMatchObject({ failed: 0, restoredFrom: null });
    expect(job.metrics?.checkpoints?.lastBytes).toBeGreaterThan(0);
    // The same figures reach a live watcher.
    const received: { type: string; metrics?: JobDetail['metrics'] }[] = [];
    const ws = await app.app.injectWS(
      `/api/jobs/${id}/live`,
      { headers: app.auth },
      {
        onInit: (socket) => {
          socket.on('message', (data) => received.push(JSON.parse(String(data))));
          socket.on('ping', (data) => socket.pong(data));
        },
      },
    );
    const deadline = Date.now() + 10_000;
    while (!received.some((m) => (m.metrics?.checkpoints?.completed ?? 0) >= 2)) {
      if (Date.now() > deadline)
        throw new Error(`No checkpoint figures in ${received.length} messages`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    ws.terminate();
    const folder = join(dataDir, 'state', 'checkpoints');
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(join(folder, id))).mode & 0o777).toBe(0o700);
  }, 60_000);

  it('resumes a running job after a clean restart, from its last checkpoint, with the output of an uninterrupted run', async () => {
    let app = await start();
    await writeDurableInput(filesDir(app.options));
    const id = await deploy(app, slow());
    await until(app, id, (j) => (j.metrics?.checkpoints?.completed ?? 0) >= 1);

    app = await restart();
    const resumed = await detail(app, id);
    expect(resumed.status).toBe('running');
    const done = await until(app, id, (j) => j.status !== 'running');
    expect(done.status).toBe('finished');
    // The shutdown's last checkpoint is where it resumed from.
    expect(done.restoredFrom).toMatchObject({ kind: 'checkpoint' });
    expect(done.restoredFrom?.id).toBeGreaterThanOrEqual(1);
    expect(await output(app)).toEqual(expected);
  }, 60_000);

  it('stops with a savepoint, resumes from it under the same id, and writes what an uninterrupted run writes', async () => {
    const app = await start();
    await writeDurableInput(filesDir(app.options));
    const id = await deploy(app, slow());
    await until(app, id, (j) => j.totals.recordsIn > 2_000);
    const stop = await post(app, `/api/jobs/${id}/stop`, { savepoint: true });
    expect(stop.statusCode, stop.body).toBe(200);
    const stopped = stop.json();
    expect(stopped.status).toBe('stopped');
    expect(stopped.savepoint.id).toBeGreaterThanOrEqual(1);
    expect(stopped.totals.recordsIn).toBeLessThan(20_000);

    const resume = await post(app, `/api/jobs/${id}/resume`);
    expect(resume.statusCode, resume.body).toBe(200);
    expect(resume.json()).toMatchObject({ id, status: 'running' });
    const again = await post(app, `/api/jobs/${id}/resume`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/running/);

    const done = await until(app, id, (j) => j.status !== 'running');
    expect(done).toMatchObject({
      status: 'finished',
      restoredFrom: { id: stopped.savepoint.id, kind: 'savepoint' },
    });
    expect(done.metrics?.checkpoints?.restoredFrom).toBe(stopped.savepoint.id);
    expect(await output(app)).toEqual(expected);
    // Finished: nothing left to resume.
    expect((await post(app, `/api/jobs/${id}/resume`)).statusCode).toBe(409);
  }, 60_000);

  it('publishes everything a plainly stopped job wrote, with a last checkpoint it resumes from', async () => {
    const app = await start();
    await writeDurableInput(filesDir(app.options));
    // No periodic checkpoint comes before the stop: only the stop's own publishes the sink's file.
    const id = await deploy(
      app,
      windowedPipeline({
        out: 'out/result.jsonl',
        replayRate: 5_000,
        checkpoints: { interval: '1h' },
      }),
    );
    await until(app, id, (j) => j.totals.recordsOut > 20);
    const stop = await post(app, `/api/jobs/${id}/stop`);
    expect(stop.statusCode, stop.body).toBe(200);
    expect(stop.json().savepoint).toBeUndefined();
    const stopped = await detail(app, id);
    expect(stopped.metrics?.checkpoints).toMatchObject({ completed: 1, failed: 0 });
    const published = await output(app);
    // Every window the sink was handed, in whole lines: the start of the uninterrupted output.
    expect(published.split('\n').length - 1).toBe(stopped.totals.recordsOut);
    expect(expected.startsWith(published)).toBe(true);

    const resume = await post(app, `/api/jobs/${id}/resume`);
    expect(resume.statusCode, resume.body).toBe(200);
    const done = await until(app, id, (j) => j.status !== 'running');
    expect(done).toMatchObject({
      status: 'finished',
      restoredFrom: { id: stopped.metrics?.checkpoints?.lastId, kind: 'checkpoint' },
    });
    expect(await output(app)).toEqual(expected);
  }, 60_000);

  it('refuses a savepoint or a resume to a job that takes no checkpoints', async () => {
    const app = await start();
    await writeDurableInput(filesDir(app.options));
    const id = await deploy(
      app,
      windowedPipeline({
        out: 'out/off.jsonl',
        replayRate: 1_000,
        checkpoints: { enabled: false },
      }),
    );
    await until(app, id, (j) => j.totals.recordsIn > 0);
    const savepoint = await post(app, `/api/jobs/${id}/stop`, { savepoint: true });
    expect(savepoint.statusCode).toBe(409);
    expect(savepoint.json().error.message).toMatch(/takes no checkpoints/);
    expect((await post(app, `/api/jobs/${id}/stop`)).json().status).toBe('stopped');
    const resume = await post(app, `/api/jobs/${id}/resume`);
    expect(resume.statusCode).toBe(409);
    expect(resume.json().error.message).toMatch(/takes no checkpoints/);
  }, 60_000);

  it('refuses to resume a job that failed before its first checkpoint', async () => {
    const app = await start();
    // The output path is a folder: the job fails as it opens it, before any checkpoint.
    // (A missing input file is refused before the job starts: see routes/jobs.test.ts.)
    await writeDurableInput(filesDir(app.options));
    await mkdir(join(filesDir(app.options), 'out/result.jsonl'), { recursive: true });
    const id = await deploy(app, windowedPipeline({ out: 'out/result.jsonl' }));
    const failed = await until(app, id, (j) => j.status !== 'running');
    expect(failed.status).toBe('failed');
    const resume = await post(app, `/api/jobs/${id}/resume`);
    expect(resume.statusCode).toBe(409);
    expect(resume.json().error.message).toMatch(/no checkpoint or savepoint to resume from/);
    expect((await detail(app, id)).status).toBe('failed');
  }, 60_000);

  it('fails a job whose checkpoint was taken of another pipeline, saying why, and writes nothing more', async () => {
    let app = await start();
    await writeDurableInput(filesDir(app.options));
    const id = await deploy(app, slow());
    await until(app, id, (j) => (j.metrics?.checkpoints?.completed ?? 0) >= 1);
    await t?.close();
    t = undefined;
    const before = await readFile(join(dataDir, 'files/out/result.jsonl'), 'utf8');
    // The server keeps the document a job ran, so only an edit behind its back makes the two differ.
    const db = new DatabaseSync(join(dataDir, 'state', 'sluice.db'));
    const changed = windowedPipeline({
      out: 'out/result.jsonl',
      replayRate: 5_000,
      windowSize: '10s',
    });
    db.prepare('UPDATE jobs SET document = ? WHERE id = ?').run(JSON.stringify(changed), id);
    db.close();

    app = await start();
    const failed = await until(app, id, (j) => j.status !== 'running');
    expect(failed.status).toBe('failed');
    expect(failed.failure?.message).toMatch(/another version of this pipeline/);
    expect(failed.restoredFrom).toBeUndefined();
    expect(await output(app)).toEqual(before);
  }, 60_000);

  it('serves checkpoint figures per job in Prometheus', async () => {
    const app = await start();
    await writeDurableInput(filesDir(app.options));
    const id = await deploy(app, slow());
    await until(app, id, (j) => (j.metrics?.checkpoints?.completed ?? 0) >= 1);
    const text = (await app.app.inject({ url: '/metrics', headers: app.auth })).body;
    const labels = `{job="${id}",pipeline="Windowed totals"}`;
    for (const name of [
      'sluice_job_checkpoints_completed_total',
      'sluice_job_checkpoints_failed_total',
      'sluice_job_checkpoint_last_duration_seconds',
      'sluice_job_checkpoint_last_bytes',
      'sluice_job_checkpoint_age_seconds',
    ]) {
      expect(text).toMatch(new RegExp(`^${name}${escapeRegExp(labels)} [0-9.e+-]+$`, 'm'));
    }
    const completed = new RegExp(
      `^sluice_job_checkpoints_completed_total${escapeRegExp(labels)} (\\d+)$`,
      'm',
    );
    expect(Number(completed.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
  }, 60_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
