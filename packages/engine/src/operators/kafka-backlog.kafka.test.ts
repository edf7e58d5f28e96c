// The adversarial run's case: a backlog far larger than one fetch, read by a
// job into the discard sink, must be read to the end (it used to stop at the
// first fetch's worth, about 10 MB, with no error).
import type { Pipeline } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaAdmin, KafkaWriter } from '../io/kafka/client.js';
import { startJob } from '../runtime/job.js';

const bootstrap = inject('kafkaBootstrap');
const COUNT = 400_000;
let admin: KafkaAdmin;

beforeAll(() => {
  admin = new KafkaAdmin({ bootstrap });
});
afterAll(() => admin.close());

const pipeline = (topic: string): Pipeline => ({
  format: 'sluice.pipeline/v1',
  name: 'Kafka backlog',
  nodes: [
    {
      id: 'events',
      kind: 'source.kafka',
      config: {
        bootstrapServers: bootstrap,
        topics: [topic],
        group: `g-${topic}`,
        startFrom: 'earliest',
        format: 'json',
        schema: [
          { name: 'id', type: 'long' },
          { name: 'name', type: 'string' },
        ],
      },
    },
    { id: 'discard', kind: 'sink.blackhole', config: {} },
  ],
  edges: [{ id: 'e1', source: 'events', target: 'discard' }],
});

describe('a Kafka source with a large backlog', () => {
  it('reads 400 000 messages of one partition into the discard sink, each once', async () => {
    const topic = `backlog-${Date.now()}`;
    await admin.createTopic(topic, 1);
    const writer = new KafkaWriter({ bootstrap, clientId: 'sluice-test-backlog' });
    try {
      // About 78 bytes each, the size of the adversarial run's records.
      for (let i = 0; i < COUNT; i += 10_000) {
        writer.send(
          Array.from({ length: 10_000 }, (_, j) => ({
            topic,
            value: JSON.stringify({
              id: i + j,
              name: `customer-${(i + j) % 977}-`.padEnd(50, 'x'),
            }),
          })),
        );
      }
      await writer.flush();
    } finally {
      await writer.close();
    }
    const job = startJob(pipeline(topic));
    const events = () => job.metrics().operators.find((o) => o.nodeId === 'events')!;
    try {
      const deadline = Date.now() + 60_000;
      while (events().recordsOut < COUNT && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      // Anything read twice would show up now.
      await new Promise((r) => setTimeout(r, 500));
      expect(events().recordsOut).toBe(COUNT);
      expect(events().errors).toBe(0);
      expect(job.metrics().status).toBe('running');
    } finally {
      await job.stop();
    }
  });
});
