// Browsing a cluster for the designer: its topics with their sizes, and the
// latest messages of one topic. Neither joins a consumer group nor commits
// anything: offsets are listed and records fetched straight from the
// partition leaders, so looking leaves no trace on the cluster.
import { Admin, Consumer } from '@platformatic/kafka';
import { bootstrapList, type KafkaMessage, type KafkaTopic } from '@sluice/shared';
import { describe } from './client.js';

/** Why the cluster could not answer: it was not reached, or it has no such topic. */
export class KafkaBrowseError extends Error {
  override readonly name = 'KafkaBrowseError';
  constructor(
    readonly reason: 'unreachable' | 'unknown-topic',
    message: string,
  ) {
    super(message);
  }
}

export const MAX_SAMPLE_MESSAGES = 200;
export const MAX_SAMPLE_VALUE_CHARS = 16_384;
/** Bytes fetched per partition and per request: what bounds a sample's memory. */
const PARTITION_FETCH_BYTES = 1024 * 1024;
const FETCH_BYTES = 8 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 5_000;

/** The cluster's topics (internal ones left out), by name, with partitions and message counts. */
export async function listTopics(
  bootstrap: string,
  options: { timeoutMs?: number } = {},
): Promise<KafkaTopic[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const admin = new Admin({ clientId: 'sluice-browse', ...clientOptions(bootstrap, timeoutMs) });
  try {
    return await withDeadline(bootstrap, timeoutMs, async () => {
      const names = (await admin.listTopics({ includeInternals: false }))
        .filter((name) => !name.startsWith('__'))
        .sort();
      if (names.length === 0) return [];
      const metadata = await admin.metadata({ topics: names });
      const request = (timestamp: bigint) => ({
        topics: names.map((name) => ({
          name,
          partitions: Array.from(
            { length: metadata.topics.get(name)?.partitionsCount ?? 0 },
            (_, partitionIndex) => ({ partitionIndex, timestamp }),
          ),
        })),
      });
      const [starts, ends] = await Promise.all([
        admin.listOffsets(request(EARLIEST)),
        admin.listOffsets(request(LATEST)),
      ]);
      const startOf = offsetsByPartition(starts);
      return names.map((name) => {
        const partitions = metadata.topics.get(name)?.partitionsCount ?? 0;
        let messages = 0n;
        for (const p of ends.find((t) => t.name === name)?.partitions ?? []) {
          const start = startOf.get(`${name}:${p.partitionIndex}`) ?? 0n;
          if (p.offset > start) messages += p.offset - start;
        }
        return { name, partitions, messages: Number(messages) };
      });
    });
  } catch (error) {
    throw browseError(error, bootstrap);
  } finally {
    await admin.close().catch(() => {});
  }
}

/**
 * The latest `limit` messages of a topic (at most `MAX_SAMPLE_MESSAGES`), newest
 * first: up to `limit` from the end of each partition, then the newest overall
 * by timestamp. Gives up after `timeoutMs` with what it has, or fails when the
 * cluster could not be reached at all.
 */
export async function sampleTopic(
  bootstrap: string,
  topic: string,
  options: { limit?: number; timeoutMs?: number } = {},
): Promise<KafkaMessage[]> {
  const limit = Math.max(1, Math.min(options.limit ?? 20, MAX_SAMPLE_MESSAGES));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  // A consumer only for its fetch and offset requests: it never joins this group.
  const consumer = new Consumer({
    clientId: 'sluice-sample',
    groupId: 'sluice-sample-unused',
    ...clientOptions(bootstrap, timeoutMs),
  });
  try {
    return await withDeadline(bootstrap, timeoutMs, async () => {
      const metadata = await consumer.metadata({ topics: [topic] });
      const info = metadata.topics.get(topic);
      if (!info) throw unknownTopic(topic);
      const [starts, ends] = await Promise.all([
        consumer.listOffsets({ topics: [topic], timestamp: EARLIEST }),
        consumer.listOffsets({ topics: [topic], timestamp: LATEST }),
      ]);
      // Per partition: the next offset to fetch and the end to reach.
      const wanted = info.partitions
        .map((p, partition) => {
          const end = ends.get(topic)?.[partition] ?? 0n;
          const start = starts.get(topic)?.[partition] ?? 0n;
          const from = end - BigInt(limit) > start ? end - BigInt(limit) : start;
          return { partition, leader: p.leader, next: from, end };
        })
        .filter((w) => w.next < w.end);
      const out: KafkaMessage[] = [];
      while (wanted.some((w) => w.next < w.end) && Date.now() < deadline) {
        const byLeader = new Map<number, typeof wanted>();
        for (const w of wanted) {
          if (w.next >= w.end) continue;
          const list = byLeader.get(w.leader) ?? [];
          list.push(w);
          byLeader.set(w.leader, list);
        }
        const responses = await Promise.all(
          [...byLeader].map(([node, list]) =>
            consumer.fetch({
              node,
              maxWaitTime: 100,
              maxBytes: FETCH_BYTES,
              topics: [
                {
                  topicId: info.id,
                  partitions: list.map((w) => ({
                    partition: w.partition,
                    currentLeaderEpoch: -1,
                    fetchOffset: w.next,
                    lastFetchedEpoch: -1,
                    partitionMaxBytes: PARTITION_FETCH_BYTES,
                  })),
                },
              ],
            }),
          ),
        );
        let progressed = false;
        for (const response of responses) progressed = collect(response, wanted, out) || progressed;
        // A partition whose records are gone (compacted, deleted) gives nothing: stop.
        if (!progressed) break;
      }
      out.sort((a, b) => b.timestamp - a.timestamp || Number(BigInt(b.offset) - BigInt(a.offset)));
      return out.slice(0, limit);
    });
  } catch (error) {
    throw browseError(error, bootstrap, topic);
  } finally {
    await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
  }
}

type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

interface Wanted {
  readonly partition: number;
  readonly leader: number;
  next: bigint;
  readonly end: bigint;
}

/** Adds the fetched records below each partition's end; true when any partition moved on. */
function collect(response: FetchResponse, wanted: Wanted[], out: KafkaMessage[]): boolean {
  let progressed = false;
  for (const topic of response.responses) {
    for (const p of topic.partitions) {
      const w = wanted.find((x) => x.partition === p.partitionIndex);
      if (!w) continue;
      for (const batch of p.records ?? []) {
        for (const record of batch.records) {
          const offset = batch.firstOffset + BigInt(record.offsetDelta);
          if (offset < w.next || offset >= w.end) continue;
          const value = record.value?.toString('utf8') ?? null;
          out.push({
            partition: p.partitionIndex,
            offset: offset.toString(),
            timestamp: Number(batch.firstTimestamp + record.timestampDelta),
            key: record.key?.toString('utf8') ?? null,
            value: value === null ? null : value.slice(0, MAX_SAMPLE_VALUE_CHARS),
            truncated: value !== null && value.length > MAX_SAMPLE_VALUE_CHARS,
          });
          w.next = offset + 1n;
          progressed = true;
        }
      }
    }
  }
  return progressed;
}

const EARLIEST = -2n;
const LATEST = -1n;

function clientOptions(bootstrap: string, timeoutMs: number) {
  return {
    bootstrapBrokers: bootstrapList(bootstrap),
    connectTimeout: Math.min(timeoutMs, 3_000),
    requestTimeout: timeoutMs,
    timeout: timeoutMs,
    retries: 1,
    retryDelay: 100,
  };
}

function offsetsByPartition(
  topics: readonly {
    name: string;
    partitions: readonly { partitionIndex: number; offset: bigint }[];
  }[],
): Map<string, bigint> {
  const map = new Map<string, bigint>();
  for (const t of topics) {
    for (const p of t.partitions) map.set(`${t.name}:${p.partitionIndex}`, p.offset);
  }
  return map;
}

/** Runs `work`, failing as unreachable when it takes longer than `ms`. */
async function withDeadline<T>(bootstrap: string, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new KafkaBrowseError(
            'unreachable',
            `Kafka at ${bootstrap} did not answer within ${(ms / 1000).toFixed(0)} s.`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function browseError(error: unknown, bootstrap: string, topic?: string): KafkaBrowseError {
  if (error instanceof KafkaBrowseError) return error;
  const text = describe(error);
  if (topic !== undefined && /unknown topic|UNKNOWN_TOPIC/i.test(text)) return unknownTopic(topic);
  return new KafkaBrowseError('unreachable', `Could not reach Kafka at ${bootstrap}: ${text}`);
}

function unknownTopic(topic: string): KafkaBrowseError {
  return new KafkaBrowseError('unknown-topic', `The cluster has no topic '${topic}'.`);
}
