import type { sinkRabbitMQ } from '@sluice/shared';
import type amqp from 'amqplib';
import type { Row } from '../batch.js';
import { valueEncoder } from '../io/kafka/records.js';
import { connectRetrying, rabbitOptions, where } from '../io/rabbitmq/connection.js';
import type { EnvironmentOf, Operator } from '../operator.js';
import { validDuration } from './compile.js';
import { namedSecret } from './secret.js';

/** A message published and not yet confirmed: published again on a new channel if that one breaks. */
interface Outgoing {
  readonly routingKey: string;
  readonly content: Buffer;
}

/**
 * Publishes each record as one message on a confirm channel, `mandatory`, so
 * a message no queue takes fails the job instead of vanishing. At least once:
 * `flush` resolves once the broker has confirmed every message, and the
 * runtime saves the sources' positions only after it; after a broken
 * connection, the unconfirmed messages are published again.
 */
export function createRabbitSink(env: EnvironmentOf<typeof sinkRabbitMQ>): Operator {
  const { config } = env;
  const nodeId = env.node.id;
  const fields = env.inputs[0]?.[0]?.fields ?? [];
  const encode = valueEncoder(config.format, fields, config.csv.delimiter);
  const { value: password, unset } = namedSecret(
    env,
    config.passwordSecret,
    `RabbitMQ sink '${nodeId}'`,
  );
  const options = rabbitOptions(
    { ...config, unreachableTimeoutMs: validDuration(config.unreachableTimeout) },
    password,
    nodeId,
    () => env.clock.now(),
  );
  const contentType = config.format === 'json' ? 'application/json' : 'text/csv';
  let model: amqp.ChannelModel | undefined;
  let channel: amqp.ConfirmChannel | undefined;
  let connecting: Promise<void> | undefined;
  let broken: Error | undefined;
  let closed = false;
  let unreachableSince: number | undefined;
  let lastProblem = '';
  /** Published since the last confirmed flush. */
  let unconfirmed: Outgoing[] = [];
  let sent = 0;
  let returned = 0;

  const describe = (error: unknown) =>
    error === unset
      ? unset!
      : new Error(
          `RabbitMQ sink '${nodeId}' at ${where(options)}: ${error instanceof Error ? error.message : String(error)}`,
        );
  const publish = (ch: amqp.ConfirmChannel, message: Outgoing) =>
    ch.publish(config.exchange, message.routingKey, message.content, {
      persistent: config.persistent,
      contentType,
      mandatory: true,
    });
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
      m.on('error', () => {});
      const ch = await m.createConfirmChannel();
      ch.on('error', () => {});
      const lost = () => {
        if (channel !== ch) return;
        channel = undefined;
        model = undefined;
        if (!closed) unreachableSince ??= env.clock.now();
      };
      m.on('close', lost);
      ch.on('close', lost);
      // A message no queue took: the broker hands it back instead of keeping it.
      ch.on('return', (message: amqp.Message) => {
        returned++;
        broken ??= new Error(
          `RabbitMQ sink '${nodeId}': no queue takes messages published to ${config.exchange === '' ? 'the default exchange' : `exchange '${config.exchange}'`} with routing key '${message.fields.routingKey}' (bind a queue to it, or change the routing key); the message was not kept`,
        );
      });
      if (config.exchange !== '') await ch.checkExchange(config.exchange);
      else if (config.declareQueue) await ch.assertQueue(config.routingKey, { durable: true });
      // What the broken channel had not confirmed goes again.
      for (const message of unconfirmed) publish(ch, message);
      model = m;
      channel = ch;
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
  void connect();

  const routingKeyOf = (row: Row) => {
    if (config.routingKeyField === undefined) return config.routingKey;
    const value = row[config.routingKeyField];
    return value === null || value === undefined ? config.routingKey : String(value);
  };

  return {
    process(batch) {
      if (broken) throw broken;
      for (const row of batch.rows) {
        const message = { routingKey: routingKeyOf(row), content: Buffer.from(encode(row)) };
        unconfirmed.push(message);
        if (channel) publish(channel, message);
      }
      sent += batch.rows.length;
    },
    async flush() {
      for (;;) {
        if (broken) throw broken;
        if (!channel) await connect();
        if (broken) throw broken;
        const ch = channel;
        if (!ch) continue;
        const waiting = unconfirmed.length;
        try {
          await ch.waitForConfirms();
        } catch (error) {
          if (channel === ch) throw describe(error);
          continue; // the channel broke: published again on the next one
        }
        if (channel !== ch) continue;
        // A return comes before the confirm of its message.
        if (broken) throw broken;
        unconfirmed = unconfirmed.slice(waiting);
        return;
      }
    },
    backlog: () => unconfirmed.length,
    metrics: () => ({ messagesSent: sent, unacknowledged: unconfirmed.length, returned }),
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
      await ch?.close().catch(() => {});
      await m?.close().catch(() => {});
    },
  };
}
