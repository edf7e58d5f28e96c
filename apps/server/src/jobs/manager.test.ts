import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobManager, type JobManagerOptions } from './manager.js';

let dataDir: string;
let manager: JobManager | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-jobs-'));
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

function generated(config: Record<string, unknown>, downstream?: Record<string, unknown>) {
  const nodes: Record<string, unknown>[] = [
    {
      id: 'orders',
      kind: 'source.datagen',
      config: {
        fields: [
          { name: 'order_id', type: 'long', generator: { kind: 'sequence', start: 1 } },
          { name: 'ts', type: 'timestamp', generator: { kind: 'timestamp' } },
        ],
        eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
        ...config,
      },
    },
  ];
  const edges = [];
  let last = 'orders';
  if (downstream) {
    nodes.push({ id: 'middle', ...downstream });
    edges.push({ id: 'e0', source: 'orders', target: 'middle' });
    last = 'middle';
  }
  nodes.push({ id: 'results', kind: 'sink.preview', config: { capacity: 10 } });
  edges.push({ id: 'e1', source: last, target: 'results' });
  return { format: 'sluice.pipeline/v1', name: 'Generated', nodes, edges };
}

describe('JobManager', () => {
  it('reports a job whose worker runs out of memory as failed, and keeps serving others', async () => {
    // Enough heap for an ordinary job (the engine alone takes a few MB), little enough for the hog to hit soon.
    const m = jobs({ workerHeapMb: 64 });
    // One window per order id that never closes: state grows until the heap limit.
    const hog = m.start(
      generated(
        {},
        {
          kind: 'window.aggregate',
          config: {
            window: { type: 'tumbling', size: '3650d' },
            groupBy: ['order_id'],
            aggregates: [{ name: 'orders', fn: 'count' }],
          },
        },
      ),
    );
    const other = m.start(generated({ rate: 100 }));
    await hog.ended;
    expect(hog.status).toBe('failed');
    expect(hog.failure?.message).toMatch(/ran out of memory \(its limit is 64 MB\)/);
    // The worker cannot tell which step used the memory: the message must not guess.
    expect(hog.failure?.message).not.toMatch(/it may keep too much state/);
    expect(other.status).toBe('running');
    expect((await m.stop(other.id)).status).toBe('stopped');
  }, 30_000);

  it('terminates a worker that does not stop in time, and says so', async () => {
    const m = jobs({ stopTimeoutMs: 1 });
    const job = m.start(generated({}));
    const summary = await m.stop(job.id);
    // The stop was asked for: the job is stopped, with a note that it had to be terminated.
    expect(summary.status).toBe('stopped');
    expect(job.terminated).toBe(true);
    expect(summary.failure?.message).toMatch(/did not stop within 0.001s and was terminated/);
  });

  it('keeps only the latest finished jobs, and every running one', async () => {
    const m = jobs({ keepFinished: 2 });
    const running = m.start(generated({ rate: 10 }));
    const finished: string[] = [];
    for (let i = 0; i < 4; i++) {
      const job = m.start(generated({ count: 5 }));
      await job.ended;
      finished.push(job.id);
    }
    const listed = m.list().map((j) => j.id);
    expect(listed).toEqual([finished[3], finished[2], running.id]);
    expect(() => m.get(finished[0]!)).toThrow(/There is no job/);
  });

  it('stops every running job when closed, cleanly', async () => {
    const m = jobs();
    const a = m.start(generated({ rate: 100 }));
    const b = m.start(generated({ rate: 100 }));
    await m.close();
    expect([a.status, b.status]).toEqual(['stopped', 'stopped']);
    expect(() => m.start(generated({ count: 1 }))).toThrow(/shutting down/);
  });

  it('shares one tap per edge among its watchers and stops sampling when the last closes', async () => {
    const m = jobs();
    const job = m.start(generated({ rate: 200 }));
    const first: number[] = [];
    const second: number[] = [];
    const closeFirst = job.openTap('e1', 5, (s) => first.push(s.rows.length));
    const closeSecond = job.openTap('e1', 5, (s) => second.push(s.rows.length));
    await until(() => first.length > 0 && second.length > 0);
    expect(Math.max(...first)).toBeLessThanOrEqual(5);
    closeFirst();
    const seen = first.length;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(first.length).toBe(seen);
    const before = second.length;
    await until(() => second.length > before);
    closeSecond();
    expect(() => job.openTap('nope', 5, () => {})).toThrow(/There is no edge 'nope'/);
  });
});

async function until(done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('Timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
