// Deploying to Flink through the API, against the local cluster and Kafka
// broker of scripts/flink/global-setup.mjs: a Kafka → window → Kafka pipeline
// with settings.target "flink:local" runs there, its figures arrive on the
// pipeline's nodes, and a stop takes a savepoint. A node Flink cannot run is
// refused before anything is submitted, on that node.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaAdmin, KafkaWriter } from '@sluice/engine';
import type { JobDetail, Pipeline } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type TestApp, testApp } from '../testing/app.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
    flinkGateway: string;
    flinkRest: string;
  }
}

const bootstrap = inject('kafkaBootstrap');
const BASE = Date.parse('2024-05-01T10:00:00Z');
let t: TestApp;
let admin: KafkaAdmin;

beforeAll(async () => {
  t = await testApp({
    flinkClusters: [{ name: 'local', gateway: inject('flinkGateway'), rest: inject('flinkRest') }],
  });
  admin = new KafkaAdmin({ bootstrap });
});
afterAll(async () => {
  await t.close();
  await admin.close();
});

function pipeline(suffix: string, sink: 'kafka' | 'preview' = 'kafka'): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: `Orders per category ${suffix}`,
    settings: { target: 'flink:local', checkpoints: { interval: '2s' } },
    nodes: [
      {
        id: 'orders',
        kind: 'source.kafka',
        config: {
          bootstrapServers: bootstrap,
          topics: [`orders-${suffix}`],
          group: `g-${suffix}`,
          format: 'json',
          schema: [
            { name: 'category', type: 'string' },
            { name: 'amount', type: 'double' },
            { name: 'ts', type: 'timestamp' },
          ],
          eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
        },
      },
      { id: 'big', kind: 'transform.filter', config: { where: 'amount > 10' } },
      {
        id: 'per_category',
        kind: 'window.aggregate',
        config: {
          window: { type: 'tumbling', size: '10s' },
          groupBy: ['category'],
          aggregates: [{ name: 'orders', fn: 'count' }],
        },
      },
      sink === 'kafka'
        ? {
            id: 'totals',
            kind: 'sink.kafka',
            config: {
              bootstrapServers: bootstrap,
              topic: `totals-${suffix}`,
              format: 'json',
              delivery: 'at-least-once',
            },
          }
        : { id: 'totals', kind: 'sink.preview', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'orders', target: 'big' },
      { id: 'e2', source: 'big', target: 'per_category' },
      { id: 'e3', source: 'per_category', target: 'totals' },
    ],
  };
}

/** POST /api/jobs/:id/<action> on the shared test app. */
function post(id: string, action: 'stop' | 'resume', payload?: object) {
  return t.app.inject({
    method: 'POST',
    url: `/api/jobs/${id}/${action}`,
    headers: t.auth,
    ...(payload ? { payload } : {}),
  });
}

/** Deploys a pipeline on the shared test app; returns the job's id. */
async function deploy(document: unknown): Promise<string> {
  const deployed = await t.app.inject({
    method: 'POST',
    url: '/api/jobs',
    headers: t.auth,
    payload: { pipeline: document },
  });
  expect(deployed.statusCode).toBe(201);
  return (deployed.json() as { id: string }).id;
}

async function detail(id: string): Promise<JobDetail> {
  const response = await t.app.inject({ method: 'GET', url: `/api/jobs/${id}`, headers: t.auth });
  expect(response.statusCode).toBe(200);
  return response.json() as JobDetail;
}

type Order = { category: string; amount: number; ts: string };

function ordersFrom(first: number, last: number): Order[] {
  return Array.from({ length: last - first }, (_, k) => {
    const i = first + k;
    return {
      category: ['books', 'games'][i % 2]!,
      amount: 5 + (i % 20),
      ts: new Date(BASE + i * 500).toISOString(),
    };
  });
}

async function write(suffix: string, orders: readonly Order[]): Promise<void> {
  const writer = new KafkaWriter({ bootstrap, clientId: 'deploy-test' });
  writer.send(orders.map((o) => ({ topic: `orders-${suffix}`, value: JSON.stringify(o) })));
  await writer.flush();
  await writer.close();
}

/** Computed here: the big orders per category and 10-second window, as `category start count`. */
function expectedTotals(orders: readonly Order[]): string[] {
  const expected = new Map<string, number>();
  for (const o of orders) {
    if (!(o.amount > 10)) continue;
    const start = new Date(Math.floor(Date.parse(o.ts) / 10_000) * 10_000)
      .toISOString()
      .replace('.000Z', 'Z');
    const key = `${o.category} ${start}`;
    expected.set(key, (expected.get(key) ?? 0) + 1);
  }
  return [...expected].map(([key, n]) => `${key} ${n}`).sort();
}

/** The rows of the output topic once there are `count`, and any more that follow (duplicates), as `category start count`. */
async function totalsIn(suffix: string, count: number): Promise<string[]> {
  const totals = await admin.readAll(`totals-${suffix}`, count, 60_000);
  return totals
    .map((m) => JSON.parse(m.value!.toString()) as Record<string, unknown>)
    .map((r) => `${r.category} ${r.window_start} ${r.orders}`)
    .sort();
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 90_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('a pipeline whose target is a Flink cluster', () => {
  test('runs there: figures on its nodes, results in Kafka, and a stop with a savepoint', async () => {
    const suffix = `d${Date.now()}`;
    await admin.createTopic(`orders-${suffix}`, 1);
    await admin.createTopic(`totals-${suffix}`, 1);
    const orders = ordersFrom(0, 100);
    // A last order a minute later closes the windows before it.
    orders.push({ category: 'books', amount: 50, ts: new Date(BASE + 120_000).toISOString() });
    await write(suffix, orders);

    const id = await deploy(pipeline(suffix));

    const running = await until('the figures of the Flink job', async () => {
      const d = await detail(id);
      const source = d.metrics?.operators.find((o) => o.nodeId === 'orders');
      return d.flink?.jobId && source && source.recordsIn >= 101 ? d : undefined;
    });
    expect(running.status).toBe('running');
    expect(running.flink).toMatchObject({ cluster: 'local', jobId: expect.any(String) });
    const byNode = new Map(running.metrics!.operators.map((o) => [o.nodeId, o]));
    // The filter runs chained to the source: the same vertex, named on both.
    expect(byNode.get('orders')?.vertex).toMatch(/^Source: orders\[/);
    expect(byNode.get('big')?.vertex).toBe(byNode.get('orders')?.vertex);
    expect(byNode.get('totals')?.vertex).toMatch(/totals\[\d+\]: Writer/);

    // Busy and backpressured time are the vertex's, a share of each second.
    for (const o of running.metrics!.operators) {
      expect(o.busy).toBeGreaterThanOrEqual(0);
      expect(o.busy).toBeLessThanOrEqual(1);
      expect(o.extra.backpressured).toBeGreaterThanOrEqual(0);
    }

    const expected = expectedTotals(orders.slice(0, -1));
    expect(await totalsIn(suffix, expected.length)).toEqual(expected);
    expect(expected).toHaveLength(10);
    // With its input read, the job waits: its vertices are idle, not busy.
    await until(
      'idle vertices',
      async () => {
        const d = await detail(id);
        return d.metrics?.operators.every((o) => o.busy < 0.5) ? true : undefined;
      },
      20_000,
    );

    const stopped = await post(id, 'stop', {});
    expect(stopped.statusCode).toBe(200);
    const after = await detail(id);
    expect(after.status).toBe('stopped');
    expect(after.failure).toBeUndefined();
    expect(after.flink?.savepoint).toMatch(/savepoint-/);
  });

  test('resumes from its savepoint: a window open at the stop counts the records from both sides of it, and nothing is written twice', async () => {
    const suffix = `p${Date.now()}`;
    await admin.createTopic(`orders-${suffix}`, 1);
    await admin.createTopic(`totals-${suffix}`, 1);
    // Up to 24.5 s: the windows at 0 and 10 s close, the one at 20 s stays open.
    const before = ordersFrom(0, 50);
    await write(suffix, before);
    const id = await deploy(pipeline(suffix));
    const closed = expectedTotals(before.filter((o) => Date.parse(o.ts) < BASE + 20_000));
    expect(await totalsIn(suffix, closed.length)).toEqual(closed);

    const stopped = await post(id, 'stop', { savepoint: true });
    expect(stopped.statusCode).toBe(200);
    const savepoint = (await detail(id)).flink?.savepoint;
    expect(savepoint).toMatch(/savepoint-/);

    const after = ordersFrom(50, 100);
    after.push({ category: 'books', amount: 50, ts: new Date(BASE + 120_000).toISOString() });
    await write(suffix, after);
    const resumed = await post(id, 'resume');
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json()).toMatchObject({
      id,
      status: 'running',
      flink: { cluster: 'local', restoredFrom: savepoint },
    });

    const all = expectedTotals([...before, ...after.slice(0, -1)]);
    expect(await totalsIn(suffix, all.length)).toEqual(all);
    await post(id, 'stop', {});
  });

  test('a job on Flink stopped without a savepoint is not resumed, and says why', async () => {
    const suffix = `n${Date.now()}`;
    await admin.createTopic(`orders-${suffix}`, 1);
    await admin.createTopic(`totals-${suffix}`, 1);
    const document = { ...pipeline(suffix), settings: { target: 'flink:local' } };
    const id = await deploy(document);
    const flinkJobId = await until('the Flink job id', async () => (await detail(id)).flink?.jobId);
    // Cancelled on the cluster, behind the server's back: it ends without a savepoint.
    await fetch(`${inject('flinkRest')}/jobs/${flinkJobId}?mode=cancel`, { method: 'PATCH' });
    await until('the job seen stopped', async () =>
      (await detail(id)).status === 'stopped' ? true : undefined,
    );
    const resumed = await post(id, 'resume');
    expect(resumed.statusCode).toBe(409);
    expect(resumed.json().error.message).toContain('stopped without a savepoint');
  });

  test('a server that stops leaves its Flink job running, and follows it again when it starts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sluice-flink-restart-'));
    const clusters = [
      { name: 'local', gateway: inject('flinkGateway'), rest: inject('flinkRest') },
    ];
    const suffix = `s${Date.now()}`;
    await admin.createTopic(`orders-${suffix}`, 1);
    await admin.createTopic(`totals-${suffix}`, 1);
    let first: TestApp | undefined = await testApp({ dataDir, flinkClusters: clusters });
    let second: TestApp | undefined;
    try {
      const deployed = await first.app.inject({
        method: 'POST',
        url: '/api/jobs',
        headers: first.auth,
        payload: { pipeline: pipeline(suffix) },
      });
      expect(deployed.statusCode).toBe(201);
      const { id } = deployed.json() as { id: string };
      const flinkJobId = await until('the Flink job id', async () => {
        const d = (
          await first!.app.inject({ method: 'GET', url: `/api/jobs/${id}`, headers: first!.auth })
        ).json() as JobDetail;
        return d.flink?.jobId;
      });
      await first.close();
      first = undefined;
      // Still running on the cluster without the server.
      const overview = (await (
        await fetch(`${inject('flinkRest')}/jobs/${flinkJobId}`)
      ).json()) as {
        state: string;
      };
      expect(overview.state).toBe('RUNNING');

      second = await testApp({ dataDir, flinkClusters: clusters });
      const again = await until('the job followed again', async () => {
        const d = (
          await second!.app.inject({ method: 'GET', url: `/api/jobs/${id}`, headers: second!.auth })
        ).json() as JobDetail;
        return d.status === 'running' && d.metrics ? d : undefined;
      });
      expect(again.flink?.jobId).toBe(flinkJobId);
      const stopped = await second.app.inject({
        method: 'POST',
        url: `/api/jobs/${id}/stop`,
        headers: second.auth,
        payload: {},
      });
      expect(stopped.json()).toMatchObject({ status: 'stopped' });
    } finally {
      await first?.close();
      await second?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('a node Flink cannot run is refused at deploy, on that node, and nothing is submitted', async () => {
    const suffix = `r${Date.now()}`;
    await admin.createTopic(`orders-${suffix}`, 1);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: t.auth,
      payload: { pipeline: pipeline(suffix, 'preview') },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json() as { error: { message: string; details: { nodeId?: string }[] } };
    expect(body.error.message).toContain('The preview sink runs only on the embedded engine');
    expect(body.error.details).toContainEqual(expect.objectContaining({ nodeId: 'totals' }));
  });

  test('a cluster the server does not know is named in the refusal', async () => {
    const suffix = `u${Date.now()}`;
    await admin.createTopic(`orders-${suffix}`, 1);
    await admin.createTopic(`totals-${suffix}`, 1);
    const document = { ...pipeline(suffix), settings: { target: 'flink:elsewhere' } };
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: t.auth,
      payload: { pipeline: document },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain("the Flink cluster 'elsewhere'");
  });
});
