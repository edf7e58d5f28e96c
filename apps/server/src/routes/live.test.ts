import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { signInLink, type TestApp, testApp } from '../testing/app.js';
import { isOwnOrigin } from './live.js';
import { ERRORS_PER_SECOND } from './live-session.js';

/** A message as parsed from JSON; tests read it field by field. */
type Received = ReturnType<typeof JSON.parse>;

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ allowedOrigins: ['http://localhost:5173'] });
});
afterAll(() => t.close());

const upgrade = {
  connection: 'upgrade',
  upgrade: 'websocket',
  'sec-websocket-version': '13',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
};

/** Orders at `rate` a second; `middle` is an optional node between source and preview. */
function pipeline(rate: number, middle?: Record<string, unknown>) {
  const nodes: Record<string, unknown>[] = [
    {
      id: 'orders',
      kind: 'source.datagen',
      config: {
        fields: [
          { name: 'order_id', type: 'long', generator: { kind: 'sequence', start: 1 } },
          { name: 'amount', type: 'double', generator: { kind: 'random', min: 1, max: 100 } },
        ],
        rate,
      },
    },
    { id: 'results', kind: 'sink.preview', config: {} },
  ];
  const edges = [{ id: 'e1', source: 'orders', target: middle ? 'middle' : 'results' }];
  if (middle) {
    nodes.push({ id: 'middle', ...middle });
    edges.push({ id: 'e2', source: 'middle', target: 'results' });
  }
  return { format: 'sluice.pipeline/v1', name: 'Live orders', nodes, edges };
}

async function deploy(doc: unknown): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/jobs',
    headers: t.auth,
    payload: { pipeline: doc },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** A WebSocket client through the app's in-memory injector, keeping every message it receives. */
async function connect(id: string, headers: Record<string, string> = t.auth) {
  const messages: Received[] = [];
  const ws: WebSocket = await t.app.injectWS(
    `/api/jobs/${id}/live`,
    { headers },
    {
      onInit: (socket) => {
        socket.on('message', (data) => messages.push(JSON.parse(String(data))));
        // The injector's client is built without ws's automatic pong; browsers and real ws clients answer pings.
        socket.on('ping', (data) => socket.pong(data));
      },
    },
  );
  const next = async (match: (m: Received) => boolean, ms = 8000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = messages.find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`No matching message; got ${JSON.stringify(messages.map((m) => m.type))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { ws, messages, next };
}

describe('live route', () => {
  it('refuses the upgrade without the token, before any socket is opened', async () => {
    const id = await deploy(pipeline(10));
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/jobs/${id}/live`,
      headers: upgrade,
    });
    expect(res.statusCode).toBe(401);
    await expect(t.app.injectWS(`/api/jobs/${id}/live`)).rejects.toThrow(/401/);
    await expect(
      t.app.injectWS(`/api/jobs/${id}/live`, { headers: { authorization: 'Bearer wrong' } }),
    ).rejects.toThrow(/401/);
  });

  it('refuses the upgrade from another origin with 403 forbidden-origin', async () => {
    const id = await deploy(pipeline(10));
    for (const origin of ['http://evil.example', 'http://localhost:81', 'null', 'file://']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/jobs/${id}/live`,
        headers: { ...upgrade, ...t.auth, origin, host: 'localhost:80' },
      });
      expect(res.statusCode, origin).toBe(403);
      expect(res.json().error.code).toBe('forbidden-origin');
    }
    await expect(
      t.app.injectWS(`/api/jobs/${id}/live`, {
        headers: { ...t.auth, origin: 'http://evil.example' },
      }),
    ).rejects.toThrow(/403/);
  });

  it('accepts its own origin, an allowed origin, the session cookie, and no origin at all', async () => {
    const id = await deploy(pipeline(10));
    const login = await t.app.inject({ method: 'GET', url: signInLink(t.app) });
    const session = login.cookies.find((c) => c.name === 'sluice_session')!.value;
    const variants: Record<string, string>[] = [
      { ...t.auth, origin: 'http://localhost:4800', host: 'localhost:4800' },
      { ...t.auth, origin: 'http://localhost:5173', host: 'localhost:4800' },
      {
        cookie: `sluice_session=${session}`,
        origin: 'http://127.0.0.1:4800',
        host: '127.0.0.1:4800',
      },
      t.auth,
    ];
    for (const headers of variants) {
      const client = await connect(id, headers);
      expect(await client.next((m) => m.type === 'status')).toEqual({
        type: 'status',
        status: 'running',
      });
      client.ws.terminate();
    }
  });

  it('answers 404 for an unknown job, without opening a socket', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/jobs/nope/live',
      headers: { ...upgrade, ...t.auth },
    });
    expect(res.statusCode).toBe(404);
    await expect(t.app.injectWS('/api/jobs/nope/live', { headers: t.auth })).rejects.toThrow(/404/);
  });

  it('sends status and metrics, samples an open tap, and stops after closing it', async () => {
    const id = await deploy(pipeline(200));
    const client = await connect(id);
    expect(client.messages[0]).toEqual({ type: 'status', status: 'running' });
    const metrics = await client.next((m) => m.type === 'metrics' && m.metrics.recordsIn > 0);
    expect(metrics.metrics.operators.map((o: { nodeId: string }) => o.nodeId)).toEqual([
      'orders',
      'results',
    ]);
    expect(metrics.metrics.edges[0]).toMatchObject({
      edgeId: 'e1',
      source: 'orders',
      target: 'results',
    });
    expect(metrics.dropped).toBe(0);

    client.ws.send(JSON.stringify({ type: 'tap', edgeId: 'e1', open: true, perSecond: 5 }));
    const sample = await client.next((m) => m.type === 'tap');
    expect(sample.edgeId).toBe('e1');
    expect(sample.rows.length).toBeGreaterThan(0);
    expect(sample.rows.length).toBeLessThanOrEqual(5);
    expect(sample.rows[0]).toEqual({ order_id: expect.any(Number), amount: expect.any(Number) });
    expect(sample.times).toHaveLength(sample.rows.length);
    const job = t.app.jobs.get(id);
    expect(job.tapsOpen).toBe(1);

    client.ws.send(JSON.stringify({ type: 'tap', edgeId: 'e1', open: false }));
    await until(() => job.tapsOpen === 0);
    client.ws.terminate();
    await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/stop`, headers: t.auth });
  });

  it('tells every watcher when the job stops, and closes the taps of a client that leaves', async () => {
    const id = await deploy(pipeline(200));
    const [a, b] = [await connect(id), await connect(id)];
    a.ws.send(JSON.stringify({ type: 'tap', edgeId: 'e1', open: true }));
    b.ws.send(JSON.stringify({ type: 'tap', edgeId: 'e1', open: true }));
    await a.next((m) => m.type === 'tap');
    await b.next((m) => m.type === 'tap');
    const job = t.app.jobs.get(id);
    expect(job.tapsOpen).toBe(2);
    a.ws.terminate();
    await until(() => job.tapsOpen === 1);
    await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/stop`, headers: t.auth });
    expect(await b.next((m) => m.type === 'status' && m.status !== 'running')).toEqual({
      type: 'status',
      status: 'stopped',
    });
    b.ws.terminate();
  });

  it('answers invalid messages with a problem and keeps going', async () => {
    const id = await deploy(pipeline(50));
    const client = await connect(id);
    for (const text of [
      'not json',
      '{"type":"tap"}',
      '{"type":"tap","edgeId":"e1","open":true,"perSecond":-1}',
      '[]',
      'null',
    ]) {
      client.ws.send(text);
    }
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    client.ws.send(JSON.stringify({ type: 'tap', edgeId: 'nope', open: true }));
    await until(() => client.messages.filter((m) => m.type === 'problem').length === 7);
    const problems = client.messages.filter((m) => m.type === 'problem');
    expect(problems[0]?.message).toMatch(/not understood/);
    expect(problems[6]?.message).toMatch(/There is no edge 'nope'/);
    // Still served: the tap on a real edge works after all that.
    client.ws.send(JSON.stringify({ type: 'tap', edgeId: 'e1', open: true }));
    await client.next((m) => m.type === 'tap');
    client.ws.terminate();
    await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/stop`, headers: t.auth });
  });

  it(`sends bad records as they happen, at most ${ERRORS_PER_SECOND} a second, counting the rest`, async () => {
    // Every record fails: a division by zero in a computed field.
    const id = await deploy(
      pipeline(500, {
        kind: 'transform.map',
        config: { fields: [{ name: 'x', expr: 'order_id / (order_id - order_id)' }] },
      }),
    );
    const client = await connect(id);
    const error = await client.next((m) => m.type === 'error');
    expect(error.error).toMatchObject({
      nodeId: 'middle',
      reason: expect.stringMatching(/division by zero/),
      row: expect.any(Object),
    });
    const metrics = await client.next((m) => m.type === 'metrics' && m.dropped > 0, 5000);
    expect(metrics.metrics.errors).toBeGreaterThan(ERRORS_PER_SECOND);
    const errorsSent = client.messages.filter((m) => m.type === 'error').length;
    const seconds = (Date.now() - metrics.metrics.startedAt) / 1000;
    expect(errorsSent).toBeLessThanOrEqual(ERRORS_PER_SECOND * Math.ceil(seconds + 1));
    client.ws.terminate();
    await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/stop`, headers: t.auth });
  });

  it('closes with 1008 a client that stops answering pings, though nothing is left unsent on its side', async () => {
    const id = await deploy(pipeline(200));
    // The injector's client, as built, does not answer pings: a client whose reads are stuck.
    const ws: WebSocket = await t.app.injectWS(`/api/jobs/${id}/live`, { headers: t.auth });
    let closedWith: number | undefined;
    ws.on('close', (code) => {
      closedWith = code;
    });
    ws.send(JSON.stringify({ type: 'tap', edgeId: 'e1', open: true }));
    const job = t.app.jobs.get(id);
    await until(() => job.tapsOpen === 1);
    const started = Date.now();
    await until(() => closedWith !== undefined, 8_000);
    expect(closedWith).toBe(1008);
    // A ping every second, closed once one is 3 s unanswered: about 4 s.
    expect(Date.now() - started).toBeGreaterThan(2_000);
    await until(() => job.tapsOpen === 0);
  }, 15_000);
});

describe('isOwnOrigin', () => {
  it.each([
    ['http://localhost:4800', 'localhost:4800', true],
    ['http://LOCALHOST:4800', 'localhost:4800', true],
    ['http://localhost', 'localhost:80', true],
    ['https://example.com', 'example.com:443', true],
    ['http://localhost:4801', 'localhost:4800', false],
    ['http://evil.example', 'localhost:4800', false],
    ['http://localhost:4800.evil.example', 'localhost:4800', false],
    ['ws://localhost:4800', 'localhost:4800', false],
    ['null', 'localhost:4800', false],
    ['http://localhost:4800', undefined, false],
  ])('%s against Host %s → %s', (origin, host, expected) => {
    expect(isOwnOrigin(origin, host)).toBe(expected);
  });
});

async function until(done: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('Timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
