// The RabbitMQ source and sink against a real broker
// (scripts/rabbitmq/global-setup.mjs): a queue bound to an exchange read into
// rows and published on, messages acknowledged only once a checkpoint holds
// their results, bad messages to the dead-letter exchange, and the errors a
// user meets first.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pipeline, PipelineNode } from '@sluice/shared';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CheckpointStorage } from '../checkpoint/storage.js';
import { type Job, type JobOptions, startJob } from '../runtime/job.js';

declare module 'vitest' {
  export interface ProvidedContext {
    rabbitmq: { host: string; port: number; user: string; password: string };
  }
}

const broker = inject('rabbitmq');
const SECRETS = { MQ_PASSWORD: broker.password };
let connection: amqp.ChannelModel;
let channel: amqp.Channel;
let names = 0;

beforeAll(async () => {
  connection = await amqp.connect({
    hostname: broker.host,
    port: broker.port,
    username: broker.user,
    password: broker.password,
  });
  channel = await connection.createChannel();
});
afterAll(async () => {
  await connection?.close();
});

const fresh = (what: string) => `${what}-${Date.now().toString(36)}-${names++}`;
const server = {
  host: broker.host,
  port: broker.port,
  user: broker.user,
  passwordSecret: 'MQ_PASSWORD',
};

function source(queue: string, config: Record<string, unknown> = {}): PipelineNode {
  return {
    id: 'in',
    kind: 'source.rabbitmq',
    config: {
      ...server,
      queue,
      format: 'json',
      schema: [
        { name: 'n', type: 'long' },
        { name: 'item', type: 'string' },
      ],
      ...config,
    },
  };
}

function pipeline(nodes: PipelineNode[], edges: [string, string][]): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Through RabbitMQ',
    nodes,
    edges: edges.map(([s, t], i) => ({ id: `e${i}`, source: s, target: t })),
  };
}

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const waiting = async (queue: string) => (await channel.checkQueue(queue)).messageCount;

function publish(exchange: string, routingKey: string, from: number, to: number) {
  for (let n = from; n < to; n++) {
    channel.publish(exchange, routingKey, Buffer.from(JSON.stringify({ n, item: `i${n}` })), {
      messageId: `m${n}`,
    });
  }
}

async function drain(queue: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (message === false) return out;
    out.push(message.content.toString());
  }
}

const read = (job: Job) => job.metrics().operators.find((o) => o.nodeId === 'in')!.recordsOut;

describe('RabbitMQ', () => {
  it('reads a queue bound to an exchange, and publishes each record as a message to a queue', async () => {
    const exchange = fresh('orders');
    const input = fresh('in');
    const output = fresh('out');
    await channel.assertExchange(exchange, 'direct', { durable: false, autoDelete: true });
    await channel.assertQueue(input, { durable: true });
    await channel.bindQueue(input, exchange, 'new');
    await channel.assertQueue(output, { durable: true });
    publish(exchange, 'new', 0, 300);
    publish(exchange, 'other', 300, 310); // another routing key: not for this queue
    const job = startJob(
      pipeline(
        [
          source(input, { bindings: [{ exchange, routingKey: 'new' }], routingKeyField: 'key' }),
          {
            id: 'out',
            kind: 'sink.rabbitmq',
            config: { ...server, exchange: '', routingKey: output, format: 'json' },
          },
        ],
        [['in', 'out']],
      ),
      { secrets: SECRETS },
    );
    try {
      await until('every message is published on', async () => (await waiting(output)) === 300);
    } finally {
      await job.stop();
    }
    const got = (await drain(output)).map((m) => JSON.parse(m));
    expect(got).toHaveLength(300);
    expect(got[0]).toEqual({ n: 0, item: 'i0', key: 'new' });
    expect(new Set(got.map((m) => m.n)).size).toBe(300);
    // Acknowledged once written on: nothing waits in the input queue.
    expect(await waiting(input)).toBe(0);
  });

  it('with checkpoints, acknowledges only what a checkpoint holds: a job killed before one is read again', async () => {
    const input = fresh('in');
    await channel.assertQueue(input, { durable: true });
    publish('', input, 0, 200);
    const dir = await mkdtemp(join(tmpdir(), 'sluice-rabbit-'));
    try {
      const storage = new CheckpointStorage(join(dir, 'checkpoints'));
      const p = pipeline(
        [
          source(input),
          { id: 'file', kind: 'sink.file', config: { path: 'out.jsonl', format: 'jsonl' } },
        ],
        [['in', 'file']],
      );
      const options: JobOptions = {
        dataDir: dir,
        secrets: SECRETS,
        checkpoints: { intervalMs: 3_600_000, storage },
      };
      // Read everything, then killed before any checkpoint: nothing was acknowledged.
      const killed = startJob(p, options);
      await until('the first job reads all', () => read(killed) === 200);
      await killed.stop({ drain: false });
      await until('the broker takes the messages back', async () => (await waiting(input)) === 200);

      // The next run reads them again, and its checkpoint (a savepoint at the stop) acknowledges them.
      const again = startJob(p, options);
      await until('the second job reads all', () => read(again) === 200);
      const ended = await again.stop({ checkpoint: 'savepoint' });
      expect(ended.status).toBe('stopped');
      expect(await waiting(input)).toBe(0);
      const lines = (await readFile(join(dir, 'out.jsonl'), 'utf8')).trim().split('\n');
      expect(lines.map((l) => JSON.parse(l).n).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 200 }, (_, n) => n),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sends a message it cannot read to the dead-letter exchange, with why, and reads on', async () => {
    const input = fresh('in');
    const dlx = fresh('dlx');
    const dead = fresh('dead');
    await channel.assertQueue(input, { durable: true });
    await channel.assertExchange(dlx, 'fanout', { durable: false, autoDelete: true });
    await channel.assertQueue(dead, { durable: false });
    await channel.bindQueue(dead, dlx, '');
    publish('', input, 0, 5);
    channel.sendToQueue(input, Buffer.from('{"n": "five"'), { messageId: 'bad' });
    publish('', input, 6, 10);
    const job = startJob(
      pipeline(
        [
          source(input, { deadLetterExchange: dlx }),
          { id: 'out', kind: 'sink.blackhole', config: {} },
        ],
        [['in', 'out']],
      ),
      {
        secrets: SECRETS,
      },
    );
    try {
      await until('the good ones are read', () => read(job) === 9);
      await until('the bad one is dead-lettered', async () => (await waiting(dead)) === 1);
      const errors = job.errors();
      expect(errors.some((e) => /message bad: not valid JSON/.test(e.reason))).toBe(true);
    } finally {
      await job.stop();
    }
    const letter = await channel.get(dead, { noAck: true });
    expect(letter).not.toBe(false);
    if (letter === false) return;
    expect(letter.content.toString()).toBe('{"n": "five"');
    expect(String(letter.properties.headers?.['sluice.error'])).toMatch(/not valid JSON/);
    expect(letter.properties.headers?.['sluice.source.queue']).toBe(input);
  });

  it('fails a job whose messages no queue takes, rather than losing them', async () => {
    const input = fresh('in');
    await channel.assertQueue(input, { durable: true });
    publish('', input, 0, 3);
    const job = startJob(
      pipeline(
        [
          source(input),
          {
            id: 'out',
            kind: 'sink.rabbitmq',
            config: { ...server, exchange: '', routingKey: fresh('nowhere'), format: 'json' },
          },
        ],
        [['in', 'out']],
      ),
      { secrets: SECRETS },
    );
    const ended = await job.done;
    expect(ended.status).toBe('failed');
    expect(ended.failure?.message).toMatch(
      /no queue takes messages published to the default exchange with routing key 'nowhere-/,
    );
    // Not acknowledged: the messages are back in their queue.
    await until('the messages are back', async () => (await waiting(input)) === 3);
  });

  it('fails clearly on a missing secret, a wrong password and a missing queue', async () => {
    const blackhole = { id: 'out', kind: 'sink.blackhole', config: {} };
    const unset = await startJob(pipeline([source(fresh('q')), blackhole], [['in', 'out']]), {
      secrets: {},
    }).done;
    expect(unset.failure?.message).toMatch(/the secret MQ_PASSWORD \(its password\) is not set/);
    const wrong = await startJob(pipeline([source(fresh('q')), blackhole], [['in', 'out']]), {
      secrets: { MQ_PASSWORD: 'not-it' },
    }).done;
    expect(wrong.failure?.message).toMatch(/ACCESS.REFUSED/);
    expect(JSON.stringify(wrong.failure)).not.toContain(broker.password);
    const missing = await startJob(
      pipeline([source(fresh('absent'), { declare: false }), blackhole], [['in', 'out']]),
      { secrets: SECRETS },
    ).done;
    expect(missing.failure?.message).toMatch(/queue 'absent-.*NOT.FOUND/);
  });
});
