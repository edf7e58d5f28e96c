// The one place Sluice talks to Kafka. Everything else uses these few types,
// so the client library (@platformatic/kafka: pure JavaScript, Node 20) can be
// swapped here without touching the operators.
import { Admin, ProduceAcks, Producer } from '@platformatic/kafka';
import { bootstrapList } from '@sluice/shared';
import {
  DEFAULT_UNREACHABLE_TIMEOUT_MS,
  describe,
  FIRST_RETRY_MS,
  formatMs,
  MAX_RETRY_MS,
  unreachable,
} from './retry.js';

export { describe } from './retry.js';

import { KafkaReader } from './reader.js';

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

export const toBuffer = (v: Buffer | string) => (typeof v === 'string' ? Buffer.from(v) : v);

/**
 * Sends messages with acks from every in-sync replica and an idempotent
 * producer (no duplicates from its own retries). One request is in flight at
 * a time (an idempotent producer's sequence numbers must reach the broker in
 * order); messages queued meanwhile go together in the next request, up to
 * MAX_REQUEST_MESSAGES and about MAX_REQUEST_BYTES. `flush` waits for all of
 * them, and a refused send fails the next call.
 *
 * While Kafka cannot be reached the request is sent again with a growing
 * delay (`condition` says so); after `unreachableTimeoutMs` the writer fails.
 */
export class KafkaWriter {
  readonly #producer: Producer;
  readonly #compression: Compression;
  readonly #bootstrap: string;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #queue: OutgoingMessage[] = [];
  #sending: Promise<void> | undefined;
  #unacknowledged = 0;
  #failure: Error | undefined;
  #unreachableSince: number | undefined;
  #problem = '';

  constructor(options: {
    bootstrap: string;
    clientId: string;
    compression?: Compression;
    /** How long Kafka may stay out of reach before the writer fails (default 2 minutes). */
    unreachableTimeoutMs?: number;
    now?: () => number;
  }) {
    this.#compression = options.compression ?? 'none';
    this.#bootstrap = options.bootstrap;
    this.#timeoutMs = options.unreachableTimeoutMs ?? DEFAULT_UNREACHABLE_TIMEOUT_MS;
    this.#now = options.now ?? Date.now;
    this.#producer = new Producer({
      clientId: options.clientId,
      bootstrapBrokers: bootstrapList(options.bootstrap),
      acks: ProduceAcks.ALL,
      idempotent: true,
      autocreateTopics: true,
      retries: 2,
      retryDelay: 250,
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

  /** A sentence saying what is wrong while Kafka cannot be reached; undefined when all is well. */
  condition(): string | undefined {
    if (this.#unreachableSince === undefined || this.#failure) return undefined;
    const seconds = Math.round((this.#now() - this.#unreachableSince) / 1000);
    return `Kafka at ${this.#bootstrap} is unreachable (for ${seconds} s: ${this.#problem}); ${this.#unacknowledged} messages wait to be written, the job fails after ${formatMs(this.#timeoutMs)}`;
  }

  async #pump(): Promise<void> {
    let delay = FIRST_RETRY_MS;
    while (this.#queue.length > 0 && !this.#failure) {
      const batch = this.#queue.splice(0, requestSize(this.#queue));
      for (;;) {
        try {
          await this.#producer.send({
            messages: batch.map(toMessage),
            compression: this.#compression,
          });
          this.#unreachableSince = undefined;
          delay = FIRST_RETRY_MS;
          break;
        } catch (error) {
          if (!unreachable(error)) {
            this.#failure ??= new Error(`Kafka did not accept the messages: ${describe(error)}`);
            break;
          }
          this.#unreachableSince ??= this.#now();
          this.#problem = describe(error);
          if (this.#now() - this.#unreachableSince >= this.#timeoutMs) {
            this.#failure ??= new Error(
              `Kafka at ${this.#bootstrap} was unreachable for ${formatMs(this.#timeoutMs)}; ${this.#unacknowledged} messages were not written: ${this.#problem}`,
            );
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, delay));
          delay = Math.min(delay * 2, MAX_RETRY_MS);
        }
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
/**
 * Bytes of keys, values and headers per produce request, about: well under
 * the broker's default limit of 1 MiB per batch (`message.max.bytes`) even
 * uncompressed, with Kafka's per-record overhead.
 */
const MAX_REQUEST_BYTES = 512 * 1024;
const RECORD_OVERHEAD_BYTES = 32;

/** How many of the first `queue` messages go in one request (at least one). */
export function requestSize(queue: readonly OutgoingMessage[]): number {
  let bytes = 0;
  let n = 0;
  while (n < queue.length && n < MAX_REQUEST_MESSAGES) {
    const m = queue[n]!;
    let size =
      RECORD_OVERHEAD_BYTES + byteLength(m.value) + (m.key === undefined ? 0 : byteLength(m.key));
    for (const [k, v] of Object.entries(m.headers ?? {})) size += byteLength(k) + byteLength(v);
    if (n > 0 && bytes + size > MAX_REQUEST_BYTES) break;
    bytes += size;
    n++;
  }
  return n;
}

const byteLength = (v: Buffer | string) =>
  typeof v === 'string' ? Buffer.byteLength(v) : v.length;

/** A message as the client sends it. */
export function toMessage(m: OutgoingMessage) {
  return {
    topic: m.topic,
    partition: m.partition,
    key: m.key === undefined ? undefined : toBuffer(m.key),
    value: toBuffer(m.value),
    headers: m.headers && headerMap(m.headers),
  };
}

export function headerMap(headers: Readonly<Record<string, Buffer | string>>): Map<Buffer, Buffer> {
  const map = new Map<Buffer, Buffer>();
  for (const [k, v] of Object.entries(headers)) map.set(Buffer.from(k), toBuffer(v));
  return map;
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
