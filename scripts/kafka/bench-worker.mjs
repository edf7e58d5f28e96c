#!/usr/bin/env node
// One phase of the Kafka benchmark (see bench.mjs, which runs this file in a
// child process per phase so that each phase's peak RSS is its own):
//
//   node bench-worker.mjs --client platformatic|kafkajs --phase produce|consume \
//     --bootstrap 127.0.0.1:9092 --topic bench-x --messages 1000000 [--batch 16384] \
//     [--partitions 3] [--timeout 180] [--high-water-mark 4096]
//
// Prints one line `RESULT {json}` on stdout. Exits 2 with a message on stderr
// when the phase does not finish within --timeout seconds.
//
// Settings shared by both clients (as far as each allows):
//   produce: acks=all, idempotent producer, no compression, one request in flight,
//            the caller builds batches of --batch messages and awaits each send
//            (neither client lingers: a send() is one produce request per broker),
//            message i goes to partition i % partitions with key `k{i % 100}`;
//   consume: a new consumer group, from the earliest offset, no offset commits,
//            fetch minBytes 1, maxBytes 10 MiB, maxBytesPerPartition 1 MiB,
//            maxWait 500 ms, read_committed; counting until N.
// Only loopback addresses are accepted for --bootstrap.
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    client: { type: 'string' },
    phase: { type: 'string' },
    bootstrap: { type: 'string' },
    topic: { type: 'string' },
    messages: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '16384' },
    partitions: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '180' },
    'high-water-mark': { type: 'string', default: '4096' },
  },
});

const client = values.client;
const phase = values.phase;
const total = Number(values.messages);
const batchSize = Number(values.batch);
const partitions = Number(values.partitions);
const timeoutMs = Number(values.timeout) * 1000;
const topic = values.topic;
const brokers = values.bootstrap.split(',');

const FETCH = { minBytes: 1, maxBytes: 10 * 1024 * 1024, maxBytesPerPartition: 1024 * 1024 };
const MAX_WAIT_MS = 500;

let progress = 0;
const startedAt = performance.now();
const watchdog = setTimeout(() => {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(0);
  console.error(
    `Aborted: ${client} ${phase} did not finish within ${seconds} s (${progress.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} messages).`,
  );
  process.exit(2);
}, timeoutMs);
watchdog.unref();

/** Message i: the same bytes for both clients. */
function message(i) {
  return {
    partition: i % partitions,
    key: Buffer.from(`k${i % 100}`),
    value: Buffer.from(`{"id":${i},"category":"books","amount":12.5,"ts":${1714557600000 + i}}`),
  };
}

/**
 * Sends all messages in batches through `send(batch)`; returns the timing.
 * Building the messages is inside the timed loop, the same for both clients.
 */
async function produceAll(send) {
  let bytes = 0;
  const started = performance.now();
  for (let sent = 0; sent < total; sent += batchSize) {
    const batch = [];
    for (let i = sent; i < Math.min(total, sent + batchSize); i++) {
      const m = message(i);
      bytes += m.key.length + m.value.length;
      batch.push(m);
    }
    await send(batch);
    progress = sent + batch.length;
  }
  return { ms: performance.now() - started, bytes, count: progress };
}

async function platformatic() {
  const { Admin, Consumer, ProduceAcks, Producer } = await import('@platformatic/kafka');
  if (phase === 'produce') {
    const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: brokers });
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
    await admin.close();
    const producer = new Producer({
      clientId: 'bench-producer',
      bootstrapBrokers: brokers,
      acks: ProduceAcks.ALL,
      idempotent: true, // also limits it to one request in flight
      compression: 'none',
      autocreateTopics: false,
    });
    const result = await produceAll((batch) =>
      producer.send({ messages: batch.map((m) => ({ topic, ...m })) }),
    );
    return { result, close: () => producer.close() };
  }
  const consumer = new Consumer({
    clientId: 'bench-consumer',
    groupId: `bench-${client}-${Date.now()}`,
    bootstrapBrokers: brokers,
    autocommit: false,
    ...FETCH,
    maxWaitTime: MAX_WAIT_MS,
    isolationLevel: 1, // READ_COMMITTED
  });
  let bytes = 0;
  let firstMs;
  const started = performance.now();
  const stream = await consumer.consume({
    topics: [topic],
    mode: 'earliest',
    autocommit: false,
    // Messages fetched ahead of the reader; 4096 as in the engine's Kafka source.
    highWaterMark: Number(values['high-water-mark']),
  });
  await new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.on('data', (m) => {
      firstMs ??= performance.now() - started;
      bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
      if (++progress >= total) resolve();
    });
  });
  const ms = performance.now() - started;
  stream.pause();
  return {
    result: { ms, firstMs, bytes, count: progress },
    close: async () => {
      await stream.close().catch(() => {});
      await new Promise((resolve) => consumer.close(true, resolve));
    },
  };
}

async function kafkajs() {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const { Kafka, CompressionTypes, logLevel } = (await import('kafkajs')).default;
  const kafka = new Kafka({
    clientId: `bench-${phase}`,
    brokers,
    logLevel: logLevel.WARN,
  });
  if (phase === 'produce') {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    const result = await produceAll((batch) =>
      producer.send({ topic, messages: batch, acks: -1, compression: CompressionTypes.None }),
    );
    return { result, close: () => producer.disconnect() };
  }
  const consumer = kafka.consumer({
    groupId: `bench-${client}-${Date.now()}`,
    ...FETCH,
    maxWaitTimeInMs: MAX_WAIT_MS,
    readUncommitted: false,
    allowAutoTopicCreation: false,
  });
  let bytes = 0;
  let firstMs;
  const started = performance.now();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise((resolve, reject) => {
    consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          firstMs ??= performance.now() - started;
          for (const m of batch.messages) {
            bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
          }
          progress += batch.messages.length;
          if (progress >= total) resolve();
        },
      })
      .catch(reject);
  });
  const ms = performance.now() - started;
  return { result: { ms, firstMs, bytes, count: progress }, close: () => consumer.disconnect() };
}

for (const host of brokers) {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (!/^127\.\d+\.\d+\.\d+$/.test(name) && name !== 'localhost' && name !== '::1') {
    console.error(`The benchmark runs on loopback only; ${host} is not a loopback address.`);
    process.exit(1);
  }
}
if (!['platformatic', 'kafkajs'].includes(client) || !['produce', 'consume'].includes(phase)) {
  console.error('--client platformatic|kafkajs and --phase produce|consume are required.');
  process.exit(1);
}

try {
  const { result, close } = client === 'kafkajs' ? await kafkajs() : await platformatic();
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(`RESULT ${JSON.stringify({ client, phase, ...result, maxRssMB })}`);
  // Closing is not timed; give it a few seconds, then leave anyway.
  const closeTimer = setTimeout(() => process.exit(0), 10_000);
  closeTimer.unref();
  await close().catch(() => {});
  process.exit(0);
} catch (error) {
  console.error(`${client} ${phase} failed: ${error?.stack ?? error}`);
  process.exit(1);
}
