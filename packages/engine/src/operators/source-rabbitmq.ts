import type { sourceRabbitMQ } from '@sluice/shared';
import type amqp from 'amqplib';
import { type Batch, EMPTY_BATCH, type Row, START_OF_TIME } from '../batch.js';
import { valueDecoder } from '../io/kafka/records.js';
import { connectRetrying, newGeneration, rabbitOptions, where } from '../io/rabbitmq/connection.js';
import { BoundedOutOfOrderness, idleTimeoutOf } from '../io/watermarks.js';
import type { EnvironmentOf, Source, SourceCommit, SourceContext } from '../operator.js';
import { validDuration } from './compile.js';
import { namedSecret } from './secret.js';

const BATCH = 1024;
const POLL_MS = 200;
/** Without checkpoints, how often what is safe is acknowledged. */
const ACK_INTERVAL_MS = 1000;

/** Where a RabbitMQ source is, in a checkpoint: the last message handed out, and the watermark. */
interface RabbitPosition {
  /** The channel its delivery tags belong to. */
  readonly generation: string;
  readonly tag: number;
  /** The largest event time seen. */
  readonly newest: number;
}

/** A run of messages handed out together: acknowledged once their results are safe. */
interface Run {
  readonly tag: number;
  readonly maxTime: number;
}

/**
 * Reads a queue, decodes each message by the schema and emits them in
 * batches. A message is acknowledged (with all before it on the channel) only
 * once its results are safe:
 *
 * - with checkpoints, when the checkpoint after it is durable: a job restored
 *   from that checkpoint gets the messages after it again, since the broker
 *   puts back what a closed channel left unacknowledged;
 * - without, when every record before it in event time has left the sinks
 *   (`prepareCommit`), as the Kafka source commits offsets.
 *
 * Messages that cannot be read go to the error output, and to the dead-letter
 * exchange when there is one (confirmed by the broker before the batch that
 * found them is handed out).
 */
export function createRabbitSource(env: EnvironmentOf<typeof sourceRabbitMQ>): Source {
  const { config } = env;
  const nodeId = env.node.id;
  const decode = valueDecoder(config.format, config.schema, config.csv.delimiter);
  const timeField = config.eventTime?.field;
  const watermarks = config.eventTime ? BoundedOutOfOrderness.from(config.eventTime) : undefined;
  const { value: password, unset } = namedSecret(
    env,
    config.passwordSecret,
    `RabbitMQ source '${nodeId}'`,
  );
  const options = rabbitOptions(
    { ...config, unreachableTimeoutMs: validDuration(config.unreachableTimeout) },
    password,
    nodeId,
    () => env.clock.now(),
  );

  let model: amqp.ChannelModel | undefined;
  let channel: amqp.ConfirmChannel | undefined;
  let generation = '';
  let connecting: Promise<void> | undefined;
  let broken: Error | undefined;
  let closed = false;
  let unreachableSince: number | undefined;
  let lastProblem = '';
  /** Delivered and not yet handed out. */
  let buffer: amqp.ConsumeMessage[] = [];
  let wake: (() => void) | undefined;
  /** Handed out and not yet acknowledged, oldest first (this generation's). */
  let runs: Run[] = [];
  let lastTag = 0;
  let deadLettered = 0;
  let redelivered = 0;
  let acknowledged = 0;

  const connect = () => {
    connecting ??= (async () => {
      if (unset) throw unset;
      const m = await connectRetrying(
        options,
        (since, problem) => {
          unreachableSince = since;
          lastProblem = problem;
        },
        () => closed,
      );
      // Until it is ours: a refusal (a missing queue) rejects the call that caused it.
      m.on('error', () => {});
      const ch = await m.createConfirmChannel();
      ch.on('error', () => {});
      await ch.prefetch(config.prefetch);
      if (config.declare) {
        await ch.assertQueue(config.queue, { durable: true });
        for (const b of config.bindings ?? [])
          await ch.bindQueue(config.queue, b.exchange, b.routingKey);
      } else {
        await ch.checkQueue(config.queue);
      }
      const mine = newGeneration();
      // A broken channel or connection: what it left unacknowledged, the broker hands out again.
      const lost = (error?: Error) => {
        if (generation !== mine) return;
        model = undefined;
        channel = undefined;
        buffer = [];
        runs = [];
        lastTag = 0;
        acknowledged = 0;
        generation = '';
        lastProblem = error?.message ?? 'the connection closed';
        if (!closed) unreachableSince ??= env.clock.now();
        wake?.();
      };
      m.on('close', lost);
      ch.on('close', lost);
      await ch.consume(
        config.queue,
        (message) => {
          if (message === null) {
            lost(new Error(`the queue '${config.queue}' was deleted`));
            return;
          }
          buffer.push(message);
          wake?.();
        },
        { noAck: false },
      );
      model = m;
      channel = ch;
      generation = mine;
      unreachableSince = undefined;
    })()
      .catch((error: unknown) => {
        broken ??= describe(error);
      })
      .finally(() => {
        connecting = undefined;
      });
    return connecting;
  };
  const describe = (error: unknown) =>
    error === unset
      ? unset!
      : new Error(
          `RabbitMQ source '${nodeId}' at ${where(options)}, queue '${config.queue}': ${error instanceof Error ? error.message : String(error)}`,
        );

  /** Acknowledges every message up to `tag` of `gen`, if that channel is still the one. */
  const ack = (gen: string, tag: number) => {
    if (gen !== generation || !channel || tag <= 0) return;
    const done = runs.filter((r) => r.tag <= tag);
    if (done.length === 0) return;
    channel.ack({ fields: { deliveryTag: tag } } as amqp.Message, true);
    runs = runs.slice(done.length);
    acknowledged = tag;
  };

  const toRow = (message: amqp.ConsumeMessage, context: SourceContext): Row | undefined => {
    const fail = (problem: string) => {
      const reason = `queue '${config.queue}', message ${message.properties.messageId ?? `#${message.fields.deliveryTag}`}: ${problem}`;
      context.error(message.content.toString('utf8'), reason);
      if (config.deadLetterExchange !== undefined && channel) {
        channel.publish(config.deadLetterExchange, message.fields.routingKey, message.content, {
          ...message.properties,
          headers: {
            ...(message.properties.headers ?? {}),
            'sluice.error': problem,
            'sluice.source.queue': config.queue,
            'sluice.node': nodeId,
          },
        });
        deadLettered++;
      }
      return undefined;
    };
    const decoded = decode(message.content);
    if (decoded.row === undefined) return fail(decoded.problem);
    const row = decoded.row;
    if (config.routingKeyField) row[config.routingKeyField] = message.fields.routingKey;
    if (timeField !== undefined && typeof row[timeField] !== 'number')
      return fail(`${timeField}: the event time is missing`);
    return row;
  };

  return {
    idleTimeoutMs: idleTimeoutOf(config.eventTime),
    commitIntervalMs: ACK_INTERVAL_MS,
    ...(watermarks ? { watermark: () => watermarks.current() } : {}),
    async next(context): Promise<Batch | undefined> {
      if (broken) throw broken;
      if (!channel) await connect();
      if (broken) throw broken;
      if (buffer.length === 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, POLL_MS);
          }),
          context.stopped,
        ]);
        wake = undefined;
      }
      if (!channel) return EMPTY_BATCH; // lost meanwhile: connected again at the next call
      const most = Math.min(BATCH, context.maxRows ?? BATCH);
      const messages = buffer.length <= most ? buffer : buffer.slice(0, most);
      buffer = buffer.length <= most ? [] : buffer.slice(most);
      if (messages.length === 0) return EMPTY_BATCH;
      const rows: Row[] = [];
      const times: number[] = [];
      let maxTime = START_OF_TIME;
      const now = context.now();
      const before = deadLettered;
      for (const message of messages) {
        if (message.fields.redelivered) redelivered++;
        const row = toRow(message, context);
        if (row === undefined) continue;
        const t = timeField === undefined ? now : (row[timeField] as number);
        rows.push(row);
        times.push(t);
        if (t > maxTime) maxTime = t;
      }
      lastTag = messages.at(-1)!.fields.deliveryTag;
      runs.push({ tag: lastTag, maxTime: rows.length === 0 ? START_OF_TIME : maxTime });
      // Bad messages are safe in the dead-letter exchange before the batch's are acknowledged.
      if (deadLettered > before) await channel?.waitForConfirms();
      watermarks?.observe(times);
      return { rows, times };
    },
    position(): RabbitPosition {
      return { generation, tag: lastTag, newest: watermarks?.newest ?? START_OF_TIME };
    },
    restore(position) {
      const saved = position as RabbitPosition;
      if (typeof saved?.tag !== 'number' || typeof saved.generation !== 'string')
        throw new Error('the position is not a RabbitMQ source position');
      // The messages after the checkpoint were never acknowledged: the broker hands them out again.
      if (watermarks) watermarks.newest = saved.newest;
    },
    async checkpointed(position) {
      const saved = position as RabbitPosition;
      ack(saved.generation, saved.tag);
    },
    prepareCommit(doneBefore): SourceCommit | undefined {
      if (env.checkpointing || !channel) return undefined;
      // The longest prefix of runs whose records are all before `doneBefore`.
      let upTo = 0;
      for (const run of runs) {
        if (run.maxTime >= doneBefore) break;
        upTo = run.tag;
      }
      if (upTo === 0) return undefined;
      const gen = generation;
      return async () => ack(gen, upTo);
    },
    metrics: () => ({
      deadLetters: deadLettered,
      redelivered,
      unacknowledged: runs.length === 0 ? 0 : lastTag - acknowledged,
      buffered: buffer.length,
    }),
    condition: () =>
      unreachableSince === undefined
        ? undefined
        : `RabbitMQ at ${where(options)} unreachable for ${Math.round((env.clock.now() - unreachableSince) / 1000)} s, reconnecting: ${lastProblem}`,
    async close() {
      closed = true;
      const m = model;
      const ch = channel;
      model = undefined;
      channel = undefined;
      // The channel first: its close is a round trip, so the acknowledgements sent before it
      // reach the broker (closing the connection alone can lose them).
      await ch?.close().catch(() => {});
      await m?.close().catch(() => {});
    },
  };
}
