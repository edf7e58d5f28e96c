// `npm run bench:parallel [-- --messages 1000000 --partitions 4 --rounds 2 --out FILE]`:
// one Kafka → tumbling window → Kafka job run as 1 instance and as 2, each
// instance in a worker thread of its own reading its share of the topic's
// partitions (JobOptions.instance), alternating, on the same messages. The
// time counted is from the first record an instance read to the last record
// any instance read (the engine's start is not in it). The windows written by
// both are compared: they must be the same rows.
//
// Starts its own broker (scripts/kafka/broker.mjs) on 127.0.0.1 and stops it.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { startBroker } from './kafka/broker.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    partitions: { type: 'string', default: '4' },
    keys: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '2' },
    instances: { type: 'string', default: '1,2' },
    out: { type: 'string' },
    worker: { type: 'boolean', default: false },
  },
});
const MESSAGES = Number(values.messages);
const PARTITIONS = Number(values.partitions);
const KEYS = Number(values.keys);
const BASE = Date.parse('2024-05-01T00:00:00Z');
/** Event time advances 1 ms per 10 messages: 100 windows of 1 s per million messages. */
const PER_MS = 10;
const WINDOW = '1s';

const machine = () => ({
  date: new Date().toISOString(),
  cpus: `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'unknown CPU'}`,
  memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  node: process.version,
});

function pipeline(bootstrap, input, output, group) {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Readings per sensor per second',
    settings: { checkpoints: { enabled: false } },
    nodes: [
      {
        id: 'readings',
        kind: 'source.kafka',
        config: {
          bootstrapServers: bootstrap,
          topics: [input],
          group,
          startFrom: 'earliest',
          format: 'json',
          schema: [
            { name: 'value', type: 'double' },
            { name: 'ts', type: 'timestamp' },
          ],
          keyField: 'sensor',
          eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
        },
      },
      {
        id: 'per_second',
        kind: 'window.aggregate',
        config: {
          window: { type: 'tumbling', size: WINDOW },
          groupBy: ['sensor'],
          aggregates: [
            { name: 'readings', fn: 'count' },
            { name: 'total', fn: 'sum', expr: 'value' },
            { name: 'highest', fn: 'max', expr: 'value' },
          ],
        },
      },
      {
        id: 'out',
        kind: 'sink.kafka',
        config: { bootstrapServers: bootstrap, topic: output, keyField: 'sensor', format: 'json' },
      },
    ],
    edges: [
      { id: 'e1', source: 'readings', target: 'per_second' },
      { id: 'e2', source: 'per_second', target: 'out' },
    ],
  };
}

if (values.worker) {
  // In a worker thread: one instance; says when it read its first record, and how many it has.
  const { parentPort, workerData } = await import('node:worker_threads');
  const engine = await import(`${ROOT}packages/engine/dist/index.js`);
  const { document, instance } = workerData;
  const job = engine.startJob(document, {
    metricsIntervalMs: 60_000,
    ...(instance.count > 1 ? { instance, jobId: `bench-${instance.index}` } : {}),
  });
  let first;
  const timer = setInterval(() => {
    const read = job.metrics().operators.find((o) => o.nodeId === 'readings').recordsOut;
    if (read > 0) first ??= performance.timeOrigin + performance.now();
    parentPort.postMessage({ read, first, at: performance.timeOrigin + performance.now() });
  }, 20);
  parentPort.on('message', async () => {
    clearInterval(timer);
    await job.stop();
    parentPort.postMessage({ stopped: true });
  });
} else {
  await main();
}

async function main() {
  const startMachine = machine();
  const engine = await import(`${ROOT}packages/engine/dist/index.js`);
  console.error('Starting Kafka…');
  const broker = await startBroker();
  try {
    const admin = new engine.KafkaAdmin({ bootstrap: broker.bootstrap });
    const input = 'readings';
    await admin.createTopic(input, PARTITIONS);
    const writer = new engine.KafkaWriter({
      bootstrap: broker.bootstrap,
      clientId: 'bench-writer',
    });
    const started = performance.now();
    for (let from = 0; from < MESSAGES; from += 50_000) {
      const batch = [];
      for (let i = from; i < Math.min(from + 50_000, MESSAGES); i++) {
        batch.push({
          topic: input,
          key: `sensor-${(i * 7919) % KEYS}`,
          value: JSON.stringify({
            value: i % 1000,
            ts: new Date(BASE + Math.floor(i / PER_MS)).toISOString(),
          }),
        });
      }
      writer.send(batch);
      await writer.flush();
    }
    // Far ahead on every partition, so that every window before it fires.
    const end = JSON.stringify({
      value: 0,
      ts: new Date(BASE + MESSAGES + 3_600_000).toISOString(),
    });
    writer.send(
      Array.from({ length: PARTITIONS }, (_, partition) => ({
        topic: input,
        partition,
        key: 'end',
        value: end,
      })),
    );
    await writer.flush();
    await writer.close();
    const total = MESSAGES + PARTITIONS;
    console.error(
      `Wrote ${total} messages to ${PARTITIONS} partitions in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const counts = values.instances.split(',').map(Number);
    const runs = new Map(counts.map((n) => [n, []]));
    const outputs = new Map();
    for (let round = 1; round <= Number(values.rounds); round++) {
      for (const n of counts) {
        const output = `windows-${n}-${round}`;
        await admin.createTopic(output, 1);
        const document = pipeline(broker.bootstrap, input, output, `bench-${n}-${round}`);
        const rate = await runInstances(document, n, total);
        runs.get(n).push(rate);
        console.error(
          `round ${round}, ${n} instance(s): ${Math.round(rate).toLocaleString('en')} records/s`,
        );
        if (round === 1) outputs.set(n, output);
      }
    }
    // The windows each count of instances wrote in its first round: the same rows.
    const windows = new Map();
    for (const [n, topic] of outputs) {
      const expected = Math.ceil(MESSAGES / PER_MS / 1000) * Math.min(KEYS, MESSAGES);
      const rows = (await admin.readAll(topic, expected, 120_000))
        .map((m) => m.value.toString())
        .sort();
      windows.set(n, rows);
    }
    const [reference, ...others] = [...windows.values()];
    const same = others.every(
      (rows) => rows.length === reference.length && rows.every((r, i) => r === reference[i]),
    );
    await admin.close();
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const results = counts.map((n) => ({
      instances: n,
      runs: runs.get(n).map(Math.round),
      median: Math.round(median(runs.get(n))),
      windows: windows.get(n).length,
    }));
    const one = results.find((r) => r.instances === 1);
    for (const r of results)
      r.speedup = one ? Math.round((r.median / one.median) * 100) / 100 : null;
    const document = {
      machine: {
        ...startMachine,
        kafka: broker.version,
        partitions: PARTITIONS,
        messages: MESSAGES,
        keys: KEYS,
      },
      sameOutput: same,
      results,
    };
    console.log(
      `${startMachine.date} · Node ${startMachine.node} · ${startMachine.cpus} · load ${startMachine.loadAverage.join(' ')} at the start`,
    );
    for (const r of results) {
      console.log(
        `${r.instances} instance(s): ${r.runs.map((x) => x.toLocaleString('en')).join(', ')} records/s, median ${r.median.toLocaleString('en')} (×${r.speedup}), ${r.windows} windows`,
      );
    }
    console.log(same ? 'The windows are the same rows.' : 'THE WINDOWS DIFFER.');
    if (values.out) writeFileSync(values.out, `${JSON.stringify(document, null, 2)}\n`);
    if (!same) process.exitCode = 1;
  } finally {
    await broker.stop();
  }
}

/** Runs `n` instances in worker threads until they have read `total` records: records per second. */
async function runInstances(document, n, total) {
  const workers = Array.from(
    { length: n },
    (_, index) =>
      new Worker(fileURLToPath(import.meta.url), {
        argv: ['--worker'],
        workerData: { document, instance: { index, count: n } },
      }),
  );
  const latest = workers.map(() => ({ read: 0 }));
  const done = new Promise((resolve, reject) => {
    workers.forEach((worker, i) => {
      worker.on('error', reject);
      worker.on('message', (m) => {
        if (m.stopped) return;
        latest[i] = m;
        const read = latest.reduce((s, l) => s + l.read, 0);
        if (read >= total) resolve();
      });
    });
  });
  await done;
  const first = Math.min(...latest.map((l) => l.first ?? Number.POSITIVE_INFINITY));
  const last = Math.max(...latest.map((l) => l.at));
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise((resolve) => {
          worker.on('message', (m) => {
            if (m.stopped) resolve();
          });
          worker.postMessage('stop');
        }),
    ),
  );
  await Promise.all(workers.map((w) => w.terminate()));
  return total / ((last - first) / 1000);
}
