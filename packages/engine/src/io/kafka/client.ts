// The one place Sluice talks to Kafka. Everything else uses these few types,
// so the client library (@platformatic/kafka: pure JavaScript, Node 20) can be
// swapped here without touching the operators.
import {
  Admin,
  Consumer,
  type Message,
  type MessagesStream,
  ProduceAcks,
  Producer,
} from '@platformatic/kafka';
import { bootstrapList } from '@sluice/shared';

export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** A message as read: key, value and header values are bytes. */
export interface KafkaMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** The record's Kafka timestamp, epoch ms. */
  readonly timestamp: number;
  readonly key: Buffer | undefined;
  readonly value: Buffer | undefined;
  readonly headers: ReadonlyMap<Buffer, Buffer>;
}

export interface OutgoingMessage {
  readonly topic: string;
  /** Chosen from the key when omitted. */
  readonly partition?: number;
  readonly key?: Buffer | string;
  readonly value: Buffer | string;
  readonly headers?: Readonly<Record<string, Buffer | string>>;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface PartitionOffset extends TopicPartition {
  /** The offset of the next record to read. */
  readonly offset: bigint;
}

const toBuffer = (v: Buffer | string) => (typeof v === 'string' ? Buffer.from(v) : v);

/**
 * Sends messages with acks from every in-sync replica and an idempotent
 * producer (no duplicates from its own retries). One request is in flight at
 * a time (an idempotent producer's sequence numbers must reach the broker in
 * order); messages queued meanwhile go together in the next request. `flush`
 * waits for all of them, and a refused send fails the next call.
 */
export class KafkaWriter {
  readonly #producer: Producer;
  readonly #compression: Compression;
  #queue: OutgoingMessage[] = [];
  #sending: Promise<void> | undefined;
  #unacknowledged = 0;
  #failure: Error | undefined;

  constructor(options: { bootstrap: string; clientId: string; compression?: Compression }) {
    this.#compression = options.compression ?? 'none';
    this.#producer = new Producer({
      clientId: options.clientId,
      bootstrapBrokers: bootstrapList(options.bootstrap),
      acks: ProduceAcks.ALL,
      idempotent: true,
      autocreateTopics: true,
      retries: 5,
    });
  }

  /** Messages handed over but not yet acknowledged by the brokers. */
  get backlog(): number {
    return this.#unacknowledged;
  }

  send(messages: readonly OutgoingMessage[]): void {
    if (this.#failure) throw this.#failure;
    if (messages.length === 0) return;
    this.#unacknowledged += messages.length;
    for (const m of messages) this.#queue.push(m);
    this.#sending ??= this.#pump();
  }

  async #pump(): Promise<void> {
    while (this.#queue.length > 0 && !this.#failure) {
      const batch = this.#queue.splice(0, MAX_REQUEST_MESSAGES);
      try {
        await this.#producer.send({
          messages: batch.map((m) => ({
            topic: m.topic,
            partition: m.partition,
            key: m.key === undefined ? undefined : toBuffer(m.key),
            value: toBuffer(m.value),
            headers: m.headers && headerMap(m.headers),
          })),
          compression: this.#compression,
        });
      } catch (error) {
        this.#failure ??= new Error(`Kafka did not accept the messages: ${describe(error)}`);
      }
      this.#unacknowledged -= batch.length;
    }
    this.#sending = undefined;
  }

  /** Resolves when every message sent so far is acknowledged; rejects when one was refused. */
  async flush(): Promise<void> {
    while (this.#sending) await this.#sending;
    if (this.#failure) throw this.#failure;
  }

  async close(): Promise<void> {
    while (this.#sending) await this.#sending;
    await this.#producer.close();
  }
}

/** Messages per produce request at most. */
const MAX_REQUEST_MESSAGES = 16_384;

function headerMap(headers: Readonly<Record<string, Buffer | string>>): Map<Buffer, Buffer> {
  const map = new Map<Buffer, Buffer>();
  for (const [k, v] of Object.entries(headers)) map.set(Buffer.from(k), toBuffer(v));
  return map;
}

/**
 * A member of a consumer group reading `topics`. Offsets are committed only
 * by `commit` (never automatically), so the caller decides what is done.
 */
export class KafkaReader {
  readonly #consumer: Consumer;
  readonly #stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>;
  readonly #lag = new Map<string, number>();
  #failure: Error | undefined;

  private constructor(consumer: Consumer, stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>) {
    this.#consumer = consumer;
    this.#stream = stream;
    stream.on('error', (error) => {
      this.#failure ??= new Error(`Reading from Kafka failed: ${describe(error)}`);
    });
    consumer.on('consumer:lag', (lag) => {
      this.#lag.clear();
      for (const [topic, partitions] of lag) {
        partitions.forEach((value, partition) => {
          if (value >= 0n) this.#lag.set(`${topic}:${partition}`, Number(value));
        });
      }
    });
  }

  static async open(options: {
    bootstrap: string;
    clientId: string;
    group: string;
    topics: readonly string[];
    /** Where partitions without a committed offset start. */
    fallback: 'earliest' | 'latest';
    lagIntervalMs?: number;
  }): Promise<KafkaReader> {
    const consumer = new Consumer({
      clientId: options.clientId,
      groupId: options.group,
      bootstrapBrokers: bootstrapList(options.bootstrap),
      autocommit: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTime: 200,
    });
    try {
      const stream = await consumer.consume({
        topics: [...options.topics],
        mode: 'committed',
        fallbackMode: options.fallback,
        autocommit: false,
        highWaterMark: 4096,
      });
      const reader = new KafkaReader(consumer, stream);
      consumer.startLagMonitoring({ topics: [...options.topics] }, options.lagIntervalMs ?? 5_000);
      return reader;
    } catch (error) {
      await closeConsumer(consumer);
      throw new Error(`Could not join consumer group '${options.group}': ${describe(error)}`);
    }
  }

  /** Up to `max` messages already fetched; none when nothing is waiting. Throws a read failure. */
  take(max: number): KafkaMessage[] {
    if (this.#failure) throw this.#failure;
    const out: KafkaMessage[] = [];
    while (out.length < max) {
      const message = this.#stream.read() as Message<Buffer, Buffer, Buffer, Buffer> | null;
      if (message === null) break;
      out.push({
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        timestamp: Number(message.timestamp),
        key: message.key ?? undefined,
        value: message.value ?? undefined,
        headers: message.headers,
      });
    }
    return out;
  }

  /** Resolves when messages may be waiting, or after `ms`. */
  waitForMessages(ms: number): Promise<void> {
    if (this.#stream.readableLength > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#stream.off('readable', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#stream.once('readable', done);
    });
  }

  /** The partitions this member owns now. */
  assignments(): TopicPartition[] {
    const out: TopicPartition[] = [];
    for (const a of this.#consumer.assignments ?? []) {
      for (const partition of a.partitions) out.push({ topic: a.topic, partition });
    }
    return out;
  }

  /** Saves the group's position: `offset` is the next record to read. */
  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.#consumer.commit({
      offsets: offsets.map((o) => ({ ...o, leaderEpoch: -1 })),
    });
  }

  /** Records behind the end of each owned partition ("topic:partition" → lag), as last measured. */
  lag(): ReadonlyMap<string, number> {
    return this.#lag;
  }

  async close(): Promise<void> {
    this.#consumer.stopLagMonitoring();
    await this.#stream.close().catch(() => {});
    await closeConsumer(this.#consumer);
  }
}

/** Topic administration, for tests, benchmarks and tools. */
export class KafkaAdmin {
  readonly #admin: Admin;
  readonly #bootstrap: string;

  constructor(options: { bootstrap: string; clientId?: string }) {
    this.#bootstrap = options.bootstrap;
    this.#admin = new Admin({
      clientId: options.clientId ?? 'sluice-admin',
      bootstrapBrokers: bootstrapList(options.bootstrap),
    });
  }

  async createTopic(topic: string, partitions: number): Promise<void> {
    await this.#admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  }

  /** Reads every message of a topic from the start, waiting up to `ms` for at least `count`. */
  async readAll(topic: string, count: number, ms: number): Promise<KafkaMessage[]> {
    const reader = await KafkaReader.open({
      bootstrap: this.#bootstrap,
      clientId: 'sluice-read-all',
      group: `sluice-read-all-${process.pid}-${Date.now()}`,
      topics: [topic],
      fallback: 'earliest',
    });
    const out: KafkaMessage[] = [];
    const deadline = Date.now() + ms;
    try {
      while (out.length < count && Date.now() < deadline) {
        out.push(...reader.take(10_000));
        if (out.length < count) await reader.waitForMessages(100);
      }
      // Anything more that is already there (duplicates would show up here).
      await reader.waitForMessages(300);
      out.push(...reader.take(100_000));
    } finally {
      await reader.close();
    }
    return out;
  }

  async close(): Promise<void> {
    await this.#admin.close();
  }
}

/** The message of a client error, with the causes it wraps. */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const causes = (error as { errors?: unknown[] }).errors;
  const first = Array.isArray(causes) && causes.length > 0 ? describe(causes[0]) : undefined;
  return first && !error.message.includes(first) ? `${error.message} (${first})` : error.message;
}

/** Closes a consumer, leaving its group at once; never throws. */
function closeConsumer(consumer: Consumer): Promise<void> {
  return new Promise((resolve) => consumer.close(true, () => resolve()));
}
