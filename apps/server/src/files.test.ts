// The files folder against the rest of the data directory: a file node cannot
// reach the database through a hard link, and a named pipe freezes nothing.
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { link, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filesDir, stateDir } from './config.js';
import { DATABASE_FILE } from './plugins/storage.js';
import { type TestApp, testApp } from './testing/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  // Should a reader be stuck opening the pipe (the old code), a writer frees it.
  const fifo = join(filesDir(t.options), 'pipe.jsonl');
  const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
  await writer?.close();
  await t.close();
});

const SCHEMA = [{ name: 'id', type: 'long' }];

function pipeline(nodes: unknown[], edges: unknown[] = []) {
  return { format: 'sluice.pipeline/v1', name: 'Files', nodes, edges };
}

async function deploy(document: unknown): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/jobs',
    headers: t.auth,
    payload: { pipeline: document },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function settled(id: string) {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    const res = await t.app.inject({ method: 'GET', url: `/api/jobs/${id}`, headers: t.auth });
    if (res.json().status !== 'running') return res.json();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${id} is still running`);
}

describe('the files folder', () => {
  it('a file sink on a hard link to the database is refused on the node; the database lives on', async () => {
    const files = filesDir(t.options);
    await writeFile(join(files, 'in.jsonl'), '{"id":1}\n');
    await link(join(stateDir(t.options), DATABASE_FILE), join(files, 'db.jsonl'));

    const id = await deploy(
      pipeline(
        [
          {
            id: 'read',
            kind: 'source.file',
            config: { path: 'in.jsonl', format: 'jsonl', schema: SCHEMA },
          },
          { id: 'write', kind: 'sink.file', config: { path: 'db.jsonl', format: 'jsonl' } },
        ],
        [{ id: 'e', source: 'read', target: 'write' }],
      ),
    );
    const job = await settled(id);

    expect(job.status).toBe('failed');
    expect(job.failure).toEqual({
      nodeId: 'write',
      message: expect.stringContaining("'files/db.jsonl' has another name (a hard link)"),
    });
    expect(job.failure.message).not.toContain(t.options.dataDir);
    const list = await t.app.inject({ method: 'GET', url: '/api/pipelines', headers: t.auth });
    expect(list.statusCode, list.body).toBe(200);
  });

  it.runIf(process.platform === 'linux')(
    'five deploys of file sources on a named pipe are refused on the node at once, and the server keeps answering',
    async () => {
      execFileSync('mkfifo', [join(filesDir(t.options), 'pipe.jsonl')]);
      const source = (n: number) => ({
        id: `read${n}`,
        kind: 'source.file',
        config: { path: 'pipe.jsonl', format: 'jsonl', schema: SCHEMA },
      });
      // The preflight opens the file as the job would: an open(2) of a pipe that
      // blocked would hold one of libuv's four pool threads, and five of them
      // every file read of the process (the web app's files too), forever.
      const refusals = await Promise.all(
        [0, 1, 2, 3, 4].map((n) =>
          t.app.inject({
            method: 'POST',
            url: '/api/jobs',
            headers: t.auth,
            payload: {
              pipeline: pipeline(
                [source(n), { id: 'out', kind: 'sink.preview', config: { capacity: 10 } }],
                [{ id: 'e', source: `read${n}`, target: 'out' }],
              ),
            },
          }),
        ),
      );
      refusals.forEach((res, n) => {
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error.details).toEqual([
          expect.objectContaining({
            code: 'file-unreadable',
            nodeId: `read${n}`,
            message: expect.stringContaining("'files/pipe.jsonl' is a named pipe, not a file"),
          }),
        ]);
      });
      const started = performance.now();
      const answer = await Promise.race([
        healthAndAFile(),
        new Promise<string>((resolve) => setTimeout(() => resolve('frozen'), 2_000)),
      ]);
      expect(answer).toBe('ok');
      expect(performance.now() - started).toBeLessThan(100);
      const jobs = await t.app.inject({ method: 'GET', url: '/api/jobs', headers: t.auth });
      expect(jobs.json()).toEqual([]);
    },
  );
});

/** Health, and a file read on the way, as the web app's files are: it needs a free thread of the pool. */
async function healthAndAFile(): Promise<string> {
  await writeFile(join(filesDir(t.options), 'other.jsonl'), '{"id":1}\n');
  await readFile(join(filesDir(t.options), 'other.jsonl'));
  const res = await t.app.inject({ method: 'GET', url: '/api/health' });
  return res.statusCode === 200 ? 'ok' : `health answered ${res.statusCode}`;
}
