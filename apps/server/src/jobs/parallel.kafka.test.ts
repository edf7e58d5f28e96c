// A pipeline with settings.parallelism 2, deployed through the API against a
// real broker (scripts/kafka/global-setup.mjs): two workers shown as one job
// — the same windows as one instance, metrics summed with each instance's
// partitions, a savepoint per instance resumed together, and one instance's
// failure failing the job.
import { KafkaAdmin, KafkaWriter, listTopics } from '@sluice/engine';
import type { JobDetail, Pipeline, PipelineSettings } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type TestApp, testApp } from '../testing/app.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

const bootstrap = inject('kafkaBootstrap');
const BASE = Date.parse('2024-05-01T10:00:00Z');
const PARTITIONS = 4;
const ORDERS = 2000;
const CATEGORIES = ['books', 'games', 'music', 'garden', 'toys', 'tools', 'food', 'art'];

function pipeline(input: string, output: string, settings: PipelineSettings): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Orders per category',
    settings,
    nodes: [
      {
        id: 'orders',
        kind: 'source.kafka',
        config: {
          bootstrapServers: bootstrap,
          topics: [input],
          group: `g-${output}`,
          format: 'json',
          schema: [
            { name: 'amount', type: 'double' },
            { name: 'ts', type: 'timestamp' },
          ],
          keyField: 'category',
          eventTime: { field: 'ts', maxOutOfOrderness: '5s' },
        },
      },
      {
        id: 'per_category',
        kind: 'window.aggregate',
        config: {
          window: { type: 'tumbling', size: '1m' },
          groupBy: ['category'],
          aggregates: [
            { name: 'orders', fn: 'count' },
            { name: 'revenue', fn: 'sum', expr: 'amount' },
          ],
        },
      },
      {
        id: 'totals',
        kind: 'sink.kafka',
        config: {
          bootstrapServers: bootstrap,
          topic: output,
          keyField: 'category',
          format: 'json',
        },
      },
    ],
    edges: [
      { id: 'e1', source: 'orders', target: 'per_category' },
      { id: 'e2', source: 'per_category', target: 'totals' },
    ],
  };
}

let t: TestApp;
let admin: KafkaAdmin;
let writer: KafkaWriter;

beforeAll(async () => {
  t = await testApp();
  admin = new KafkaAdmin({ bootstrap });
  writer = new KafkaWriter({ bootstrap, clientId: 'sluice-test-parallel' });
});
afterAll(async () => {
  await t?.close();
  await writer?.close();
  await admin?.close();
});

async function post(url: string, payload: unknown) {
  return t.app.inject({ method: 'POST', url, headers: t.auth, payload: payload as object });
}

async function deploy(p: Pipeline): Promise<string> {
  const res = await post('/api/jobs', { pipeline: p });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function detail(id: string): Promise<JobDetail> {
  const res = await t.app.inject({ url: `/api/jobs/${id}`, headers: t.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Orders over 4 partitions by category, then a far-off order on every partition so all windows fire. */
async function writeOrders(topic: string, from: number, to: number, closing: boolean) {
  const messages: { topic: string; key: string; value: string; partition?: number }[] = [];
  for (let i = from; i < to; i++) {
    messages.push({
      topic,
      key: CATEGORIES[(i * 7) % CATEGORIES.length]!,
      value: JSON.stringify({ amount: i % 100, ts: new Date(BASE + i * 500).toISOString() }),
    });
  }
  if (closing) {
    const end = JSON.stringify({ amount: 0, ts: new Date(BASE + 3_600_000).toISOString() });
    for (let partition = 0; partition < PARTITIONS; partition++) {
      messages.push({ topic, partition, key: 'end', value: end });
    }
  }
  writer.send(messages);
  await writer.flush();
}

/** Every category and minute of orders [0, to). */
function windowsUpTo(to: number): number {
  const seen = new Set<string>();
  for (let i = 0; i < to; i++) {
    seen.add(`${CATEGORIES[(i * 7) % CATEGORIES.length]} ${Math.floor((i * 500) / 60_000)}`);
  }
  return seen.size;
}

const sorted = (list: { value?: Buffer | null }[]) =>
  list.map((m) => m.value!.toString()).sort((a, b) => a.localeCompare(b));

describe('a job of two instances, through the API', () => {
  it('writes what one instance writes, shows as one job with each instance’s partitions, and resumes both from their savepoints', async () => {
    const suffix = `p${Date.now()}`;
    const input = `orders-${suffix}`;
    await admin.createTopic(input, PARTITIONS);
    for (const out of ['one', 'two']) await admin.createTopic(`${out}-${suffix}`, 1);
    const expected = windowsUpTo(ORDERS);
    // The first half now; the rest after the two instances were stopped and resumed.
    await writeOrders(input, 0, ORDERS / 2, false);

    const two = await deploy(pipeline(input, `two-${suffix}`, { parallelism: 2 }));
    await expect
      .poll(async () => (await detail(two)).metrics?.recordsIn, { timeout: 60_000 })
      .toBe(ORDERS / 2);
    const running = (await detail(two)).metrics!;
    expect(running.instances?.map((i) => i.partitions)).toEqual([
      [`${input}:0`, `${input}:2`],
      [`${input}:1`, `${input}:3`],
    ]);
    expect(running.instances!.reduce((n, i) => n + i.recordsIn, 0)).toBe(ORDERS / 2);
    const source = running.operators.find((o) => o.nodeId === 'orders')!;
    expect(Object.keys(source.extra).filter((k) => k.startsWith('lag '))).toHaveLength(PARTITIONS);

    const stopped = await post(`/api/jobs/${two}/stop`, { savepoint: true });
    expect(stopped.statusCode, stopped.body).toBe(200);
    const savepoint = (await detail(two)).savepoint;
    expect(savepoint?.instances).toHaveLength(2);
    expect(savepoint?.id).toBe(savepoint?.instances?.[0]);

    await writeOrders(input, ORDERS / 2, ORDERS, true);
    const resumed = await post(`/api/jobs/${two}/resume`, {});
    expect(resumed.statusCode, resumed.body).toBe(200);
    const together = await admin.readAll(`two-${suffix}`, expected, 60_000);
    const after = await detail(two);
    expect(after.restoredFrom?.id).toBe(savepoint?.id);
    // Resumed where each instance stopped (its counts carried on): every message read once.
    await expect
      .poll(async () => (await detail(two)).metrics?.recordsIn, { timeout: 30_000 })
      .toBe(ORDERS + PARTITIONS);
    await post(`/api/jobs/${two}/stop`, {});

    const one = await deploy(pipeline(input, `one-${suffix}`, {}));
    const alone = await admin.readAll(`one-${suffix}`, expected, 60_000);
    expect((await detail(one)).metrics?.instances).toBeUndefined();
    await post(`/api/jobs/${one}/stop`, {});

    expect(alone).toHaveLength(expected);
    expect(sorted(together)).toEqual(sorted(alone));
  });

  it('fails as a whole when one instance fails, saying which, and stops the other', async () => {
    const suffix = `f${Date.now()}`;
    const input = `orders-${suffix}`;
    await admin.createTopic(input, PARTITIONS);
    await admin.createTopic(`out-${suffix}`, 1);
    // Bad records on partition 1 only: instance 2 of 2 reads it, and its error budget is 0.
    writer.send([
      { topic: input, partition: 1, key: 'books', value: '{"amount": "not a number"' },
      {
        topic: input,
        partition: 0,
        key: 'books',
        value: '{"amount": 1, "ts": "2024-05-01T10:00:00Z"}',
      },
    ]);
    await writer.flush();
    const id = await deploy(
      pipeline(input, `out-${suffix}`, {
        parallelism: 2,
        errorBudget: { maxErrors: 0, per: '1m' },
      }),
    );
    await expect.poll(async () => (await detail(id)).status, { timeout: 60_000 }).toBe('failed');
    const failed = await detail(id);
    expect(failed.failure?.message).toMatch(/^Instance 2 of 2: /);
    // Instance 1 may have been stopped before it started reading: then it has no figures.
    const statuses = new Map(failed.metrics?.instances?.map((i) => [i.index, i.status]));
    expect(statuses.get(1)).toBe('failed');
    expect(statuses.get(0) ?? 'stopped').toBe('stopped');
  });

  it('refuses a split the results would not survive, with the step and the reason', async () => {
    const p = pipeline('any', 'any', { parallelism: 2 });
    const byAmount = {
      ...p,
      nodes: p.nodes.map((n) =>
        n.id === 'per_category' ? { ...n, config: { ...n.config, groupBy: ['amount'] } } : n,
      ),
    };
    const res = await post('/api/jobs', { pipeline: byAmount });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('parallel.not-partitioned');
    expect(res.body).toContain("Window aggregate 'per_category' keeps state per key");
  });

  it('refuses topics of different partition counts, and an upgrade to another number of instances', async () => {
    const suffix = `c${Date.now()}`;
    await admin.createTopic(`four-${suffix}`, 4);
    await admin.createTopic(`six-${suffix}`, 6);
    await admin.createTopic(`out-${suffix}`, 1);
    // Until the cluster's metadata has them with all their partitions.
    await expect
      .poll(
        async () =>
          (await listTopics(bootstrap))
            .filter((t) => t.name.endsWith(suffix))
            .map((t) => `${t.name} ${t.partitions}`)
            .sort(),
        { timeout: 30_000 },
      )
      .toEqual([`four-${suffix} 4`, `out-${suffix} 1`, `six-${suffix} 6`]);
    const both = pipeline(`four-${suffix}`, `out-${suffix}`, { parallelism: 2 });
    const source = both.nodes[0]!;
    const twoTopics = {
      ...both,
      nodes: [
        { ...source, config: { ...source.config, topics: [`four-${suffix}`, `six-${suffix}`] } },
        ...both.nodes.slice(1),
      ],
    };
    const refused = await post('/api/jobs', { pipeline: twoTopics });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('parallel.partitions-differ');
    expect(refused.body).toContain(`'four-${suffix}' has 4, 'six-${suffix}' has 6`);

    const id = await deploy(both);
    // The plan says so before anything is done.
    const plan = await post(`/api/jobs/${id}/plan`, {
      pipeline: { ...both, settings: { parallelism: 3 } },
    });
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json().notes).toContainEqual(
      expect.stringContaining('The job runs as 2 instances and the new version as 3'),
    );
    const upgraded = await post(`/api/jobs/${id}/upgrade`, {
      pipeline: { ...both, settings: { parallelism: 3 } },
      keepState: true,
    });
    expect(upgraded.statusCode).toBe(409);
    expect(upgraded.body).toContain('The job runs as 2 instances and the new version as 3');
    // Refused before anything was stopped: the job runs on.
    expect((await detail(id)).status).toBe('running');
    await post(`/api/jobs/${id}/stop`, {});
  });
});
