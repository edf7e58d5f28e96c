// `sluice start` killed with SIGKILL while a job runs, then started again on
// the same data directory: the job resumes from its latest checkpoint, under
// the same id, and the file it writes is exactly the file an uninterrupted
// run writes. Two kills here; SLUICE_FAULTS_FULL=1 (npm run test:faults) runs 10.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobDetail } from '@sluice/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { windowedPipeline, writeDurableInput } from '../testing/durable.js';

const SLUICE = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
const KILLS = process.env.SLUICE_FAULTS_FULL === '1' ? 10 : 2;
const RECORDS = 20_000;
/**
 * The replay rate counts from the job's first start, so a resumed job catches
 * up on the time the server was down: the input lasts long enough for every
 * kill and restart (each about a second and a half) to land mid-run.
 */
const REPLAY_RATE = Math.floor(RECORDS / (4 + KILLS * 3));

let dataDir: string;
let running: ChildProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-server-faults-'));
  await mkdir(join(dataDir, 'files'), { recursive: true });
  await writeDurableInput(join(dataDir, 'files'), RECORDS);
});
afterEach(() => {
  running?.kill('SIGKILL');
  running = undefined;
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
}

/** Starts the server on the data directory, on a free port; resolves once it listens. */
async function startServer(): Promise<Server> {
  const env = { ...process.env };
  delete env.SLUICE_TOKEN;
  const child = spawn(process.execPath, [SLUICE, 'start', '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  running = child;
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = /Sluice is running at (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`The server exited (${code}): ${stderr}`)));
  });
  return { child, url, exited };
}

async function token(): Promise<string> {
  return (await readFile(join(dataDir, 'state', 'token'), 'utf8')).trim();
}

async function api<T>(server: Server, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${await token()}`,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body as T;
}

async function until(
  server: Server,
  id: string,
  condition: (job: JobDetail) => boolean,
  ms = 60_000,
): Promise<JobDetail> {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await api<JobDetail>(server, `/api/jobs/${id}`);
    if (condition(job)) return job;
    if (Date.now() > deadline) throw new Error(`Timed out; the job is ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function deploy(server: Server, pipeline: unknown): Promise<string> {
  const body = JSON.stringify({ pipeline });
  return (await api<{ id: string }>(server, '/api/jobs', { method: 'POST', body })).id;
}

describe('sluice start killed with SIGKILL mid-job', () => {
  it(`resumes the job and writes exactly the uninterrupted output after ${KILLS} kills`, async () => {
    let server = await startServer();
    const reference = await deploy(server, windowedPipeline({ out: 'out/reference.jsonl' }));
    expect((await until(server, reference, (j) => j.status !== 'running')).status).toBe('finished');
    const expected = await readFile(join(dataDir, 'files/out/reference.jsonl'), 'utf8');
    expect(expected.split('\n').length).toBeGreaterThan(100);

    const id = await deploy(
      server,
      windowedPipeline({ out: 'out/result.jsonl', replayRate: REPLAY_RATE }),
    );
    for (let kill = 0; kill < KILLS; kill++) {
      // After a checkpoint of this run (the first kill) or the resume (the next ones), and a little more.
      const checkpoints = (
        await until(server, id, (j) => (j.metrics?.checkpoints?.completed ?? 0) >= 1)
      ).metrics!.checkpoints!;
      expect(checkpoints.failed).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 400)));
      const before = await api<JobDetail>(server, `/api/jobs/${id}`);
      expect(before.status).toBe('running');
      expect(before.totals.recordsIn).toBeLessThan(RECORDS);
      server.child.kill('SIGKILL');
      expect(await server.exited).toBe(null);

      server = await startServer();
      const resumed = await api<JobDetail>(server, `/api/jobs/${id}`);
      expect(resumed.status).toBe('running');
      expect(resumed.startedAt).toBe(before.startedAt);
    }
    const done = await until(server, id, (j) => j.status !== 'running');
    expect(done.status, JSON.stringify(done.failure)).toBe('finished');
    expect(done.restoredFrom?.kind).toBe('checkpoint');
    const got = await readFile(join(dataDir, 'files/out/result.jsonl'), 'utf8');
    expect(got.split('\n').length).toBe(expected.split('\n').length);
    expect(got).toEqual(expected);

    // The reference job stays listed as finished; neither is resumed again.
    const list = await api<JobDetail[]>(server, '/api/jobs');
    expect(list.map((j) => [j.id, j.status])).toEqual([
      [id, 'finished'],
      [reference, 'finished'],
    ]);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    running = undefined;
  }, 180_000);
});
