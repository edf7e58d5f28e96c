// Soak: CLIENTS WebSocket watchers on one running job for SOAK_S seconds, a
// few of them tapping an edge, while /api/health is asked every HEALTH_EVERY_MS
// over real HTTP. Nobody is dropped, everybody gets their metrics, and health
// stays quick. Run alone (the "load" Vitest project): its p99 is a latency
// budget, which neighbours' CPU would spend.
import { cpus, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  type ExampleServer,
  healthLoop,
  percentile,
  serveExample,
  until,
} from './testing/example-server.js';

const CLIENTS = 200;
const TAPPERS = 5;
const TAPPED_EDGE = 'e1';
const SOAK_S = 10;
const HEALTH_EVERY_MS = 50;
const HEALTH_P99_BUDGET_MS = 50;

/** A message as parsed from JSON; read field by field. */
type Received = ReturnType<typeof JSON.parse>;

interface Watcher {
  readonly ws: WebSocket;
  readonly messages: { at: number; message: Received }[];
  /** Close or error events seen before the test closed the socket. */
  readonly lost: string[];
}

let running: ExampleServer;
/** Every socket opened, so a failed test still leaves none behind. */
const sockets: WebSocket[] = [];
beforeAll(async () => {
  running = await serveExample('sluice-soak-');
}, 20_000);
afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await running?.close();
});

/** Connects as a script would: the token in the Authorization header, the server's own Origin. */
function watch(jobId: string): Promise<Watcher> {
  const ws = new WebSocket(`${running.server.url.replace('http', 'ws')}/api/jobs/${jobId}/live`, {
    headers: { ...running.auth, origin: running.server.url },
  });
  sockets.push(ws);
  const watcher: Watcher = { ws, messages: [], lost: [] };
  ws.on('message', (data) =>
    watcher.messages.push({ at: Date.now(), message: JSON.parse(String(data)) }),
  );
  ws.on('close', (code) => watcher.lost.push(`closed with ${code}`));
  ws.on('error', (error) => watcher.lost.push(`error: ${error.message}`));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(watcher));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`Refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const ofType = (watcher: Watcher, type: string, since = 0) =>
  watcher.messages.filter((m) => m.message.type === type && m.at >= since).map((m) => m.message);

describe(`${CLIENTS} watchers on one job`, () => {
  it(
    `keeps every watcher for ${SOAK_S} s with its status, metrics and taps, and health under ${HEALTH_P99_BUDGET_MS} ms at p99`,
    async () => {
      const { job, jobId } = running;
      const watchers = await Promise.all(Array.from({ length: CLIENTS }, () => watch(jobId)));
      const tappers = watchers.slice(0, TAPPERS);
      for (const { ws } of tappers) {
        ws.send(JSON.stringify({ type: 'tap', edgeId: TAPPED_EDGE, open: true, perSecond: 10 }));
      }
      await until(() => job.tapsOpen === TAPPERS, 5_000, `Taps open: ${job.tapsOpen}`);

      const soakStart = Date.now();
      const health = healthLoop(running.server.url, HEALTH_EVERY_MS);
      await new Promise((resolve) => setTimeout(resolve, SOAK_S * 1000));
      const { latencies, failures } = await health.stop();

      // Nobody was lost, and everybody had the status and the metrics of every second but the edges.
      expect(watchers.flatMap((w) => w.lost)).toEqual([]);
      expect(watchers.every((w) => w.ws.readyState === WebSocket.OPEN)).toBe(true);
      const metricsSeen = watchers.map((w) => ofType(w, 'metrics', soakStart).length);
      for (const watcher of watchers) {
        expect(ofType(watcher, 'status')[0]).toEqual({ type: 'status', status: 'running' });
        expect(ofType(watcher, 'problem')).toEqual([]);
        // The server never had to skip a message for being behind.
        expect(ofType(watcher, 'metrics').at(-1)?.dropped).toBe(0);
      }
      expect(Math.min(...metricsSeen)).toBeGreaterThanOrEqual(SOAK_S - 2);

      // Tappers got samples of their edge; the others got none.
      const samples = tappers.map((w) => ofType(w, 'tap'));
      for (const got of samples) {
        expect(got.length).toBeGreaterThan(0);
        expect(got.every((s) => s.edgeId === TAPPED_EDGE && s.rows.length > 0)).toBe(true);
      }
      expect(watchers.slice(TAPPERS).every((w) => ofType(w, 'tap').length === 0)).toBe(true);

      const p50 = percentile(latencies, 50);
      const p99 = percentile(latencies, 99);
      const max = Math.max(...latencies);
      const fmt = (ms: number) => ms.toFixed(1);
      // Other processes on the machine take from the budget too: the load average says how much.
      const machine = `load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs`;
      console.log(
        `soak: ${CLIENTS} watchers (${TAPPERS} tapping ${TAPPED_EDGE}) for ${SOAK_S} s; metrics per watcher ` +
          `min ${Math.min(...metricsSeen)} max ${Math.max(...metricsSeen)}; tap samples per tapper ` +
          `${samples.map((s) => s.length).join('/')}; health ${latencies.length} requests, ms p50 ` +
          `${fmt(p50)} p99 ${fmt(p99)} max ${fmt(max)}; ${machine}`,
      );
      expect(failures).toEqual([]);
      expect(latencies.length).toBeGreaterThan((SOAK_S * 1000) / HEALTH_EVERY_MS / 2);
      expect(p99, `health p99 with ${machine}`).toBeLessThan(HEALTH_P99_BUDGET_MS);

      // Closing the watchers closes their taps on the job; the job itself runs on.
      for (const { ws } of watchers) ws.close();
      await until(
        () => watchers.every((w) => w.ws.readyState === WebSocket.CLOSED),
        5_000,
        'Some watchers did not close',
      );
      await until(() => job.tapsOpen === 0, 5_000, `Taps still open: ${job.tapsOpen}`);
      expect(job.status).toBe('running');
    },
    (SOAK_S + 20) * 1000,
  );
});
