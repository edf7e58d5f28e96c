// What file sources and sinks refuse to open: a second name (hard link) for
// another file, a named pipe, anything but a regular file; and how they say
// so: with the path as the analyst knows it, never the server's absolute path.
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { link, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pipeline } from '@sluice/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type JobResult, startJob } from '../runtime/job.js';

let dir: string;
let outside: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-file-safety-'));
  outside = await mkdtemp(join(tmpdir(), 'sluice-file-safety-outside-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const SCHEMA = [{ name: 'id', type: 'long' }];

function copy(input: string, output: string): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'copy',
    nodes: [
      { id: 'read', kind: 'source.file', config: { path: input, format: 'jsonl', schema: SCHEMA } },
      { id: 'write', kind: 'sink.file', config: { path: output, format: 'jsonl' } },
    ],
    edges: [{ id: 'e', source: 'read', target: 'write' }],
  } as Pipeline;
}

function run(pipeline: Pipeline): Promise<JobResult> {
  return startJob(pipeline, { dataDir: dir, dataDirShownAs: 'files', metricsIntervalMs: 60_000 })
    .done;
}

/** Fails the job's message if it names the absolute folder the files are in. */
function expectNoAbsolutePath(result: JobResult): void {
  expect(result.failure?.message).not.toContain(dir);
  expect(result.failure?.message).not.toContain(tmpdir());
}

describe('file nodes and hard links', () => {
  it('a sink refuses a hard link to another file and leaves that file as it was', async () => {
    // Stands in for the server's database, outside the folder file nodes reach.
    const database = join(outside, 'sluice.db');
    await writeFile(database, 'SQLite format 3\0 keep me');
    await link(database, join(dir, 'out.jsonl'));
    await writeFile(join(dir, 'in.jsonl'), '{"id":1}\n');

    const result = await run(copy('in.jsonl', 'out.jsonl'));

    expect(result.status).toBe('failed');
    expect(result.failure).toEqual({
      nodeId: 'write',
      message: expect.stringContaining("'files/out.jsonl' has another name (a hard link)"),
    });
    expectNoAbsolutePath(result);
    expect(await readFile(database, 'utf8')).toBe('SQLite format 3\0 keep me');
  });

  it('a source refuses a hard link to another file', async () => {
    const secret = join(outside, 'token');
    await writeFile(secret, '{"id":42}\n');
    await link(secret, join(dir, 'in.jsonl'));

    const result = await run(copy('in.jsonl', 'out.jsonl'));

    expect(result.status).toBe('failed');
    expect(result.failure).toEqual({
      nodeId: 'read',
      message: expect.stringContaining("'files/in.jsonl' has another name (a hard link)"),
    });
  });
});

describe.runIf(process.platform === 'linux')('file nodes and named pipes', () => {
  it('a source refuses a named pipe at once, without waiting for a writer', async () => {
    const fifo = join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    const done = run(copy('pipe.jsonl', 'out.jsonl'));
    const blocked = new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 2000));
    const outcome = await Promise.race([done, blocked]);
    if (outcome === 'blocked') {
      // The old code sits in open(2) on a thread of libuv's pool; a writer
      // frees it, so this test run does not leave a thread stuck behind.
      const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      await writer.close();
      await done;
    }
    expect(outcome).not.toBe('blocked');
    const result = outcome as JobResult;
    expect(result.status).toBe('failed');
    expect(result.failure).toEqual({
      nodeId: 'read',
      message: expect.stringContaining("'files/pipe.jsonl' is a named pipe, not a file"),
    });
  });

  it('a sink refuses a named pipe, even when something reads it', async () => {
    const fifo = join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    await writeFile(join(dir, 'in.jsonl'), '{"id":1}\n');
    const reader = await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const result = await run(copy('in.jsonl', 'pipe.jsonl'));
      expect(result.status).toBe('failed');
      expect(result.failure).toEqual({
        nodeId: 'write',
        message: expect.stringContaining("'files/pipe.jsonl' is a named pipe, not a file"),
      });
    } finally {
      await reader.close();
    }
  });
});

describe('file nodes name paths relative to the data directory', () => {
  it('a missing file', async () => {
    const result = await run(copy('orders.jsonl', 'out.jsonl'));
    expect(result.failure).toEqual({
      nodeId: 'read',
      message: "There is no file 'files/orders.jsonl' in the data directory.",
    });
    expectNoAbsolutePath(result);
  });

  it('a path through a file as if it were a folder', async () => {
    await writeFile(join(dir, 'orders.jsonl'), '{"id":1}\n');
    const result = await run(copy('orders.jsonl/more.jsonl', 'out.jsonl'));
    expect(result.failure?.nodeId).toBe('read');
    expect(result.failure?.message).toContain("'files/orders.jsonl/more.jsonl'");
    expectNoAbsolutePath(result);
  });

  it('a sink over a folder', async () => {
    await writeFile(join(dir, 'in.jsonl'), '{"id":1}\n');
    execFileSync('mkdir', [join(dir, 'taken')]);
    const result = await run(copy('in.jsonl', 'taken'));
    expect(result.failure).toEqual({
      nodeId: 'write',
      message: expect.stringContaining("'files/taken' is a folder, not a file"),
    });
    expectNoAbsolutePath(result);
  });
});
