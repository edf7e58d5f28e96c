// The real server on a free port, a real WebSocket client: deploy the example,
// watch it, tap an edge, stop it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type RunningServer, startServer } from '../server.js';
import { TEST_TOKEN } from '../testing/app.js';

/** A message as parsed from JSON; tests read it field by field. */
type Received = ReturnType<typeof JSON.parse>;

let server: RunningServer;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-live-'));
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    token: TEST_TOKEN,
    logLevel: 'silent',
  });
});
let session: string;
beforeAll(async () => {
  // Signed in as a browser is, by the printed link.
  const login = await fetch(server.loginUrl, { redirect: 'manual' });
  session = /sluice_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
});
afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${TEST_TOKEN}` };

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Received };
}

/** Opens the live view as a browser would: the session cookie and the page's Origin. */
function watch(jobId: string, origin = server.url) {
  const messages: Received[] = [];
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/jobs/${jobId}/live`, {
    headers: { cookie: `sluice_session=${session}`, origin },
  });
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const next = async (match: (m: Received) => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = messages.find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`No matching message in ${JSON.stringify(messages.map((m) => m.type))}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return { ws, messages, next };
}

describe('live view on the real server', () => {
  it('deploys the example, streams its metrics, taps an edge, and stops it', async () => {
    const example = JSON.parse(
      await readFile(
        new URL('../../../../examples/orders-per-category.json', import.meta.url),
        'utf8',
      ),
    );
    const stored = await api('POST', '/api/pipelines', example);
    expect(stored.status).toBe(201);
    const deployed = await api('POST', '/api/jobs', { pipelineId: stored.body.id });
    expect(deployed.status).toBe(201);
    const jobId: string = deployed.body.id;

    const client = watch(jobId);
    await new Promise((resolve, reject) => {
      client.ws.once('open', resolve);
      client.ws.once('error', reject);
    });
    expect(await client.next((m) => m.type === 'status')).toEqual({
      type: 'status',
      status: 'running',
    });
    const flowing = await client.next((m) => m.type === 'metrics' && m.metrics.recordsIn > 0);
    expect(flowing.metrics.operators.map((o: { nodeId: string }) => o.nodeId)).toEqual(
      expect.arrayContaining(['orders', 'big_orders', 'per_category', 'results']),
    );

    client.ws.send(JSON.stringify({ type: 'tap', edgeId: 'e1', open: true, perSecond: 10 }));
    const sample = await client.next((m) => m.type === 'tap');
    expect(sample.edgeId).toBe('e1');
    expect(sample.rows[0]).toEqual({
      order_id: expect.any(Number),
      category: expect.any(String),
      amount: expect.any(Number),
      ts: expect.any(Number),
    });

    client.ws.send(JSON.stringify({ type: 'tap', edgeId: 'e1', open: false }));
    const job = server.app.jobs.get(jobId);
    for (const deadline = Date.now() + 5000; job.tapsOpen > 0; ) {
      if (Date.now() > deadline) throw new Error('The tap stayed open');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // Samples already on the way may arrive; after that, none.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const samples = client.messages.filter((m) => m.type === 'tap').length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(client.messages.filter((m) => m.type === 'tap').length).toBe(samples);

    const stopped = await api('POST', `/api/jobs/${jobId}/stop`, {});
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({
      id: jobId,
      pipelineId: stored.body.id,
      status: 'stopped',
    });
    expect(await client.next((m) => m.type === 'status' && m.status === 'stopped')).toEqual({
      type: 'status',
      status: 'stopped',
    });
    client.ws.close();
  });

  it('refuses a WebSocket from another origin, or without the token, with no socket opened', async () => {
    const deployed = await api('POST', '/api/jobs', {
      pipeline: JSON.parse(
        await readFile(
          new URL('../../../../examples/orders-per-category.json', import.meta.url),
          'utf8',
        ),
      ),
    });
    const jobId: string = deployed.body.id;
    const refused = (ws: WebSocket) =>
      new Promise<number>((resolve, reject) => {
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('open', () => reject(new Error('The socket opened')));
      });
    expect(await refused(watch(jobId, 'http://evil.example').ws)).toBe(403);
    const url = `${server.url.replace('http', 'ws')}/api/jobs/${jobId}/live`;
    expect(await refused(new WebSocket(url, { headers: { origin: server.url } }))).toBe(401);
    await api('POST', `/api/jobs/${jobId}/stop`, {});
  });
});
