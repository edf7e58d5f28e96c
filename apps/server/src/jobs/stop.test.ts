// Stopping real job workers: a busy one stops between batches, and many at once
// all end as stopped (not failed) even when the machine is too busy to start them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobManager, type JobManagerOptions } from './manager.js';

let dataDir: string;
let manager: JobManager | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-stop-'));
});
afterEach(async () => {
  await manager?.close();
  manager = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

function jobs(options: Partial<JobManagerOptions> = {}): JobManager {
  manager = new JobManager({ dataDir, ...options });
  return manager;
}

/** Datagen at full speed into a map whose every record builds and rewrites large text. */
function heavy(expr: string) {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Heavy',
    nodes: [
      {
        id: 'gen',
        kind: 'source.datagen',
        config: {
          fields: [{ name: 'n', type: 'long', generator: { kind: 'sequence', start: 1 } }],
        },
      },
      { id: 'work', kind: 'transform.map', config: { fields: [{ name: 'big', expr }] } },
      { id: 'out', kind: 'sink.blackhole', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'gen', target: 'work' },
      { id: 'e2', source: 'work', target: 'out' },
    ],
  };
}

const EXPENSIVE = "CHAR_LENGTH(REPLACE(LPAD(CAST(n AS STRING), 200000, 'ab'), 'a', 'xyz'))";

async function until(done: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('Timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('stopping a job', () => {
  it('stops a job busy with an expensive expression cleanly, between batches', async () => {
    const m = jobs({ stopTimeoutMs: 10_000 });
    const job = m.start(heavy(EXPENSIVE));
    await until(() => (job.metrics?.recordsIn ?? 0) > 0);
    const asked = Date.now();
    const summary = await m.stop(job.id);
    expect(summary.status).toBe('stopped');
    expect(summary.failure).toBeUndefined();
    expect(job.terminated).toBe(false);
    // A batch of this map takes well under a second; the old loop took the whole timeout.
    expect(Date.now() - asked).toBeLessThan(5_000);
  }, 60_000);

  it('ends 50 jobs started and then stopped at once as stopped, none failed', async () => {
    const m = jobs({ stopTimeoutMs: 5_000 });
    const started = Array.from({ length: 50 }, () => m.start(heavy(EXPENSIVE)));
    const summaries = await Promise.all(started.map((job) => m.stop(job.id)));
    expect(summaries.map((s) => s.status)).toEqual(started.map(() => 'stopped'));
  }, 120_000);
});
