import { type KafkaSinkConfig, parseDuration } from '@sluice/shared';
import type { OutgoingMessage } from '../io/kafka/client.js';
import { KafkaWriter } from '../io/kafka/client.js';
import { valueEncoder } from '../io/kafka/records.js';
import { DEFAULT_UNREACHABLE_TIMEOUT_MS } from '../io/kafka/retry.js';
import type { Operator, OperatorEnvironment } from '../operator.js';

/**
 * Writes each record as one message. At least once: `flush` resolves only
 * when the brokers have acknowledged every message, and the runtime commits
 * the sources' positions only after it.
 */
export function createKafkaSink(env: OperatorEnvironment): Operator {
  const config = env.node.config as KafkaSinkConfig;
  const fields = env.inputs[0]?.[0]?.fields ?? [];
  const encode = valueEncoder(config.format, fields, config.csv?.delimiter);
  const keyField = config.keyField;
  const writer = new KafkaWriter({
    bootstrap: config.bootstrapServers,
    clientId: `sluice-${env.node.id}`,
    compression: config.compression,
    unreachableTimeoutMs:
      parseDuration(config.unreachableTimeout ?? '') ?? DEFAULT_UNREACHABLE_TIMEOUT_MS,
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
