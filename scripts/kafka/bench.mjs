#!/usr/bin/env node
// `npm run bench:kafka [-- --messages 1000000 --bootstrap host:port]`: produces
// and then consumes N small JSON messages (about 60 bytes) on a local broker
// with the client Sluice uses (@platformatic/kafka), and prints the rates.
// Without --bootstrap it starts its own broker (scripts/kafka/broker.mjs).
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Admin, Consumer, ProduceAcks, Producer } from '@platformatic/kafka';
import { startBroker } from './broker.mjs';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    bootstrap: { type: 'string' },
    batch: { type: 'string', default: '16384' },
    partitions: { type: 'string', default: '3' },
  },
});
const total = Number(values.messages);
const batchSize = Number(values.batch);
const broker = values.bootstrap ? undefined : await startBroker();
const bootstrap = values.bootstrap ?? broker.bootstrap;
const topic = `bench-${Date.now()}`;
const brokers = [bootstrap];

try {
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: brokers });
  await admin.createTopics({ topics: [topic], partitions: Number(values.partitions), replicas: 1 });
  await admin.close();

  const producer = new Producer({
    clientId: 'bench-producer',
    bootstrapBrokers: brokers,
    acks: ProduceAcks.ALL,
    idempotent: true,
  });
  let started = performance.now();
  const inFlight = new Set();
  for (let sent = 0; sent < total; sent += batchSize) {
    const messages = [];
    for (let i = sent; i < Math.min(total, sent + batchSize); i++) {
      messages.push({
        topic,
        key: Buffer.from(`k${i % 100}`),
        value: Buffer.from(
          `{"id":${i},"category":"books","amount":12.5,"ts":${1714557600000 + i}}`,
        ),
      });
    }
    const p = producer.send({ messages }).finally(() => inFlight.delete(p));
    inFlight.add(p);
    // An idempotent producer needs its requests to arrive in order: one at a time.
    await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const produceMs = performance.now() - started;
  await producer.close();

  const consumer = new Consumer({
    clientId: 'bench-consumer',
    groupId: `bench-${Date.now()}`,
    bootstrapBrokers: brokers,
    autocommit: false,
  });
  started = performance.now();
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', highWaterMark: 4096 });
  let received = 0;
  for await (const _ of stream) {
    if (++received >= total) break;
  }
  const consumeMs = performance.now() - started;
  await stream.close().catch(() => {});
  await new Promise((resolve) => consumer.close(true, resolve));

  const rate = (ms) => Math.round(total / (ms / 1000)).toLocaleString('en-US');
  console.log(
    `Kafka ${broker?.version ?? '(external)'} at ${bootstrap}; ${total} messages of ~70 bytes`,
  );
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  );
  console.log(
    `produce (acks=all, idempotent, batches of ${batchSize}): ${(produceMs / 1000).toFixed(2)} s, ${rate(produceMs)} msg/s`,
  );
  console.log(
    `consume (one consumer, ${values.partitions} partitions): ${(consumeMs / 1000).toFixed(2)} s, ${rate(consumeMs)} msg/s`,
  );
} finally {
  await broker?.stop();
}
