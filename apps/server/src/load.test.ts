// Load: autocannon against the real server on loopback while the example job
// runs in its worker. Bounded: two runs of DURATION_S seconds, CONNECTIONS
// connections each. Run alone (the "load" Vitest project), so the figures
// printed are the server's, not the neighbours'.
import autocannon, { type Result } from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleServer, serveExample } from './testing/example-server.js';

const CONNECTIONS = 20;
const DURATION_S = 5;
const RUN_TIMEOUT_MS = (DURATION_S + 10) * 1000;

let running: ExampleServer;
beforeAll(async () => {
  running = await serveExample('sluice-load-');
}, 20_000);
afterAll(async () => {
  await running?.close();
});

async function cannon(path: string, connections: number, authorized: boolean): Promise<Result> {
  const result = await autocannon({
    url: `${running.server.url}${path}`,
    title: path,
    connections,
    duration: DURATION_S,
    timeout: 5,
    ...(authorized ? { headers: running.auth } : {}),
  });
  const { requests, latency } = result;
  console.log(
    `load GET ${path}: ${connections} connections, ${result.duration} s, ${requests.total} requests, ` +
      `${Math.round(requests.average)} req/s; latency ms p50 ${latency.p50} p90 ${latency.p90} ` +
      `p99 ${latency.p99} max ${latency.max}; errors ${result.errors}, timeouts ${result.timeouts}, ` +
      `non-2xx ${result.non2xx}`,
  );
  return result;
}

/** Every request answered 200: none failed, timed out or was refused. */
function expectAllAnswered(result: Result): void {
  expect(result.requests.total).toBeGreaterThan(0);
  expect({
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    resets: result.resets,
  }).toEqual({ errors: 0, timeouts: 0, non2xx: 0, resets: 0 });
  expect(Object.keys(result.statusCodeStats)).toEqual(['200']);
}

describe('the server under load while a job runs', () => {
  it(
    `answers GET /api/health from ${CONNECTIONS} connections for ${DURATION_S} s with no error, timeout or non-2xx`,
    async () => {
      expectAllAnswered(await cannon('/api/health', CONNECTIONS, false));
      expect(running.job.status).toBe('running');
    },
    RUN_TIMEOUT_MS,
  );

  it(
    `answers authorized GET /api/pipelines and GET /api/jobs/:id together from ${CONNECTIONS} connections for ${DURATION_S} s`,
    async () => {
      // Half the connections on each route, at the same time: the job's detail is
      // read from the main thread while its worker reports metrics.
      const [pipelines, job] = await Promise.all([
        cannon('/api/pipelines', CONNECTIONS / 2, true),
        cannon(`/api/jobs/${running.jobId}`, CONNECTIONS / 2, true),
      ]);
      expectAllAnswered(pipelines);
      expectAllAnswered(job);
      // The job kept running and kept counting under the load.
      expect(running.job.status).toBe('running');
      expect(running.job.summary().totals.recordsIn).toBeGreaterThan(DURATION_S * 100);
    },
    RUN_TIMEOUT_MS,
  );
});
