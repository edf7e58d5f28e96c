import type { sourceKafka } from '@sluice/shared';
import { type Batch, EMPTY_BATCH, type Row, START_OF_TIME } from '../batch.js';
import {
  type KafkaMessage,
  KafkaWriter,
  type OutgoingMessage,
  type PartitionOffset,
} from '../io/kafka/client.js';
import { PartitionTracker, type TrackerState } from '../io/kafka/partitions.js';
import { KafkaReader } from '../io/kafka/reader.js';
import { valueDecoder } from '../io/kafka/records.js';
import { idleTimeoutOf } from '../io/watermarks.js';
import type { EnvironmentOf, Source, SourceCommit, SourceContext } from '../operator.js';
import { validDuration, validTimestamp } from './compile.js';

const BATCH = 1024;
/** How long `next` waits for messages before returning an empty batch (so idleness is noticed). */
const POLL_MS = 200;
const DEFAULT_PARTITION_IDLE_MS = 5_000;
/** Offsets are committed in steps of at most this many records of a partition. */
const COMMIT_STEP = 32;

/**
 * Where a Kafka source is, in a checkpoint: per partition the next offset
 * [topic, partition, offset], and its watermark's state.
 */
interface KafkaPosition {
  readonly offsets: readonly (readonly [string, number, bigint])[];
  readonly watermark: TrackerState;
}

/**
 * Reads messages of a consumer group, decodes them by the schema and emits
 * them in batches. Watermarks per partition; bad messages go to the
 * dead-letter topic and the error output.
 *
 * Without checkpoints, offsets are committed to the group only for records
 * whose results the sinks have written (see `prepareCommit`), and a new run
 * starts there. With checkpoints, the position (offsets and watermarks) is in
 * each checkpoint and a restored job starts there; the group hears of it
 * only once the checkpoint is durable, for monitoring tools. Dead letters are
 * at least once then: acknowledged before the batch that found them is
 * handed out, and sent again when a restore reads them again.
 */
export function createKafkaSource(env: EnvironmentOf<typeof sourceKafka>): Source {
  const { config } = env;
  const decode = valueDecoder(config.format, config.schema, config.csv.delimiter);
  const timeField = config.eventTime?.field;
  const startAt =
    config.startFrom === 'timestamp' && config.startTimestamp !== undefined
      ? validTimestamp(config.startTimestamp)
      : START_OF_TIME;
  const checkpointing = env.checkpointing;
  const tracker = new PartitionTracker({
    boundMs: config.eventTime ? validDuration(config.eventTime.maxOutOfOrderness) : 0,
    idleMs: idleTimeoutOf(config.eventTime) ?? DEFAULT_PARTITION_IDLE_MS,
    keepRuns: !checkpointing,
    forgetRevoked: !checkpointing,
  });
  /** The restored checkpoint's offsets; reading starts there instead of at the group's. */
  let restored: PartitionOffset[] | undefined;
  const clientId = `sluice-${env.node.id}`;
  const unreachableTimeoutMs = validDuration(config.unreachableTimeout);
  const deadLetterTopic = config.deadLetterTopic;
  const deadLetters = deadLetterTopic
    ? new KafkaWriter({
        bootstrap: config.bootstrapServers,
        clientId: `${clientId}-dlq`,
        unreachableTimeoutMs,
        now: () => env.clock.now(),
      })
    : undefined;
  let reader: KafkaReader | undefined;
  let pendingDead: OutgoingMessage[] = [];
  let deadLettered = 0;
  let skipped = 0;
  let commitFailures = 0;

  /** Sends the message unchanged to the dead-letter topic, with why and where from in its headers. */
  const deadLetter = (message: KafkaMessage, reason: string) => {
    if (!deadLetters || deadLetterTopic === undefined) return;
    const headers: Record<string, Buffer | string> = {};
    for (const [k, v] of message.headers) headers[k.toString('utf8')] = v;
    headers['sluice.error'] = reason;
    headers['sluice.source.topic'] = message.topic;
    headers['sluice.source.partition'] = String(message.partition);
    headers['sluice.source.offset'] = String(message.offset);
    headers['sluice.node'] = env.node.id;
    pendingDead.push({
      topic: deadLetterTopic,
      key: message.key,
      value: message.value ?? Buffer.alloc(0),
      headers,
    });
    deadLettered++;
  };

  const toRow = (message: KafkaMessage, context: SourceContext): Row | undefined => {
    const fail = (problem: string) => {
      const reason = `${message.topic}/${message.partition}@${message.offset}: ${problem}`;
      deadLetter(message, problem);
      context.error(message.value?.toString('utf8') ?? null, reason);
      return undefined;
    };
    if (message.value === undefined || message.value === null)
      return fail('the message has no value');
    const decoded = decode(message.value);
    if (decoded.row === undefined) return fail(decoded.problem);
    const row = decoded.row;
    if (config.keyField) row[config.keyField] = message.key?.toString('utf8') ?? null;
    if (config.timestampField) row[config.timestampField] = message.timestamp;
    if (config.headerFields)
      for (const h of config.headerFields) row[h.field] = headerValue(message, h.header);
    if (timeField !== undefined && typeof row[timeField] !== 'number')
      return fail(`${timeField}: the event time is missing`);
    return row;
  };

  return {
    idleTimeoutMs: idleTimeoutOf(config.eventTime),
    commitIntervalMs: validDuration(config.commitInterval),
    ...(timeField === undefined
      ? {}
      : {
          watermark: () => tracker.watermark(env.clock.now()),
          partitions: (now: number) => tracker.view(now),
          partitionIdleMs: tracker.idleMs,
        }),
    async next(context): Promise<Batch | undefined> {
      reader ??= new KafkaReader({
        bootstrap: config.bootstrapServers,
        clientId,
        group: config.group,
        topics: config.topics,
        fallback: config.startFrom === 'latest' ? 'latest' : 'earliest',
        ...(restored ? { start: restored } : {}),
        keepPositions: checkpointing,
        ...(env.instance ? { instance: env.instance } : {}),
        unreachableTimeoutMs,
        now: () => env.clock.now(),
      });
      // As many as the runtime asks for (it sizes batches by time, so a costly graph stops promptly).
      const most = Math.min(BATCH, context.maxRows ?? BATCH);
      let messages = reader.take(most);
      if (messages.length === 0) {
        await Promise.race([reader.waitForMessages(POLL_MS), context.stopped]);
        messages = reader.take(most);
      }
      const now = context.now();
      // While reconnecting the reader owns nothing yet: keep what is tracked, uncommitted runs included.
      if (reader.connected) tracker.own(reader.assignments(), now);
      if (messages.length === 0) return EMPTY_BATCH;
      const rows: Row[] = [];
      const times: number[] = [];
      // Runs of one partition: offsets first..last, latest event time among the rows emitted.
      let run = messages[0]!;
      let first = run.offset;
      let last = run.offset;
      let maxTime = START_OF_TIME;
      for (const message of messages) {
        if (
          message.partition !== run.partition ||
          message.topic !== run.topic ||
          message.offset - first >= COMMIT_STEP
        ) {
          tracker.read(run, first, last, maxTime, now);
          run = message;
          first = message.offset;
          maxTime = START_OF_TIME;
        }
        last = message.offset;
        if (message.timestamp < startAt) {
          skipped++;
          continue;
        }
        const row = toRow(message, context);
        if (row === undefined) continue;
        const t = timeField === undefined ? now : (row[timeField] as number);
        rows.push(row);
        times.push(t);
        if (t > maxTime) maxTime = t;
      }
      tracker.read(run, first, last, maxTime, now);
      if (pendingDead.length > 0) {
        deadLetters!.send(pendingDead);
        pendingDead = [];
        // A checkpoint taken after this batch holds a position past the bad messages.
        if (checkpointing) await deadLetters!.flush();
      }
      return { rows, times };
    },
    position(): KafkaPosition {
      const offsets = reader?.position() ?? restored ?? [];
      return {
        offsets: offsets.map((o) => [o.topic, o.partition, o.offset] as const),
        watermark: tracker.save(),
      };
    },
    restore(position) {
      const saved = position as KafkaPosition;
      if (!Array.isArray(saved?.offsets) || typeof saved.watermark?.emitted !== 'number')
        throw new Error('the position is not a Kafka source position');
      restored = saved.offsets.map(([topic, partition, offset]) => ({ topic, partition, offset }));
      tracker.restore(saved.watermark, env.clock.now());
    },
    async checkpointed(position) {
      // For monitoring tools only: a restore reads the checkpoint, never the group.
      const offsets = (position as KafkaPosition).offsets.map(([topic, partition, offset]) => ({
        topic,
        partition,
        offset,
      }));
      await reader?.commit(offsets).catch(() => {
        commitFailures++;
      });
    },
    prepareCommit(doneBefore): SourceCommit | undefined {
      // With checkpoints the group hears of positions only in `checkpointed`.
      if (!reader || checkpointing) return undefined;
      const offsets = tracker.takeCommittable(doneBefore);
      const current = reader;
      return async () => {
        // Bad messages must be safe in the dead-letter topic before their offsets are saved.
        await deadLetters?.flush();
        if (offsets.length === 0) return;
        try {
          await current.commit(offsets);
        } catch {
          // A rebalance took the partitions away; their new owner reads again from the last commit.
          commitFailures++;
        }
      };
    },
    metrics() {
      const figures: Record<string, number> = {
        deadLetters: deadLettered,
        skippedBeforeStart: skipped,
        commitFailures,
        idlePartitions: tracker.idle(env.clock.now()),
      };
      let total = 0;
      for (const [partition, lag] of reader?.lag() ?? []) {
        figures[`lag ${partition}`] = lag;
        total += lag;
      }
      figures.lag = total;
      return figures;
    },
    condition: () => reader?.condition() ?? deadLetters?.condition(),
    async close() {
      await Promise.allSettled([reader?.close(), deadLetters?.close()]);
    },
  };
}

function headerValue(message: KafkaMessage, name: string): string | null {
  for (const [k, v] of message.headers) if (k.toString('utf8') === name) return v.toString('utf8');
  return null;
}
