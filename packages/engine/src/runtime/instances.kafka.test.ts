// A job run as two instances side by side, each with its share of a topic's
// partitions, against a real broker (scripts/kafka/global-setup.mjs): the
// same windows as one instance reading them all.
import type { Pipeline } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaAdmin, KafkaWriter } from '../io/kafka/client.js';
import { startJob } from './job.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

const bootstrap = inject('kafkaBootstrap');
const BASE = Date.parse('2024-05-01T10:00:00Z');
const PARTITIONS = 4;
const CATEGORIES = ['books', 'games', 'music', 'garden', 'toys', 'tools', 'food', 'art'];

/** Per category and minute, how many orders and their amounts: keyed by the message key. */
function pipeline(input: string, output: string, group: string): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Orders per category',
    nodes: [
      {
        id: 'orders',
        kind: 'source.kafka',
        config: {
          bootstrapServers: bootstrap,
          topics: [input],
          group,
          startFrom: 'earliest',
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

describe('a job in instances, against a real broker', () => {
  let admin: KafkaAdmin;
  let writer: KafkaWriter;

  beforeAll(() => {
    admin = new KafkaAdmin({ bootstrap });
    writer = new KafkaWriter({ bootstrap, clientId: 'sluice-test-instances' });
  });
  afterAll(async () => {
    await writer.close();
    await admin.close();
  });

  it('gives each instance its share of the partitions, and together they write what one does', async () => {
    const suffix = `i${Date.now()}`;
    const input = `orders-${suffix}`;
    await admin.createTopic(input, PARTITIONS);
    await admin.createTopic(`one-${suffix}`, 1);
    await admin.createTopic(`two-${suffix}`, 1);
    const messages = Array.from({ length: 2000 }, (_, i) => ({
      topic: input,
      key: CATEGORIES[(i * 7) % CATEGORIES.length]!,
      value: JSON.stringify({ amount: i % 100, ts: new Date(BASE + i * 500).toISOString() }),
    }));
    // Far ahead on every partition, so that every window before it fires.
    const end = JSON.stringify({ amount: 0, ts: new Date(BASE + 3_600_000).toISOString() });
    for (let partition = 0; partition < PARTITIONS; partition++) {
      messages.push({ topic: input, partition, key: 'end', value: end } as never);
    }
    writer.send(messages);
    await writer.flush();
    // Every category and minute of the orders (not the far one, whose window never closes).
    const expected = new Set(
      messages.slice(0, 2000).map((m, i) => `${m.key} ${Math.floor((i * 500) / 60_000)}`),
    ).size;

    const one = startJob(pipeline(input, `one-${suffix}`, `one-${suffix}`));
    const alone = await admin.readAll(`one-${suffix}`, expected, 60_000);
    await one.stop();

    // Instance 0 starts alone: the group gives it every partition, and it reads only its own.
    const perPartition = new Map<number, number>();
    for (const m of await admin.readAll(input, messages.length, 30_000)) {
      perPartition.set(m.partition, (perPartition.get(m.partition) ?? 0) + 1);
    }
    const share = (index: number) =>
      [...perPartition].filter(([p]) => p % 2 === index).reduce((n, [, c]) => n + c, 0);
    const start = (index: number) =>
      startJob(pipeline(input, `two-${suffix}`, `two-${suffix}`), {
        instance: { index, count: 2 },
        jobId: `two-${suffix}-${index}`,
      });
    const sourceOf = (job: ReturnType<typeof startJob>) =>
      job.metrics().operators.find((o) => o.nodeId === 'orders')!;
    const first = start(0);
    await expect.poll(() => sourceOf(first).recordsOut, { timeout: 30_000 }).toBe(share(0));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sourceOf(first).recordsOut).toBe(share(0));
    const two = [first, start(1)];
    const together = await admin.readAll(`two-${suffix}`, expected, 60_000);
    const read = two.map(sourceOf);
    await Promise.all(two.map((job) => job.stop()));

    const rows = (list: typeof alone) =>
      list.map((m) => m.value!.toString()).sort((a, b) => a.localeCompare(b));
    expect(alone).toHaveLength(expected);
    expect(rows(together)).toEqual(rows(alone));
    // Each instance read its own partitions only, and between them all of the messages.
    const lags = read.map((o) =>
      Object.keys(o.extra)
        .filter((k) => k.startsWith('lag '))
        .sort(),
    );
    expect(lags).toEqual([
      [`lag ${input}:0`, `lag ${input}:2`],
      [`lag ${input}:1`, `lag ${input}:3`],
    ]);
    expect(read.map((o) => o.recordsOut)).toEqual([share(0), share(1)]);
    expect(share(0) + share(1)).toBe(messages.length);
  });
});
