// The reader against a real broker: every message of a topic is handed out
// exactly once, whatever the backlog, the pace or the number of partitions.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaAdmin, type KafkaMessage, KafkaWriter } from './client.js';
import { KafkaReader } from './reader.js';

const bootstrap = inject('kafkaBootstrap');
let admin: KafkaAdmin;
let writer: KafkaWriter;

beforeAll(() => {
  admin = new KafkaAdmin({ bootstrap });
  writer = new KafkaWriter({ bootstrap, clientId: 'sluice-test-reader' });
});
afterAll(async () => {
  await writer.close();
  await admin.close();
});

let topics = 0;
async function topic(partitions: number): Promise<string> {
  const name = `reader-${Date.now()}-${topics++}`;
  await admin.createTopic(name, partitions);
  return name;
}

/** `count` JSON messages of about `bytes` bytes, numbered from `from`, spread over `partitions`. */
async function produce(name: string, from: number, count: number, bytes: number, partitions = 1) {
  const pad = 'x'.repeat(Math.max(0, bytes - 40));
  for (let i = from; i < from + count; i += 5_000) {
    const n = Math.min(5_000, from + count - i);
    writer.send(
      Array.from({ length: n }, (_, j) => ({
        topic: name,
        partition: (i + j) % partitions,
        value: JSON.stringify({ id: i + j, pad, t: 1_700_000_000_000 }),
      })),
    );
  }
  await writer.flush();
}

const open = (name: string, group = `g-${name}`) =>
  new KafkaReader({
    bootstrap,
    clientId: 'sluice-test',
    group,
    topics: [name],
    fallback: 'earliest',
  });

/** Reads until `count` messages have arrived, or nothing more came for `quietMs`. */
async function readUntil(
  reader: KafkaReader,
  count: number,
  quietMs: number,
  into: KafkaMessage[],
) {
  let lastAt = Date.now();
  while (into.length < count && Date.now() - lastAt < quietMs) {
    const batch = reader.take(1024);
    if (batch.length > 0) {
      for (const m of batch) into.push(m);
      lastAt = Date.now();
    } else await reader.waitForMessages(100);
  }
}

/** Every id from 0 to count-1 once, and no message twice. */
function expectEachOnce(messages: readonly KafkaMessage[], count: number) {
  const ids = new Set<number>();
  const places = new Set<string>();
  for (const m of messages) {
    ids.add((JSON.parse(m.value!.toString()) as { id: number }).id);
    places.add(`${m.partition}@${m.offset}`);
  }
  expect(places.size, 'distinct messages').toBe(messages.length);
  expect(ids.size, 'distinct ids').toBe(count);
  expect(messages.length).toBe(count);
}

describe('KafkaReader, against a real broker', () => {
  it('reads a backlog of 400 000 small messages on one partition to the end', async () => {
    const name = await topic(1);
    await produce(name, 0, 400_000, 78);
    const reader = open(name);
    const out: KafkaMessage[] = [];
    try {
      await readUntil(reader, 400_000, 10_000, out);
    } finally {
      await reader.close();
    }
    expectEachOnce(out, 400_000);
  });

  it('reads a backlog of larger messages (285 bytes) to the end', async () => {
    const name = await topic(1);
    await produce(name, 0, 100_000, 285);
    const reader = open(name);
    const out: KafkaMessage[] = [];
    try {
      await readUntil(reader, 100_000, 10_000, out);
    } finally {
      await reader.close();
    }
    expectEachOnce(out, 100_000);
  });

  it('keeps reading bursts that come with pauses between them', async () => {
    const name = await topic(1);
    const reader = open(name);
    const out: KafkaMessage[] = [];
    try {
      for (let burst = 0; burst < 5; burst++) {
        await produce(name, burst * 5_000, 5_000, 78);
        await readUntil(reader, (burst + 1) * 5_000, 10_000, out);
        // The pause: the reader waits on an empty partition.
        await readUntil(reader, Number.POSITIVE_INFINITY, 1_500, out);
      }
    } finally {
      await reader.close();
    }
    expectEachOnce(out, 25_000);
  });

  it('reads every partition of a topic with many', async () => {
    const name = await topic(12);
    await produce(name, 0, 60_000, 78, 12);
    const reader = open(name);
    const out: KafkaMessage[] = [];
    try {
      await readUntil(reader, 60_000, 10_000, out);
    } finally {
      await reader.close();
    }
    expectEachOnce(out, 60_000);
    expect(new Set(out.map((m) => m.partition)).size).toBe(12);
  });

  it('resumes after a restart from the committed position, with a backlog behind it', async () => {
    const name = await topic(1);
    await produce(name, 0, 200_000, 78);
    const group = `g-${name}-restart`;
    const first = open(name, group);
    const out: KafkaMessage[] = [];
    try {
      await readUntil(first, 50_000, 10_000, out);
      out.length = 50_000; // What was read past this point is read again by the next member.
      await first.commit([{ topic: name, partition: 0, offset: out.at(-1)!.offset + 1n }]);
    } finally {
      await first.close();
    }
    const second = open(name, group);
    try {
      await readUntil(second, 200_000, 10_000, out);
    } finally {
      await second.close();
    }
    expectEachOnce(out, 200_000);
  });

  it("starts from given offsets, not the group's commit; partitions without one start at the fallback", async () => {
    const name = await topic(3);
    await produce(name, 0, 30, 40, 3);
    const group = `g-${name}-start`;
    const committer = open(name, group);
    try {
      await readUntil(committer, 30, 5_000, []);
      await committer.commit(
        [0, 1, 2].map((partition) => ({ topic: name, partition, offset: 8n })),
      );
    } finally {
      await committer.close();
    }
    const restored = new KafkaReader({
      bootstrap,
      clientId: 'sluice-test',
      group,
      topics: [name],
      fallback: 'earliest',
      start: [
        { topic: name, partition: 0, offset: 2n },
        { topic: name, partition: 1, offset: 5n },
      ],
    });
    const out: KafkaMessage[] = [];
    try {
      // Before anything is read, the position is where reading starts.
      expect(restored.position()).toEqual([
        { topic: name, partition: 0, offset: 2n },
        { topic: name, partition: 1, offset: 5n },
      ]);
      await readUntil(restored, 8 + 5 + 10, 5_000, out);
      const first = (partition: number) => out.find((m) => m.partition === partition)?.offset;
      expect([first(0), first(1), first(2)]).toEqual([2n, 5n, 0n]);
      expect(out).toHaveLength(8 + 5 + 10);
      expect(restored.position().sort((a, b) => a.partition - b.partition)).toEqual(
        [0, 1, 2].map((partition) => ({ topic: name, partition, offset: 10n })),
      );
    } finally {
      await restored.close();
    }
  });
});
