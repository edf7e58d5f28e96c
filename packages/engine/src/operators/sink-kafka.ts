import type { sinkKafka } from '@sluice/shared';
import type { OutgoingMessage } from '../io/kafka/client.js';
import { KafkaWriter } from '../io/kafka/client.js';
import { valueEncoder } from '../io/kafka/records.js';
import type { EnvironmentOf, Operator } from '../operator.js';
import { validDuration } from './compile.js';

/**
 * Writes each record as one message. At least once: `flush` resolves only
 * when the brokers have acknowledged every message, and the runtime commits
 * the sources' positions only after it.
 */
export function createKafkaSink(env: EnvironmentOf<typeof sinkKafka>): Operator {
  const { config } = env;
  const fields = env.inputs[0]?.[0]?.fields ?? [];
  const encode = valueEncoder(config.format, fields, config.csv.delimiter);
  const keyField = config.keyField;
  const writer = new KafkaWriter({
    bootstrap: config.bootstrapServers,
    clientId: `sluice-${env.node.id}`,
    compression: config.compression,
    unreachableTimeoutMs: validDuration(config.unreachableTimeout),
    now: () => env.clock.now(),
  });
  let sent = 0;
  return {
    process(batch) {
      const messages: OutgoingMessage[] = new Array(batch.rows.length);
      for (let i = 0; i < batch.rows.length; i++) {
        const row = batch.rows[i]!;
        const key = keyField === undefined ? undefined : row[keyField];
        messages[i] = {
          topic: config.topic,
          key: key === undefined || key === null ? undefined : String(key),
          value: encode(row),
        };
      }
      writer.send(messages);
      sent += messages.length;
    },
    flush: () => writer.flush(),
    backlog: () => writer.backlog,
    metrics: () => ({ messagesSent: sent, unacknowledged: writer.backlog }),
    condition: () => writer.condition(),
    close: () => writer.close(),
  };
}
