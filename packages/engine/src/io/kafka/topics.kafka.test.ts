// Browsing a real broker (started by scripts/kafka/global-setup.mjs): topic
// sizes, the latest messages, and the errors a user can meet.
import { Admin } from '@platformatic/kafka';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaAdmin, KafkaWriter } from './client.js';
import { KafkaBrowseError, listTopics, sampleTopic } from './topics.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

const bootstrap = inject('kafkaBootstrap');
const run = `${process.pid}-${Date.now()}`;
const TOPIC = `browse-${run}`;
const EMPTY = `browse-empty-${run}`;

describe('listTopics and sampleTopic, against a real broker', () => {
  beforeAll(async () => {
    const admin = new KafkaAdmin({ bootstrap });
    await admin.createTopic(TOPIC, 3);
    await admin.createTopic(EMPTY, 2);
    await admin.close();
    const writer = new KafkaWriter({ bootstrap, clientId: 'sluice-test-browse' });
    // Keys spread the 60 messages over the 3 partitions; timestamps say which came last.
    for (let i = 0; i < 60; i++) {
      writer.send([{ topic: TOPIC, key: `k${i % 7}`, value: JSON.stringify({ n: i }) }]);
      if (i % 10 === 9) await writer.flush();
    }
    await writer.flush();
    await writer.close();
  });

  it('lists topics with partitions and message counts, without internal topics', async () => {
    const topics = await listTopics(bootstrap);
    expect(topics.find((t) => t.name === TOPIC)).toEqual({
      name: TOPIC,
      partitions: 3,
      messages: 60,
    });
    expect(topics.find((t) => t.name === EMPTY)).toEqual({
      name: EMPTY,
      partitions: 2,
      messages: 0,
    });
    expect(topics.some((t) => t.name.startsWith('__'))).toBe(false);
    const names = topics.map((t) => t.name);
    expect(names).toEqual([...names].sort());
  });

  it('samples the latest messages, newest first, and leaves no consumer group', async () => {
    const sample = await sampleTopic(bootstrap, TOPIC, { limit: 10 });
    expect(sample).toHaveLength(10);
    for (const m of sample) {
      expect(m.key).toMatch(/^k\d$/);
      expect(m.truncated).toBe(false);
      expect(m.partition).toBeGreaterThanOrEqual(0);
    }
    const timestamps = sample.map((m) => m.timestamp);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => b - a));
    // The newest batch (messages 50–59) is all there: nothing older wins a tie.
    const numbers = sample.map((m) => (JSON.parse(m.value!) as { n: number }).n);
    expect(Math.min(...numbers)).toBeGreaterThanOrEqual(40);
    expect(numbers).toContain(59);
    const admin = new Admin({ clientId: 'sluice-test', bootstrapBrokers: [bootstrap] });
    const groups = await admin.listGroups();
    await admin.close();
    expect([...groups.keys()].filter((g) => g.includes('sample'))).toEqual([]);
  });

  it('samples fewer messages when the topic holds fewer, and none from an empty topic', async () => {
    expect(await sampleTopic(bootstrap, TOPIC, { limit: 200 })).toHaveLength(60);
    expect(await sampleTopic(bootstrap, EMPTY, { limit: 5 })).toEqual([]);
  });

  it('says a topic is unknown, without creating it', async () => {
    const missing = `missing-${run}`;
    const error = await sampleTopic(bootstrap, missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaBrowseError);
    expect(error).toMatchObject({ reason: 'unknown-topic' });
    expect((error as Error).message).toContain(missing);
    expect((await listTopics(bootstrap)).some((t) => t.name === missing)).toBe(false);
  });

  it('fails within its timeout when nothing listens', async () => {
    const started = Date.now();
    const error = await listTopics('127.0.0.1:1', { timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'unreachable' });
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
