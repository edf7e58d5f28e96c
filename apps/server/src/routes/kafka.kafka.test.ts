// The Kafka routes against a real broker (started by scripts/kafka/global-setup.mjs).
import { KafkaAdmin, KafkaWriter } from '@sluice/engine';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type TestApp, testApp } from '../testing/app.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

const bootstrap = inject('kafkaBootstrap');
const TOPIC = `orders-api-${process.pid}-${Date.now()}`;
const BASE = Date.parse('2024-05-01T10:00:00Z');

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ kafkaBootstrap: bootstrap });
  const admin = new KafkaAdmin({ bootstrap });
  await admin.createTopic(TOPIC, 2);
  await admin.close();
  const writer = new KafkaWriter({ bootstrap, clientId: 'sluice-test-api' });
  writer.send(
    Array.from({ length: 30 }, (_, i) => ({
      topic: TOPIC,
      key: `c${i % 4}`,
      value: JSON.stringify({
        order_id: i,
        customer: `c${i % 4}`,
        amount: i % 3 === 0 ? i : i + 0.5,
        ts: new Date(BASE + i * 1000).toISOString(),
        meta: { source: 'test' },
      }),
    })),
  );
  await writer.flush();
  await writer.close();
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.auth });

describe('Kafka routes, against a real broker', () => {
  it('list topics with partitions and message counts', async () => {
    const res = await get(`/api/kafka/topics?bootstrap=${encodeURIComponent(bootstrap)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toContainEqual({ name: TOPIC, partitions: 2, messages: 30 });
    // The server's default cluster, when the request names none.
    expect((await get('/api/kafka/topics')).json()).toContainEqual({
      name: TOPIC,
      partitions: 2,
      messages: 30,
    });
  });

  it('sample a topic and infer its schema', async () => {
    const res = await get(`/api/kafka/topics/${TOPIC}/sample?limit=8`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.messages).toHaveLength(8);
    expect(body.messages[0]).toMatchObject({
      key: expect.stringMatching(/^c\d$/),
      truncated: false,
    });
    expect(body.inferred).toEqual({
      format: 'json',
      fields: [
        { name: 'order_id', type: 'long' },
        { name: 'customer', type: 'string' },
        { name: 'amount', type: 'double' },
        { name: 'ts', type: 'timestamp' },
      ],
      eventTimeField: 'ts',
      skipped: [{ name: 'meta', reason: expect.stringMatching(/nested/) }],
      sampled: 8,
      unreadable: 0,
    });
  });

  it('answer 404 for a topic the cluster does not have', async () => {
    const res = await get('/api/kafka/topics/no-such-topic-here/sample');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'not-found' });
    expect(res.json().error.message).toContain('no-such-topic-here');
  });

  it('checks a Kafka source’s topics before a deploy: a missing one is refused on its node', async () => {
    const pipeline = (topics: string[]) => ({
      format: 'sluice.pipeline/v1',
      name: 'Kafka preflight',
      nodes: [
        {
          id: 'orders',
          kind: 'source.kafka',
          config: {
            bootstrapServers: bootstrap,
            topics,
            group: 'sluice-preflight-test',
            format: 'json',
            schema: [{ name: 'order_id', type: 'long' }],
          },
        },
        { id: 'out', kind: 'sink.preview', config: { capacity: 10 } },
      ],
      edges: [{ id: 'e', source: 'orders', target: 'out' }],
    });
    const check = (topics: string[]) =>
      t.app.inject({
        method: 'POST',
        url: '/api/pipelines/preflight',
        headers: t.auth,
        payload: pipeline(topics),
      });
    const fine = await check([TOPIC]);
    expect(fine.statusCode, fine.body).toBe(200);
    expect(fine.json()).toEqual({ ready: true, diagnostics: [] });

    const missing = await check([TOPIC, 'no-such-topic-here']);
    expect(missing.json()).toEqual({
      ready: false,
      diagnostics: [
        expect.objectContaining({
          severity: 'error',
          code: 'kafka-topic-missing',
          nodeId: 'orders',
          path: 'nodes[0].config.topics[1]',
          message: expect.stringContaining("The topic 'no-such-topic-here' does not exist"),
        }),
      ],
    });
    const deploy = await t.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: t.auth,
      payload: { pipeline: pipeline(['no-such-topic-here']) },
    });
    expect(deploy.statusCode).toBe(400);
    expect(deploy.json().error.details).toEqual([
      expect.objectContaining({ code: 'kafka-topic-missing', nodeId: 'orders' }),
    ]);
    const jobs = await get('/api/jobs');
    expect(jobs.json()).toEqual([]);
  });
});
