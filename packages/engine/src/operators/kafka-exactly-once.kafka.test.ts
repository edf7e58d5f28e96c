// Exactly once through Kafka against a real broker: a Kafka → window → Kafka
// job stopped at random points and restored from its last checkpoint writes
// what an uninterrupted run writes; a second instance of a sink fences the
// first; a recovery commits the transaction a checkpoint recorded; and a
// transaction Kafka has aborted fails the recovery, saying so. Output is read
// with the Java client (scripts/kafka/committed-records.mjs), whose read_committed view is right
// where @platformatic/kafka's leaks aborted records.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOperator, type Pipeline } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { committedRecords } from '../../../../scripts/kafka/committed-records.mjs';
import { CheckpointStorage } from '../checkpoint/storage.js';
import { DataDir } from '../io/data-dir.js';
import { KafkaAdmin, KafkaWriter } from '../io/kafka/client.js';
import { KafkaReader } from '../io/kafka/reader.js';
import type { Operator, OperatorContext } from '../operator.js';
import { systemClock } from '../runtime/clock.js';
import { type Job, restoreFrom, startJob } from '../runtime/job.js';
import { StateStore } from '../runtime/state.js';
import { runtimeFor } from './registry.js';

const bootstrap = inject('kafkaBootstrap');
const BASE = Date.parse('2024-05-01T10:00:00Z');
const PARTITIONS = 3;
const KEYS = ['a', 'b', 'c', 'd', 'e'];

let admin: KafkaAdmin;
let producer: KafkaWriter;
let dir: string;

beforeAll(async () => {
  admin = new KafkaAdmin({ bootstrap });
  producer = new KafkaWriter({ bootstrap, clientId: 'sluice-test-exactly-once' });
  dir = await mkdtemp(join(tmpdir(), 'sluice-eo-'));
});
afterAll(async () => {
  await producer?.close();
  await admin?.close();
  await rm(dir, { recursive: true, force: true });
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await wait(20);
  }
}

/** A seeded random number generator, so a failure can be replayed (the seed is in the test's name). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('a Kafka → window → Kafka job restored from checkpoints', () => {
  interface Event {
    id: number;
    key: string;
    amount: number;
    ts: number;
  }
  const events: Event[] = [];
  const rnd = random(7);
  for (let i = 0; i < 6_000; i++) {
    events.push({
      id: i,
      key: KEYS[Math.floor(rnd() * KEYS.length)]!,
      amount: Math.floor(rnd() * 100),
      // 50 ms apart, up to 1 s out of order: 60 windows of 5 s.
      ts: BASE + i * 50 - Math.floor(rnd() * 1000),
    });
  }
  const encode = (e: Event) => JSON.stringify({ ...e, ts: new Date(e.ts).toISOString() });

  function pipeline(input: string, output: string, group: string): Pipeline {
    return {
      format: 'sluice.pipeline/v1',
      name: 'exactly once',
      nodes: [
        {
          id: 'events',
          kind: 'source.kafka',
          config: {
            bootstrapServers: bootstrap,
            topics: [input],
            group,
            startFrom: 'earliest',
            format: 'json',
            schema: [
              { name: 'id', type: 'long' },
              { name: 'key', type: 'string' },
              { name: 'amount', type: 'long' },
              { name: 'ts', type: 'timestamp' },
            ],
            // No partition goes idle while the job runs: nothing is late in either run.
            eventTime: { field: 'ts', maxOutOfOrderness: '2s', idleTimeout: '10m' },
          },
        },
        {
          id: 'per_key',
          kind: 'window.aggregate',
          config: {
            window: { type: 'tumbling', size: '5s' },
            groupBy: ['key'],
            aggregates: [
              { name: 'n', fn: 'count' },
              { name: 'total', fn: 'sum', expr: 'amount' },
            ],
          },
        },
        {
          id: 'totals',
          kind: 'sink.kafka',
          config: { bootstrapServers: bootstrap, topic: output, keyField: 'key', format: 'json' },
        },
      ],
      edges: [
        { id: 'e1', source: 'events', target: 'per_key' },
        { id: 'e2', source: 'per_key', target: 'totals' },
      ],
    };
  }

  /** Sends events `from`..`to` (round-robin over the partitions), then, at the end, one far ahead on every partition. */
  async function produce(topic: string, from: number, to: number) {
    producer.send(
      events
        .slice(from, to)
        .map((e) => ({ topic, partition: e.id % PARTITIONS, value: encode(e) })),
    );
    if (to === events.length) {
      const end = encode({ id: -1, key: 'end', amount: 0, ts: BASE + 3_600_000 });
      for (let partition = 0; partition < PARTITIONS; partition++)
        producer.send([{ topic, partition, value: end }]);
    }
    await producer.flush();
  }

  /** Every window result, sorted, as the Java client reads them committed. */
  async function results(topic: string): Promise<string[]> {
    return (await committedValues(bootstrap, topic)).sort();
  }

  /** The windows the events make (the one far ahead never fires). */
  function expectedWindows(): number {
    const windows = new Set(events.map((e) => `${e.key}|${Math.floor(e.ts / 5_000)}`));
    return windows.size;
  }

  /**
   * Moves the group back to the start: the group's offsets are only for
   * monitoring, and a restore must not read from them.
   */
  async function rewindGroup(topic: string, group: string) {
    const member = await KafkaReader.open({
      bootstrap,
      clientId: 'sluice-test-eo-rewind',
      group,
      topics: [topic],
      fallback: 'earliest',
    });
    try {
      await member.commit(
        [...Array(PARTITIONS).keys()].map((partition) => ({ topic, partition, offset: 0n })),
      );
    } finally {
      await member.close();
    }
  }

  const sink = (job: Job) => job.metrics().operators.find((o) => o.nodeId === 'totals')!;

  it('writes what an uninterrupted run writes, each window once (seed 7)', async () => {
    const suffix = `eo${Date.now()}`;
    const input = `${suffix}-in`;
    await admin.createTopic(input, PARTITIONS);
    await admin.createTopic(`${suffix}-once`, 1);
    await admin.createTopic(`${suffix}-restored`, 1);
    const windows = expectedWindows();
    const storage = new CheckpointStorage(join(dir, suffix), { keep: 3 });
    const restored = pipeline(input, `${suffix}-restored`, `${suffix}-restored`);
    const checkpoints = { intervalMs: 300, storage };
    const jobId = `${suffix}-restored`;
    const stops = random(Date.now() % 1000);

    // The input arrives in chunks while the job runs, so windows keep firing into open
    // transactions. Three times the job is stopped (no checkpoint) after a random chunk, the
    // rest of the input arriving meanwhile, and restored from its last checkpoint.
    const CHUNK = 50;
    const chunks = events.length / CHUNK;
    const stopAfter = new Set<number>();
    while (stopAfter.size < 3) stopAfter.add(10 + Math.floor(stops() * (chunks - 20)));
    let restores = 0;
    const start = async () => {
      const latest = await storage.latest();
      if (latest) restores++;
      return startJob(restored, {
        checkpoints,
        jobId,
        ...(latest
          ? {
              restore: restoreFrom(latest),
            }
          : {}),
      });
    };
    let job = await start();
    for (let chunk = 0; chunk < chunks; chunk++) {
      await produce(input, chunk * CHUNK, (chunk + 1) * CHUNK);
      await wait(15);
      if (stopAfter.has(chunk)) {
        expect((await job.stop()).status).toBe('stopped');
        await rewindGroup(input, `${suffix}-restored`);
        job = await start();
      }
    }
    const last = job;
    // Every window has reached the sink and a checkpoint after it has committed the transaction.
    await until('every window is written', () => sink(last).recordsIn >= windows, 90_000);
    const committedBefore = last.metrics().checkpoints!.completed;
    await until(
      'a checkpoint commits them',
      () => last.metrics().checkpoints!.completed > committedBefore + 1,
    );
    expect(sink(last).extra.transactionsCommitted).toBeGreaterThan(0);
    await last.stop();
    expect(restores).toBe(3);

    // The same input, uninterrupted, into another topic.
    const once = startJob(pipeline(input, `${suffix}-once`, `${suffix}-once`), {
      checkpoints: { intervalMs: 300, storage: new CheckpointStorage(join(dir, `${suffix}-once`)) },
      jobId: `${suffix}-once`,
    });
    await until('every window is written once', () => sink(once).recordsIn >= windows, 90_000);
    expect((await once.stop({ checkpoint: 'savepoint' })).status).toBe('stopped');

    const [expected, actual] = await Promise.all([
      results(`${suffix}-once`),
      results(`${suffix}-restored`),
    ]);
    expect(expected).toHaveLength(windows);
    expect(actual).toEqual(expected);
    // The counts add up to the input: no event was lost or counted twice.
    const counted = actual.reduce((n, line) => n + (JSON.parse(line) as { n: number }).n, 0);
    expect(counted).toBe(events.length);

    // The group heard of the last durable checkpoint's offsets (for monitoring): nothing left to read.
    const after = await KafkaReader.open({
      bootstrap,
      clientId: 'sluice-test-eo-after',
      group: `${suffix}-restored`,
      topics: [input],
      fallback: 'earliest',
    });
    try {
      await after.waitForMessages(2_000);
      expect(after.take(100)).toEqual([]);
    } finally {
      await after.close();
    }
  });

  /**
   * Checkpoints under a lease: once it is lost, writes fail. Exactly once needs the old process
   * unable to complete a checkpoint once its successor has read one (Kafka's fencing comes only
   * when the successor starts): a supervisor's lease, or making sure the old process is dead.
   */
  class LeasedStorage extends CheckpointStorage {
    #lost = false;
    #writing = new Set<Promise<unknown>>();
    override writeEncoded(...args: Parameters<CheckpointStorage['writeEncoded']>) {
      if (this.#lost) return Promise.reject(new Error('the lease on the checkpoints was lost'));
      const write = super.writeEncoded(...args);
      this.#writing.add(write);
      void write.finally(() => this.#writing.delete(write)).catch(() => {});
      return write;
    }
    /** Loses the lease; resolves once no write is under way. */
    async lose(): Promise<void> {
      this.#lost = true;
      await Promise.allSettled([...this.#writing]);
    }
  }

  it('a restored job started while the old one still runs fences it; the output is still each window once', async () => {
    const suffix = `eoz${Date.now()}`;
    const input = `${suffix}-in`;
    const output = `${suffix}-out`;
    await admin.createTopic(input, PARTITIONS);
    await admin.createTopic(output, 1);
    const p = pipeline(input, output, suffix);
    const storage = new LeasedStorage(join(dir, suffix), { keep: 3 });
    const CHUNK = 50;
    const chunks = events.length / CHUNK;
    const zombie = startJob(p, { checkpoints: { intervalMs: 300, storage }, jobId: suffix });
    let successor: Job | undefined;
    try {
      for (let chunk = 0; chunk < chunks; chunk++) {
        await produce(input, chunk * CHUNK, (chunk + 1) * CHUNK);
        await wait(15);
        if (chunk === Math.floor(chunks / 2)) {
          // A supervisor thought the job dead and restarts it; the old process goes on, without
          // its lease. Both are in the consumer group until the old one fails: the successor
          // reads the partitions assigned to it, and later the others, from the checkpoint's
          // offsets, and its watermark waits for those it does not have yet.
          await storage.lose();
          const latest = (await storage.latest())!;
          successor = startJob(p, {
            checkpoints: {
              intervalMs: 300,
              storage: new CheckpointStorage(join(dir, `${suffix}-successor`)),
            },
            restore: restoreFrom(latest),
            jobId: suffix,
          });
        }
      }
      const result = await Promise.race([zombie.done, wait(60_000).then(() => undefined)]);
      expect(result?.status).toBe('failed');
      expect(result?.failure?.nodeId).toBe('totals');
      const last = successor!;
      await until(
        'every window is written',
        () => sink(last).recordsIn >= expectedWindows(),
        60_000,
      ).catch((error: Error) => {
        // What each node had done, to tell a stuck source from a stuck sink.
        const nodes = last
          .metrics()
          .operators.map((o) => [o.nodeId, o.recordsIn, o.recordsOut, o.watermark, o.extra]);
        throw new Error(
          `${error.message} (${last.status}, ${last.failure?.message ?? ''}: ${JSON.stringify(nodes)})`,
        );
      });
      expect((await last.stop({ checkpoint: 'savepoint' })).status).toBe('stopped');
      const lines = await results(output);
      const windows = lines.map(
        (line) => JSON.parse(line) as { key: string; window_start: string; n: number },
      );
      expect(new Set(windows.map((w) => `${w.key}|${w.window_start}`)).size).toBe(windows.length);
      expect(windows).toHaveLength(expectedWindows());
      expect(windows.reduce((n, w) => n + w.n, 0)).toBe(events.length);
    } finally {
      await Promise.all([zombie.stop(), successor?.stop()]);
    }
  });
});

describe('the exactly-once Kafka sink', () => {
  const context: OperatorContext = {
    emit() {},
    error() {},
    late() {},
    watermark: 0,
    now: () => Date.now(),
    setTimer() {},
  };

  /** A sink node 'out' of job `jobId` as a checkpointing job builds it; restored from `restore` when given. */
  function kafkaSink(jobId: string, topic: string, restore?: ReturnType<StateStore['snapshot']>) {
    const definition = getOperator('sink.kafka')!;
    const runtime = runtimeFor('sink.kafka');
    if (runtime.type !== 'operator') throw new Error('sink.kafka is an operator');
    const state = new StateStore();
    const operator = runtime.create({
      node: {
        id: 'out',
        kind: 'sink.kafka',
        config: { bootstrapServers: bootstrap, topic, format: 'json' },
      },
      definition,
      inputs: [[{ fields: [{ name: 'id', type: 'long' }], time: 'processing' }]],
      outputs: [],
      clock: systemClock,
      dataDir: new DataDir(tmpdir()),
      state,
      stdout: () => {},
      checkpointing: true,
      jobId,
      checkpointIntervalMs: 1_000,
    });
    if (restore) state.restore(restore);
    return { operator, state };
  }

  const send = (sink: Operator, from: number, to: number) => {
    const rows = [];
    for (let id = from; id < to; id++) rows.push({ id });
    sink.process({ rows, times: rows.map(() => 0) }, 0, context);
  };
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const ids = async (topic: string) =>
    (await committedValues(bootstrap, topic))
      .map((line) => (JSON.parse(line) as { id: number }).id)
      .sort((a, b) => a - b);

  it('a newer instance with the same job id fences the older: the older cannot commit', async () => {
    const topic = `eo-fence-${Date.now()}`;
    await admin.createTopic(topic, 2);
    const older = kafkaSink(topic, topic).operator;
    let newer: Operator | undefined;
    try {
      send(older, 0, 50);
      // Connected and sent: a cut now sets the transaction aside.
      await older.flush!();
      older.cut!(1);
      await older.flush!();
      await older.checkpointed!(1);
      // Sent, not yet committed, when the newer instance starts.
      send(older, 50, 100);
      await older.flush!();
      // The newer instance starts (a restart while the old process still runs).
      newer = kafkaSink(topic, topic).operator;
      send(newer, 1_000, 1_010);
      await newer.flush!();
      older.cut!(1);
      expect(older.metrics!().transactionsCommitted).toBe(1);
      await expect(older.checkpointed!(1)).rejects.toThrow(
        /Kafka sink 'out' could not commit the transaction of the checkpoint/,
      );
      newer.cut!(1);
      await newer.flush!();
      await newer.checkpointed!(1);
      expect(newer.metrics!().transactionsCommitted).toBe(1);
      expect(await ids(topic)).toEqual([...range(0, 50), ...range(1_000, 1_010)]);
    } finally {
      await Promise.all([older.close?.(), newer?.close?.()]);
    }
  });

  it('a restore commits the transaction its checkpoint recorded when the crash came before the commit', async () => {
    const topic = `eo-recover-${Date.now()}`;
    await admin.createTopic(topic, 2);
    const crashed = kafkaSink(topic, topic);
    send(crashed.operator, 0, 100);
    await crashed.operator.flush!();
    crashed.operator.cut!(1);
    const checkpoint = crashed.state.snapshot();
    expect(checkpoint.cells.pending).toMatchObject({ seq: 0 });
    await crashed.operator.flush!();
    // The checkpoint is durable, and the process dies before `checkpointed`: after the cut it had sent more.
    send(crashed.operator, 100, 150);
    await crashed.operator.flush!();
    const restored = kafkaSink(topic, topic, structuredClone(checkpoint)).operator;
    try {
      // What came after the cut is read again and sent again.
      send(restored, 100, 150);
      await restored.flush!();
      restored.cut!(1);
      await restored.flush!();
      await restored.checkpointed!(1);
      expect(await ids(topic)).toEqual(range(0, 150));
      expect(restored.metrics!().messagesSent).toBe(150);
    } finally {
      await Promise.all([crashed.operator.close?.(), restored.close?.()]);
    }
  });

  it('a checkpoint cut before Kafka has named the producer: the restore asks Kafka and commits it', async () => {
    const topic = `eo-unnamed-${Date.now()}`;
    await admin.createTopic(topic, 2);
    const crashed = kafkaSink(topic, topic);
    send(crashed.operator, 0, 20);
    // At once: the sink is still asking Kafka for its producer ids.
    crashed.operator.cut!(1);
    const checkpoint = crashed.state.snapshot();
    expect(checkpoint.cells.pending).toMatchObject({ seq: 0, producerId: -1n });
    // Written before the checkpoint is, and the process dies before `checkpointed`.
    await crashed.operator.flush!();
    send(crashed.operator, 20, 25);
    await crashed.operator.flush!();
    const restored = kafkaSink(topic, topic, structuredClone(checkpoint)).operator;
    try {
      send(restored, 20, 30);
      await restored.flush!();
      restored.cut!(1);
      await restored.flush!();
      await restored.checkpointed!(1);
      expect(await ids(topic)).toEqual(range(0, 30));
    } finally {
      await Promise.all([crashed.operator.close?.(), restored.close?.()]);
    }
  });

  it('a restore whose transaction Kafka has aborted fails, naming the sink and what is missing', async () => {
    const topic = `eo-lost-${Date.now()}`;
    await admin.createTopic(topic, 1);
    const crashed = kafkaSink(topic, topic);
    send(crashed.operator, 0, 10);
    await crashed.operator.flush!();
    crashed.operator.cut!(1);
    const checkpoint = crashed.state.snapshot();
    await crashed.operator.flush!();
    // A run that did not restore the checkpoint fences the ids, aborting its transaction.
    const stranger = kafkaSink(topic, topic).operator;
    send(stranger, 1_000, 1_001);
    await stranger.flush!();
    await stranger.close?.();
    const restored = kafkaSink(topic, topic, structuredClone(checkpoint)).operator;
    try {
      send(restored, 10, 20);
      await expect(restored.flush!()).rejects.toThrow(
        /Kafka sink 'out': Kafka had aborted the transaction .* that output is missing from the topic 'eo-lost-/,
      );
      expect(await ids(topic)).toEqual([]);
    } finally {
      await Promise.all([crashed.operator.close?.(), restored.close?.()]);
    }
  });

  it('a checkpoint that could not be written while its transaction was pending fails the job at the next cut', async () => {
    const topic = `eo-failed-write-${Date.now()}`;
    await admin.createTopic(topic, 1);
    let writes = 0;
    // The second checkpoint's write fails (a full disk): its transaction cannot be committed, nor dropped.
    class FailingStorage extends CheckpointStorage {
      override writeEncoded(...args: Parameters<CheckpointStorage['writeEncoded']>) {
        writes++;
        if (writes === 2) return Promise.reject(new Error('no space left on device'));
        return super.writeEncoded(...args);
      }
    }
    const job = startJob(
      {
        format: 'sluice.pipeline/v1',
        name: 'failed write',
        nodes: [
          {
            id: 'gen',
            kind: 'source.datagen',
            config: {
              ...(getOperator('source.datagen')!.defaults as Record<string, unknown>),
              rate: 200,
            },
          },
          {
            id: 'out',
            kind: 'sink.kafka',
            config: { bootstrapServers: bootstrap, topic, format: 'json' },
          },
        ],
        edges: [{ id: 'e1', source: 'gen', target: 'out' }],
      },
      {
        checkpoints: { intervalMs: 500, storage: new FailingStorage(join(dir, topic)) },
        jobId: topic,
      },
    );
    const result = await Promise.race([job.done, wait(30_000).then(() => undefined)]);
    await job.stop();
    expect(result?.status).toBe('failed');
    expect(result?.failure?.nodeId).toBe('out');
    expect(result?.failure?.message).toMatch(
      /Kafka sink 'out' could not set its transaction aside for the checkpoint: the transaction of the previous checkpoint is still open/,
    );
    // What the first checkpoint covered is there, and nothing after it: the second's transaction
    // was aborted when the job closed (its checkpoint never became durable), so nothing holds readers back.
    const written = await ids(topic);
    expect(written.length).toBeGreaterThan(0);
    expect(written).toEqual(range(0, written.length));
    const sent = result!.metrics.operators.find((o) => o.nodeId === 'out')!.extra.messagesSent!;
    expect(written.length).toBeLessThan(sent);
  });
});

/** The values of every committed record of the topic, read with the Java client once it is quiet. */
async function committedValues(bootstrap: string, topic: string): Promise<string[]> {
  const records = await committedRecords(bootstrap, topic, {
    expected: 0,
    quietMs: 1_500,
    timeoutMs: 60_000,
  });
  return records.map((r) => r.value);
}
