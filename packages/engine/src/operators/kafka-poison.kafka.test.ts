// Against a real broker: a message that cannot be decoded (here a value nested
// 20 000 deep, which once overflowed the stack) is dead-lettered and the job
// reads on; and the source's lag counts the records not yet read.
import type { Pipeline } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaAdmin, KafkaWriter } from '../io/kafka/client.js';
import { KafkaReader } from '../io/kafka/reader.js';
import { startJob } from '../runtime/job.js';

const bootstrap = inject('kafkaBootstrap');
let admin: KafkaAdmin;
let writer: KafkaWriter;

beforeAll(() => {
  admin = new KafkaAdmin({ bootstrap });
  writer = new KafkaWriter({ bootstrap, clientId: 'sluice-test-poison' });
});
afterAll(async () => {
  await writer.close();
  await admin.close();
});

const pipeline = (topic: string, deadLetterTopic?: string): Pipeline => ({
  format: 'sluice.pipeline/v1',
  name: 'Kafka poison',
  nodes: [
    {
      id: 'src',
      kind: 'source.kafka',
      config: {
        bootstrapServers: bootstrap,
        topics: [topic],
        group: `g-${topic}`,
        startFrom: 'earliest',
        format: 'json',
        schema: [
          { name: 'id', type: 'long' },
          { name: 'cat', type: 'string' },
          { name: 'ts', type: 'timestamp' },
        ],
        ...(deadLetterTopic ? { deadLetterTopic } : {}),
        eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
        commitInterval: '200ms',
      },
    },
    { id: 'bh', kind: 'sink.blackhole', config: {} },
  ],
  edges: [{ id: 'e1', source: 'src', target: 'bh' }],
});

const good = (id: number) => JSON.stringify({ id, cat: 'c', ts: '2026-01-01T00:00:00Z' });
const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

async function until(what: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

describe('a Kafka source and a poison message', () => {
  it('dead-letters a value nested 20 000 deep, reads every good one and commits past it', async () => {
    const topic = `poison-${Date.now()}`;
    await admin.createTopic(topic, 1);
    await admin.createTopic(`${topic}.dlq`, 1);
    const poison = `{"id":${deep(20_000)},"cat":"c","ts":"2026-01-01T00:00:00Z"}`;
    const values = [...Array(10).keys()].map(good);
    values.push(poison);
    for (let i = 11; i < 20; i++) values.push(good(i));
    writer.send(values.map((value) => ({ topic, value })));
    await writer.flush();

    const job = startJob(pipeline(topic, `${topic}.dlq`));
    const src = () => job.metrics().operators.find((o) => o.nodeId === 'src')!;
    try {
      await until(() => src().recordsOut >= 19 || job.metrics().status !== 'running', 30_000);
      expect(job.metrics().status).toBe('running');
      expect(src().recordsOut).toBe(19);
      expect(src().errors).toBe(1);
      expect(job.errors('src')[0]!.reason).toMatch(
        /^[^ ]+\/0@10: id: \{"a":\{"a":.*… is not a long$/,
      );
      // Give the commit interval time to pass.
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      await job.stop();
    }

    const dead = await admin.readAll(`${topic}.dlq`, 1, 30_000);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.value!.toString()).toBe(poison);
    const header = [...dead[0]!.headers].find(([k]) => k.toString() === 'sluice.error');
    expect(header?.[1].toString()).toMatch(/^id: \{"a":.*is not a long$/);

    // The group's position is past the poison message: the next member starts at offset 20.
    writer.send([{ topic, value: good(20) }]);
    await writer.flush();
    const next = new KafkaReader({
      bootstrap,
      clientId: 'sluice-test-poison-check',
      group: `g-${topic}`,
      topics: [topic],
      fallback: 'earliest',
    });
    try {
      let first: bigint | undefined;
      await until(() => {
        first ??= next.take(1)[0]?.offset;
        return first !== undefined;
      }, 20_000);
      expect(first).toBe(20n);
    } finally {
      await next.close();
    }
  });
});

describe('the lag of a Kafka source', () => {
  it('falls to 0 once the whole backlog is read', async () => {
    const topic = `lag-${Date.now()}`;
    await admin.createTopic(topic, 1);
    const count = 20_000;
    for (let i = 0; i < count; i += 5_000) {
      writer.send(Array.from({ length: 5_000 }, (_, j) => ({ topic, value: good(i + j) })));
    }
    await writer.flush();
    const job = startJob(pipeline(topic));
    const src = () => job.metrics().operators.find((o) => o.nodeId === 'src')!;
    try {
      await until(() => src().recordsOut >= count, 30_000);
      expect(src().recordsOut).toBe(count);
      await until(() => src().extra.lag === 0 && src().extra[`lag ${topic}:0`] === 0, 15_000);
      expect(src().extra.lag).toBe(0);
      expect(src().extra[`lag ${topic}:0`]).toBe(0);
    } finally {
      await job.stop();
    }
  });

  it('equals the number of records not yet read', async () => {
    const topic = `lag-left-${Date.now()}`;
    await admin.createTopic(topic, 1);
    writer.send(Array.from({ length: 1_000 }, (_, i) => ({ topic, value: good(i) })));
    await writer.flush();
    const reader = new KafkaReader({
      bootstrap,
      clientId: 'sluice-test-lag',
      group: `g-${topic}`,
      topics: [topic],
      fallback: 'earliest',
      lagIntervalMs: 200,
    });
    try {
      let taken = 0;
      await until(() => {
        taken += reader.take(300 - taken).length;
        return taken === 300;
      }, 20_000);
      expect(taken).toBe(300);
      const key = `${topic}:0`;
      await until(() => reader.lag().get(key) === 700, 10_000);
      expect(reader.lag().get(key)).toBe(700);
    } finally {
      await reader.close();
    }
  });
});
