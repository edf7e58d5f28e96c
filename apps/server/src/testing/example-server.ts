// The real server on a free loopback port, with the example pipeline stored and
// deployed through the API: what the load and soak tests run against.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { JobHandle } from '../jobs/handle.js';
import { type RunningServer, startServer } from '../server.js';
import { TEST_TOKEN } from './app.js';

export const EXAMPLE_URL = new URL(
  '../../../../examples/orders-per-category.json',
  import.meta.url,
);

export interface ExampleServer {
  readonly server: RunningServer;
  /** The stored example's id. */
  readonly pipelineId: string;
  /** The example's job: a datagen source, so it runs until stopped. */
  readonly jobId: string;
  readonly job: JobHandle;
  readonly auth: { authorization: string };
  /** Stops the job, closes the server and removes the data directory. */
  close(): Promise<void>;
}

export async function serveExample(prefix: string): Promise<ExampleServer> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    token: TEST_TOKEN,
    logLevel: 'silent',
  });
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as { id?: string };
    if (res.status !== 201 || !answer.id) {
      throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(answer)}`);
    }
    return answer.id;
  };
  try {
    const example: unknown = JSON.parse(await readFile(EXAMPLE_URL, 'utf8'));
    const pipelineId = await post('/api/pipelines', example);
    const jobId = await post('/api/jobs', { pipelineId });
    const job = server.app.jobs.get(jobId);
    // Under load from the first second: wait until records flow.
    await until(() => (job.metrics?.recordsIn ?? 0) > 0, 10_000, 'The example job never ran');
    return {
      server,
      pipelineId,
      jobId,
      job,
      auth,
      async close() {
        await server.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export async function until(check: () => boolean, ms: number, failure: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The nearest-rank percentile of `values` (0 < p ≤ 100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Asks for health every `everyMs` until `stop()` resolves; returns each answer's latency (ms). */
export function healthLoop(url: string, everyMs: number) {
  const latencies: number[] = [];
  const failures: string[] = [];
  let stopped = false;
  const done = (async () => {
    for (let next = performance.now(); !stopped; ) {
      const started = performance.now();
      try {
        // Node's fetch keeps the connection alive: this is the server's latency, not a handshake's.
        const res = await fetch(`${url}/api/health`);
        await res.arrayBuffer();
        if (res.status !== 200) failures.push(`status ${res.status}`);
        latencies.push(performance.now() - started);
      } catch (error) {
        failures.push(String(error));
      }
      next += everyMs;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      return { latencies, failures };
    },
  };
}
