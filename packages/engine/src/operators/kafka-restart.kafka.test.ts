// A broker that stops and starts again mid-job, and one that stays down: the
// source and the sink reconnect, the canvas is told, and nothing hangs.
// The broker under test is a private one (the run's shared broker keeps the output).
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Pipeline } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaAdmin, KafkaWriter } from '../io/kafka/client.js';
import { KafkaReader } from '../io/kafka/reader.js';
import { type Job, startJob } from '../runtime/job.js';

interface Broker {
  readonly bootstrap: string;
  readonly logDir: string;
  stop(options?: { keepData?: boolean }): Promise<void>;
}
type StartBroker = (options?: { dir?: string }) => Promise<Broker>;

const bootstrap = inject('kafkaBootstrap');
const BROKER_SCRIPT = pathToFileURL(
  join(resolve(import.meta.dirname, '../../../..'), 'scripts/kafka/broker.mjs'),
).href;
let startBroker: StartBroker;
let broker: Broker;
let output: KafkaAdmin;

beforeAll(async () => {
  ({ startBroker } = (await import(BROKER_SCRIPT)) as { startBroker: StartBroker });
  broker = await startBroker();
  output = new KafkaAdmin({ bootstrap });
});
afterAll(async () => {
  await broker?.stop();
  await output?.close();
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await wait(100);
  }
}

function pipeline(input: string, out: string, unreachableTimeout: string): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Kafka through a broker restart',
    nodes: [
      {
        id: 'events',
        kind: 'source.kafka',
        config: {
          bootstrapServers: broker.bootstrap,
          topics: [input],
          group: `g-${input}`,
          startFrom: 'earliest',
          format: 'json',
          schema: [{ name: 'id', type: 'long' }],
          commitInterval: '500ms',
          unreachableTimeout,
        },
      },
      {
        id: 'copy',
        kind: 'sink.kafka',
        config: { bootstrapServers: bootstrap, topic: out, format: 'json' },
      },
    ],
    edges: [{ id: 'e1', source: 'events', target: 'copy' }],
  };
}

const source = (job: Job) => job.metrics().operators.find((o) => o.nodeId === 'events')!;

describe('Kafka through a broker restart', () => {
  it('reconnects after the broker comes back, says so meanwhile, and loses nothing', async () => {
    const input = `restart-${Date.now()}`;
    const out = `${input}-out`;
    const admin = new KafkaAdmin({ bootstrap: broker.bootstrap });
    await admin.createTopic(input, 3);
    await admin.close();
    await output.createTopic(out, 1);
    const producer = new KafkaWriter({
      bootstrap: broker.bootstrap,
      clientId: 'sluice-test-restart',
    });
    const send = async (from: number, count: number) => {
      producer.send(
        Array.from({ length: count }, (_, i) => ({
          topic: input,
          partition: (from + i) % 3,
          value: JSON.stringify({ id: from + i }),
        })),
      );
      await producer.flush();
    };
    await send(0, 3_000);
    const job = startJob(pipeline(input, out, '2m'));
    try {
      await until('the first part is read', () => source(job).recordsOut >= 3_000);
      await broker.stop({ keepData: true });
      // While the broker is down the node says so, and the job keeps running.
      await until('the source says Kafka is unreachable', () =>
        Boolean(source(job).condition?.includes('is unreachable')),
      );
      expect(job.metrics().status).toBe('running');
      broker = await startBroker({ dir: broker.logDir });
      await send(3_000, 20_700);
      await until('every message is read', () => source(job).recordsOut >= 23_700, 90_000);
      expect(source(job).condition).toBeUndefined();
      const copied = await output.readAll(out, 23_700, 60_000);
      const ids = copied.map((m) => (JSON.parse(m.value!.toString()) as { id: number }).id);
      expect(new Set(ids).size).toBe(23_700);
      // The source hands each message out once, also across the reconnection.
      expect(source(job).recordsOut).toBe(23_700);
      expect(ids.length).toBe(23_700);
      // Positions are saved again after the reconnection: a stop commits up to the end.
      expect((await job.stop()).status).toBe('stopped');
      const after = await KafkaReader.open({
        bootstrap: broker.bootstrap,
        clientId: 'sluice-test-after',
        group: `g-${input}`,
        topics: [input],
        fallback: 'earliest',
      });
      try {
        await after.waitForMessages(2_000);
        expect(after.take(100)).toEqual([]);
      } finally {
        await after.close();
      }
    } finally {
      await job.stop();
      await producer.close();
    }
  });

  it('fails the job, naming the source, when the broker stays away past the timeout', async () => {
    const input = `down-${Date.now()}`;
    const admin = new KafkaAdmin({ bootstrap: broker.bootstrap });
    await admin.createTopic(input, 1);
    await admin.close();
    const job = startJob(pipeline(input, `${input}-out`, '3s'));
    try {
      await until('the source has joined', () => job.metrics().status === 'running');
      await wait(1_000);
      await broker.stop({ keepData: true });
      const result = await Promise.race([job.done, wait(60_000).then(() => undefined)]);
      expect(result?.status).toBe('failed');
      expect(job.failure?.nodeId).toBe('events');
      expect(job.failure?.message).toMatch(
        new RegExp(`Kafka at ${broker.bootstrap} was unreachable for 3 s`),
      );
    } finally {
      await job.stop();
      broker = await startBroker({ dir: broker.logDir });
    }
  });

  it('the sink writes what it was given while the broker was down, once it is back', async () => {
    const topic = `sink-${Date.now()}`;
    const admin = new KafkaAdmin({ bootstrap: broker.bootstrap });
    await admin.createTopic(topic, 1);
    const writer = new KafkaWriter({ bootstrap: broker.bootstrap, clientId: 'sluice-test-sink' });
    try {
      writer.send([{ topic, value: 'before' }]);
      await writer.flush();
      await broker.stop({ keepData: true });
      writer.send(Array.from({ length: 1_000 }, (_, i) => ({ topic, value: `during ${i}` })));
      await wait(2_000);
      expect(writer.condition()).toMatch(/is unreachable/);
      broker = await startBroker({ dir: broker.logDir });
      await writer.flush();
      const written = (await admin.readAll(topic, 1_001, 30_000)).map((m) => m.value!.toString());
      expect(new Set(written).size).toBe(1_001);
    } finally {
      await writer.close();
      await admin.close();
    }
  });

  it('the sink fails with a clear message when the broker stays away past the timeout', async () => {
    const topic = `sink-down-${Date.now()}`;
    const admin = new KafkaAdmin({ bootstrap: broker.bootstrap });
    await admin.createTopic(topic, 1);
    await admin.close();
    const writer = new KafkaWriter({
      bootstrap: broker.bootstrap,
      clientId: 'sluice-test-sink-down',
      unreachableTimeoutMs: 3_000,
    });
    await broker.stop({ keepData: true });
    try {
      writer.send([{ topic, value: 'lost' }]);
      await expect(writer.flush()).rejects.toThrow(
        `Kafka at ${broker.bootstrap} was unreachable for 3 s; 1 messages were not written`,
      );
    } finally {
      broker = await startBroker({ dir: broker.logDir });
      await writer.close();
    }
  });
});
