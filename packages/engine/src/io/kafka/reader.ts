// Reading a consumer group, through Kafka going away and coming back.
import {
  Consumer,
  type GroupPartitionsAssigner,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import { bootstrapList } from '@sluice/shared';
import type { JobInstance } from '../../operator.js';
import type { KafkaMessage, PartitionOffset, TopicPartition } from './client.js';
import {
  DEFAULT_UNREACHABLE_TIMEOUT_MS,
  describe,
  FIRST_RETRY_MS,
  formatMs,
  MAX_RETRY_MS,
  refused,
} from './retry.js';

export interface ReaderOptions {
  readonly bootstrap: string;
  readonly clientId: string;
  readonly group: string;
  readonly topics: readonly string[];
  /** Where partitions without a committed offset (or a `start` offset) start. */
  readonly fallback: 'earliest' | 'latest';
  /**
   * Where to read from instead of the group's committed offsets (a restored
   * checkpoint's): the next offset per partition. Partitions missing here
   * start at `fallback`. Group rebalances keep these positions.
   */
  readonly start?: readonly PartitionOffset[];
  /**
   * Keep handing out a partition from where this reader left it when it
   * comes back after a rebalance (with checkpoints: the job's state already
   * holds what was handed out), rather than from another member's commits.
   */
  readonly keepPositions?: boolean;
  readonly lagIntervalMs?: number;
  /** How long Kafka may stay out of reach before reading fails (default 2 minutes). */
  readonly unreachableTimeoutMs?: number;
  /** Processing time, epoch ms (the engine's clock). */
  readonly now?: () => number;
  /**
   * This reader is instance `index` of `count` of one job, all in the same
   * group: it owns the partitions p with p % count === index, of every topic
   * (see `instanceAssigner`), and hands out messages of those only.
   */
  readonly instance?: JobInstance;
}

const INSTANCE_PROTOCOL = 'sluice-instances';

/** Whether instance `of` owns `partition`: partitions are dealt out by their number. */
export function ownsPartition(of: JobInstance, partition: number): boolean {
  return partition % of.count === of.index;
}

/** The instance a member of the group says it is (its subscription's metadata, "index/count"). */
function instanceOf(metadata: Buffer | string | undefined): JobInstance | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(metadata === undefined ? '' : metadata.toString());
  return m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
}

/**
 * The group leader's assignment when the members are instances of one job:
 * partition p of each topic to the member that is instance p % count, so an
 * instance always gets the same partitions, and with them the keys its state
 * holds. Members that are no instance get nothing; nor does a member that
 * claims an index another already has (a second job in the same group), or
 * another count than the first member's: a partition is never read twice.
 */
export const instanceAssigner: GroupPartitionsAssigner = (_current, members, topics, metadata) => {
  const ordered = [...members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const claimed = new Set<number>();
  let count: number | undefined;
  return ordered.map(([memberId, member]) => {
    const assignments = new Map<string, { topic: string; partitions: number[] }>();
    const instance = instanceOf(member.metadata);
    count ??= instance?.count;
    const takes =
      instance !== undefined && instance.count === count && !claimed.has(instance.index);
    if (takes) claimed.add(instance.index);
    for (const topic of takes ? topics : []) {
      const partitionsCount = metadata.topics.get(topic)?.partitionsCount ?? 0;
      const partitions: number[] = [];
      for (let p = 0; p < partitionsCount; p++) if (ownsPartition(instance!, p)) partitions.push(p);
      if (partitions.length > 0) assignments.set(topic, { topic, partitions });
    }
    return { memberId, assignments };
  });
};

type Stream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;

/** One consumer and its message stream; replaced whole when Kafka is lost. */
interface Session {
  readonly consumer: Consumer;
  readonly stream: Stream;
  /** The timer that measures the partitions' end offsets for the lag. */
  lagTimer?: NodeJS.Timeout;
}

/** Fetched messages waiting at most (the stream's highWaterMark); a fetch adds up to MAX_FETCH_BYTES more. */
const BUFFERED_MESSAGES = 4096;
const MAX_FETCH_BYTES = 4 * 1024 * 1024;
const MAX_PARTITION_FETCH_BYTES = 1024 * 1024;

/**
 * A member of a consumer group reading `topics`. Offsets are committed only
 * by `commit` (never automatically), so the caller decides what is done.
 *
 * When Kafka cannot be reached (at the start or later) the reader reconnects
 * with a growing delay; `condition` says so meanwhile, and `take` throws once
 * it has lasted `unreachableTimeoutMs`. After a reconnection the group's
 * committed position is read again, and messages this reader has already
 * handed out are dropped, so each message is handed out once while this
 * member keeps its partitions.
 */
export class KafkaReader {
  readonly #options: ReaderOptions;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  /** Per "topic:partition", the end offset as last measured (see `#measureEnds`). */
  readonly #ends = new Map<string, bigint>();
  /** Per "topic:partition", the offset after the last message handed out. */
  readonly #next = new Map<string, bigint>();
  /** Per "topic:partition", the restored start offset (see ReaderOptions.start). */
  readonly #started = new Map<string, bigint>();
  readonly #waiters = new Set<() => void>();
  #session: Session | undefined;
  #connecting: Promise<void> | undefined;
  #unreachableSince: number | undefined;
  #problem = '';
  #failure: Error | undefined;
  #closed = false;
  #cancelRetry: (() => void) | undefined;

  constructor(options: ReaderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.unreachableTimeoutMs ?? DEFAULT_UNREACHABLE_TIMEOUT_MS;
    for (const o of options.start ?? []) this.#started.set(`${o.topic}:${o.partition}`, o.offset);
    this.#connecting = this.#connect();
  }

  /** A reader that has joined its group; throws when it cannot (no retries). */
  static async open(options: ReaderOptions): Promise<KafkaReader> {
    const reader = new KafkaReader({ ...options, unreachableTimeoutMs: 0 });
    await reader.#connecting;
    if (reader.#failure) {
      await reader.close();
      throw reader.#failure;
    }
    return reader;
  }

  /** Up to `max` messages already fetched; none when nothing is waiting. Throws a read failure. */
  take(max: number): KafkaMessage[] {
    this.#checkTimeout();
    if (this.#failure) throw this.#failure;
    const out: KafkaMessage[] = [];
    const stream = this.#session?.stream;
    // Messages come in runs of one partition: its entry in #next is read and written once a run.
    let topic = '';
    let partition = -1;
    let key = '';
    let next: bigint | undefined;
    let moved = false;
    let owned = true;
    const instance = this.#options.instance;
    while (stream && out.length < max) {
      const message = stream.read() as Message<Buffer, Buffer, Buffer, Buffer> | null;
      if (message === null) break;
      if (message.partition !== partition || message.topic !== topic) {
        if (moved) this.#next.set(key, next!);
        topic = message.topic;
        partition = message.partition;
        key = `${topic}:${partition}`;
        next = this.#next.get(key);
        moved = false;
        // While an instance is alone in the group it is given every partition: another's are
        // left unread for their owner (nothing of them is handed out, or committed).
        owned = instance === undefined || ownsPartition(instance, partition);
      }
      if (!owned) continue;
      if (next !== undefined && message.offset < next) continue; // Read again after a reconnection.
      next = message.offset + 1n;
      moved = true;
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
    if (moved) this.#next.set(key, next!);
    return out;
  }

  /** Resolves when messages may be waiting (or the reader's state changed), or after `ms`. */
  waitForMessages(ms: number): Promise<void> {
    if ((this.#session?.stream.readableLength ?? 0) > 0 || this.#failure) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }

  /** Whether the reader is in its group now (not reconnecting). */
  get connected(): boolean {
    return this.#session !== undefined;
  }

  /** The partitions this member owns now (none while disconnected). */
  assignments(): TopicPartition[] {
    const out: TopicPartition[] = [];
    const instance = this.#options.instance;
    for (const a of this.#session?.consumer.assignments ?? []) {
      for (const partition of a.partitions) {
        if (instance === undefined || ownsPartition(instance, partition)) {
          out.push({ topic: a.topic, partition });
        }
      }
    }
    return out;
  }

  /**
   * Per partition the next offset to hand out: after the last message
   * handed out, or where reading started when none has been yet (the
   * restored offset, or the owned partition's start, so a restore starts
   * there too and not at the group's commit of the time).
   */
  position(): PartitionOffset[] {
    const offsets = new Map(this.#started);
    for (const [key, offset] of this.#next) offsets.set(key, offset);
    const start = this.#session?.stream.offsetsCommitted;
    for (const tp of this.assignments()) {
      const key = `${tp.topic}:${tp.partition}`;
      const offset = start?.get(key);
      if (!offsets.has(key) && offset !== undefined && offset >= 0n) offsets.set(key, offset);
    }
    return [...offsets].map(([key, offset]) => ({ ...splitKey(key), offset }));
  }

  /** Saves the group's position: `offset` is the next record to read. */
  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const session = this.#session;
    if (!session) throw new Error('Kafka is unreachable; the position is saved once it is back');
    await session.consumer.commit({
      offsets: offsets.map((o) => ({ ...o, leaderEpoch: -1 })),
    });
  }

  /**
   * Records not yet handed out of each owned partition ("topic:partition" →
   * lag): its end offset, measured every `lagIntervalMs`, minus the next
   * offset to hand out (the start position until a message has been).
   */
  lag(): ReadonlyMap<string, number> {
    const lag = new Map<string, number>();
    const start = this.#session?.stream.offsetsCommitted;
    for (const { topic, partition } of this.assignments()) {
      const key = `${topic}:${partition}`;
      const end = this.#ends.get(key);
      const next = this.#next.get(key) ?? start?.get(key);
      if (end === undefined || next === undefined) continue;
      lag.set(key, end > next ? Number(end - next) : 0);
    }
    return lag;
  }

  /** A sentence saying what is wrong while Kafka cannot be reached; undefined when all is well. */
  condition(): string | undefined {
    if (this.#unreachableSince === undefined || this.#failure) return undefined;
    const seconds = Math.round((this.#now() - this.#unreachableSince) / 1000);
    return `Kafka at ${this.#options.bootstrap} is unreachable (for ${seconds} s: ${this.#problem}); reconnecting, the job fails after ${formatMs(this.#timeoutMs)}`;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelRetry?.();
    await this.#connecting;
    const session = this.#session;
    this.#session = undefined;
    if (session) await closeSession(session);
    this.#wake();
  }

  /** Joins the group, retrying with a growing delay until it works, the reader closes or fails. */
  async #connect(): Promise<void> {
    let delay = FIRST_RETRY_MS;
    while (!this.#closed && !this.#failure) {
      const consumer = this.#consumer();
      try {
        const stream = await consumer.consume({
          topics: [...this.#options.topics],
          ...this.#startAt(),
          fallbackMode: this.#options.fallback,
          autocommit: false,
          highWaterMark: BUFFERED_MESSAGES,
        });
        if (this.#closed) {
          await closeSession({ consumer, stream });
          break;
        }
        this.#attach({ consumer, stream });
        break;
      } catch (error) {
        await closeConsumer(consumer);
        if (refused(error)) {
          this.#failure = new Error(
            `Could not join consumer group '${this.#options.group}': ${describe(error)}`,
          );
          break;
        }
        this.#unreachable(error);
        if (this.#failure) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.#cancelRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#cancelRetry = undefined;
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }
    this.#connecting = undefined;
    this.#wake();
  }

  /**
   * The group's committed offsets, or, when restored, the restored offsets
   * moved on past what was handed out since (also after a reconnection).
   */
  #startAt():
    | { mode: 'committed' }
    | { mode: 'manual'; offsets: { topic: string; partition: number; offset: bigint }[] } {
    if (this.#options.start === undefined) return { mode: 'committed' };
    const offsets = new Map(this.#started);
    for (const [key, offset] of this.#next) offsets.set(key, offset);
    return {
      mode: 'manual',
      offsets: [...offsets].map(([key, offset]) => ({ ...splitKey(key), offset })),
    };
  }

  #consumer(): Consumer {
    const consumer = new Consumer({
      clientId: this.#options.clientId,
      groupId: this.#options.group,
      bootstrapBrokers: bootstrapList(this.#options.bootstrap),
      autocommit: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTime: 200,
      maxBytes: MAX_FETCH_BYTES,
      maxBytesPerPartition: MAX_PARTITION_FETCH_BYTES,
      ...(this.#options.instance
        ? {
            protocols: [
              {
                name: INSTANCE_PROTOCOL,
                version: 1,
                metadata: `${this.#options.instance.index}/${this.#options.instance.count}`,
              },
            ],
            partitionAssigner: instanceAssigner,
          }
        : {}),
    });
    // An 'error' event without a listener would end the process; once attached, #lost handles it.
    consumer.on('error', () => {});
    return consumer;
  }

  #attach(session: Session): void {
    const { consumer, stream } = session;
    this.#session = session;
    this.#unreachableSince = undefined;
    this.#problem = '';
    // A permanent 'readable' listener keeps the stream in paused mode with
    // `readableFlowing === false`. Without one, Node sets it back to null,
    // and MessagesStream's fetch loop stops for good when it is restarted then
    // (its `_read` returns without pushing, so Node never calls it again).
    stream.on('readable', () => this.#wake());
    stream.on('error', (error) => this.#lost(session, error));
    // The consumer emits 'error' when it cannot rejoin its group.
    consumer.on('error', (error) => this.#lost(session, error));
    // Partitions this member no longer owns may come back from another
    // member's commits: forget what was handed out for them.
    consumer.on('consumer:group:join', () => {
      if (this.#options.keepPositions) return;
      const owned = new Set(this.assignments().map((tp) => `${tp.topic}:${tp.partition}`));
      for (const key of this.#next.keys()) if (!owned.has(key)) this.#next.delete(key);
    });
    // Not the client's lag monitoring: it subtracts the stream's own commits,
    // and this reader commits through the consumer, so it stayed at the
    // backlog the job started with.
    const measure = () => this.#measureEnds(session);
    measure();
    session.lagTimer = setInterval(measure, this.#options.lagIntervalMs ?? 2_000);
    session.lagTimer.unref();
  }

  #measureEnds(session: Session): void {
    session.consumer
      .listOffsets({ topics: [...this.#options.topics] })
      .then((offsets) => {
        if (this.#session !== session) return;
        for (const [topic, partitions] of offsets) {
          partitions.forEach((end, partition) => {
            this.#ends.set(`${topic}:${partition}`, end);
          });
        }
      })
      .catch(() => {}); // Measured again at the next interval.
  }

  /** The session broke (the broker went away, the group could not be rejoined): start again. */
  #lost(session: Session, error: unknown): void {
    if (this.#session !== session) return;
    this.#session = undefined;
    void closeSession(session);
    if (this.#closed) return;
    this.#unreachable(error);
    this.#connecting ??= this.#connect();
    this.#wake();
  }

  #unreachable(error: unknown): void {
    this.#unreachableSince ??= this.#now();
    this.#problem = describe(error);
    this.#checkTimeout();
  }

  #checkTimeout(): void {
    if (this.#failure || this.#unreachableSince === undefined) return;
    if (this.#now() - this.#unreachableSince < this.#timeoutMs) return;
    this.#failure = new Error(
      this.#timeoutMs === 0
        ? `Could not join consumer group '${this.#options.group}' at ${this.#options.bootstrap}: ${this.#problem}`
        : `Kafka at ${this.#options.bootstrap} was unreachable for ${formatMs(this.#timeoutMs)} (the source's unreachable timeout): ${this.#problem}`,
    );
    this.#cancelRetry?.();
    this.#wake();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

function splitKey(key: string): TopicPartition {
  const at = key.lastIndexOf(':');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

async function closeSession(session: Session): Promise<void> {
  clearInterval(session.lagTimer);
  session.stream.on('error', () => {});
  await session.stream.close().catch(() => {});
  await closeConsumer(session.consumer);
}

/** Closes a consumer, leaving its group at once; never throws. */
function closeConsumer(consumer: Consumer): Promise<void> {
  consumer.on('error', () => {});
  return new Promise((resolve) => consumer.close(true, () => resolve()));
}
