// Clients that stop reading while their taps run: the server stops sending
// them what can be dropped, then closes them, so no socket holds more than a
// few MB and health stays quick for everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import {
  type ExampleServer,
  healthLoop,
  percentile,
  serveExample,
  until,
} from '../testing/example-server.js';
import { deployWideRows, liveClient, serverSockets } from './live-clients.js';
import { abuseScale } from './scale.js';

/** What one socket may hold unsent before it is closed, plus one message in flight. */
const MOST_BUFFERED = 4 * 1024 * 1024 + 256 * 1024;

let running: ExampleServer;
const opened: WebSocket[] = [];
beforeAll(async () => {
  running = await serveExample('sluice-abuse-slow-');
}, 20_000);
afterAll(async () => {
  for (const ws of opened) ws.terminate();
  await running?.close();
});

describe('clients that stop reading', () => {
  const paused = abuseScale(10, 100);
  const readers = 5;
  /** At least this long under load; then until the paused clients are gone (at most 20 s more). */
  const seconds = abuseScale(3, 20);

  it(
    `drops ${paused} paused clients with 2 fast taps each, bounds their buffers, and keeps health quick`,
    async () => {
      const jobId = await deployWideRows(running);
      const job = running.server.app.jobs.get(jobId);
      const slow = await Promise.all(
        Array.from({ length: paused }, () => liveClient(running, opened, jobId)),
      );
      const fine = await Promise.all(
        Array.from({ length: readers }, () => liveClient(running, opened)),
      );
      for (const client of slow) {
        for (const edgeId of ['e1', 'e2']) {
          client.ws.send(JSON.stringify({ type: 'tap', edgeId, open: true, perSecond: 1000 }));
        }
      }
      await until(() => job.tapsOpen === paused * 2, 5_000, `Taps open: ${job.tapsOpen}`);
      for (const client of slow) client.pause();

      let mostBuffered = 0;
      const sampler = setInterval(() => {
        for (const s of serverSockets(running))
          mostBuffered = Math.max(mostBuffered, s.bufferedAmount);
      }, 50);
      const health = healthLoop(running.server.url, 50);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      await until(
        () => serverSockets(running).length === readers,
        20_000,
        `Paused clients still connected: ${serverSockets(running).length - readers}`,
      );
      const { latencies, failures } = await health.stop();
      clearInterval(sampler);

      // Every paused client was let go, and its taps with it; the readers are all still here.
      expect(serverSockets(running).length).toBe(readers);
      expect(job.tapsOpen).toBe(0);
      expect(fine.every((c) => c.closedWith === undefined)).toBe(true);
      expect(mostBuffered).toBeLessThan(MOST_BUFFERED);
      const p99 = percentile(latencies, 99);
      console.log(
        `slow clients: ${paused} paused; most buffered ${(mostBuffered / 1024 / 1024).toFixed(1)} MB; health ${latencies.length} requests, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
      );
      expect(failures).toEqual([]);
      // Was 1.7 s, 5.7 s and 15.8 s stalls with 100 paused clients.
      expect(Math.max(...latencies)).toBeLessThan(1000);
      expect(p99).toBeLessThan(100);

      // Once they read again, they learn why they were closed.
      for (const client of slow) client.resume();
      await until(
        () => slow.every((c) => c.closedWith !== undefined),
        10_000,
        'A paused client never saw its socket close',
      );
      for (const client of fine) client.ws.close();
      await running.server.app.jobs.stop(jobId);
    },
    (seconds + 60) * 1000,
  );
});
