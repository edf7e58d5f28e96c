// The fault suite's reader sees exactly the committed records, in the cases
// where @platformatic/kafka's read_committed filter lets aborted ones
// through: several aborted transactions of one producer, and one aborted
// transaction larger than a fetch. Transactions are written with
// @platformatic/kafka itself (the engine's own dependency).
import { Producer } from '@platformatic/kafka';
import { KafkaAdmin } from '@sluice/engine';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { committedRecords } from '../../../../scripts/kafka/committed-records.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

const bootstrap = inject('kafkaBootstrap');
// Without it the library asks for the producer id 0, and a second producer with the id is refused.
const INIT = { producerId: -1n, producerEpoch: -1 };
let admin: KafkaAdmin;
let producer: Producer;

beforeAll(() => {
  admin = new KafkaAdmin({ bootstrap, clientId: 'sluice-test-committed-records' });
  producer = new Producer({
    clientId: 'sluice-test-committed-records',
    bootstrapBrokers: [bootstrap],
    idempotent: true,
    transactionalId: `sluice-test-committed-records-${Date.now()}`,
    timeout: 60_000,
  });
});
afterAll(async () => {
  await producer?.close();
  await admin?.close();
});

/** One transaction of `values` to partition 0, committed or aborted. */
async function transaction(topic: string, values: string[], commit: boolean) {
  const tx = await producer.beginTransaction(INIT);
  // One send per record, each awaited: a commit does not wait for sends in flight.
  for (const value of values)
    await tx.send({
      messages: [{ topic, partition: 0, key: Buffer.from('k'), value: Buffer.from(value) }],
    });
  if (commit) await tx.commit();
  else await tx.abort();
}

describe('committedRecords', () => {
  it('reads committed records in order and none of aborted transactions', async () => {
    const topic = `committed-records-${Date.now()}`;
    await admin.createTopic(topic, 1);
    await transaction(topic, ['c1', 'c2'], true);
    await transaction(topic, ['aborted-1'], false);
    await transaction(topic, ['aborted-2'], false);
    await transaction(topic, ['c3'], true);
    // About 200 KiB: more than one fetch of the partition.
    const big = Array.from({ length: 100 }, (_, i) => `aborted-big-${i}-${'x'.repeat(2_000)}`);
    await transaction(topic, big, false);
    await transaction(topic, ['c4'], true);

    const got = await committedRecords(bootstrap, topic, {
      expected: 4,
      quietMs: 1_000,
      timeoutMs: 30_000,
    });
    expect(got.map((r) => r.value)).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(got.every((r) => r.partition === 0 && r.key === 'k')).toBe(true);
    // The offsets are the log's: the aborted records and the markers are between them.
    const offsets = got.map((r) => r.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(offsets.at(-1)! - offsets[0]!).toBeGreaterThan(100);
  });
});
