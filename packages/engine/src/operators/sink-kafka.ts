import type { sinkKafka } from '@sluice/shared';
import type { Batch } from '../batch.js';
import type { OutgoingMessage } from '../io/kafka/client.js';
import { KafkaWriter } from '../io/kafka/client.js';
import { valueEncoder } from '../io/kafka/records.js';
import {
  LostTransactionError,
  type PendingTransaction,
  POOL_SIZE,
  TransactionalWriter,
} from '../io/kafka/transactions.js';
import type { EnvironmentOf, Operator } from '../operator.js';
import { validDuration } from './compile.js';

/** Kafka refuses a transaction timeout above its `transaction.max.timeout.ms` (15 min by default). */
const MAX_TRANSACTION_TIMEOUT_MS = 15 * 60_000;

/**
 * How long Kafka keeps a transaction open: it must outlive a checkpoint
 * interval, the checkpoint's write, and the restart after a crash (the
 * transaction of a durable checkpoint is committed by the recovery).
 */
export function transactionTimeoutMs(checkpointIntervalMs: number | undefined): number {
  return Math.min(MAX_TRANSACTION_TIMEOUT_MS, Math.max(60_000, 10 * (checkpointIntervalMs ?? 0)));
}

/**
 * Writes each record as one message.
 *
 * Without checkpoints (or with delivery at least once), at least once:
 * `flush` resolves only when the brokers have acknowledged every message,
 * and the runtime commits the sources' positions only after it.
 *
 * With checkpoints, exactly once (io/kafka/transactions.ts): the messages
 * between two checkpoints go in one transaction, committed once the
 * checkpoint after them is durable. The checkpoint records that transaction,
 * so a job restored from it commits it if the crash came first.
 */
export function createKafkaSink(env: EnvironmentOf<typeof sinkKafka>): Operator {
  const { config } = env;
  const fields = env.inputs[0]?.[0]?.fields ?? [];
  const encode = valueEncoder(config.format, fields, config.csv.delimiter);
  const keyField = config.keyField;
  const toMessages = (batch: Batch): OutgoingMessage[] => {
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
    return messages;
  };
  if (env.checkpointing && config.delivery === 'exactly-once') return exactlyOnce();

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
      const messages = toMessages(batch);
      writer.send(messages);
      sent += messages.length;
    },
    flush: () => writer.flush(),
    backlog: () => writer.backlog,
    metrics: () => ({ messagesSent: sent, unacknowledged: writer.backlog }),
    condition: () => writer.condition(),
    close: () => writer.close(),
  };

  function exactlyOnce(): Operator {
    const nodeId = env.node.id;
    // Each instance of a job has transactions of its own.
    const instance = env.instance ? `.i${env.instance.index}` : '';
    const prefix = `sluice.${env.jobId ?? 'job'}${instance}.${nodeId}`;
    const state = env.state;
    /** The transaction messages go in now. */
    const seq = state.cell('seq', 0);
    /** The transaction a checkpoint cut and that is not yet known to be committed. */
    const pending = state.cell<PendingTransaction | null>('pending', null);
    const sent = state.cell('messagesSent', 0);
    const committed = state.cell('transactionsCommitted', 0);
    const writer = new TransactionalWriter({
      bootstrap: config.bootstrapServers,
      clientId: `sluice-${nodeId}`,
      transactionalIds: Array.from({ length: POOL_SIZE }, (_, i) => `${prefix}.${i}`),
      transactionTimeoutMs: transactionTimeoutMs(env.checkpointIntervalMs),
      compression: config.compression,
      unreachableTimeoutMs: validDuration(config.unreachableTimeout),
    });
    /** Why the sink cannot go on; the job fails with it at the next flush or batch. */
    let broken: Error | undefined;
    let started = false;
    // After the state is restored (or not): the first call starts the writer.
    const start = () => {
      if (started) return;
      started = true;
      const recovering = pending.value;
      writer.start(seq.value, recovering ?? undefined).then(
        // Committed now: a later checkpoint must not name it again (its id is fenced since).
        () => {
          if (pending.value === recovering) pending.value = null;
        },
        (error: unknown) => {
          broken ??=
            error instanceof LostTransactionError
              ? new Error(
                  `Kafka sink '${nodeId}': ${error.message} '${config.topic}' (the messages after the checkpoint before it are there).`,
                )
              : new Error(
                  `Kafka sink '${nodeId}' could not start its transactions: ${messageOf(error)}`,
                );
        },
      );
    };
    // Once the job has restored the state (or not): connected before the first records come.
    queueMicrotask(start);
    const fail = () => broken ?? writer.failure;
    return {
      process(batch) {
        start();
        const failure = fail();
        if (failure) throw failure;
        if (batch.rows.length === 0) return;
        writer.send(toMessages(batch));
        sent.value += batch.rows.length;
      },
      cut() {
        start();
        if (broken) return;
        try {
          const cutOff = writer.cut();
          if (!cutOff) return;
          pending.value = cutOff;
          seq.value = cutOff.seq + 1;
        } catch (error) {
          // The snapshot would say these messages are safe; they are not, so the job must not go on.
          broken = new Error(
            `Kafka sink '${nodeId}' could not set its transaction aside for the checkpoint: ${messageOf(error)}`,
          );
        }
      },
      async flush() {
        start();
        if (broken) throw broken;
        try {
          await writer.flush();
        } catch (error) {
          throw broken ?? error;
        }
        if (broken) throw broken;
      },
      async checkpointed() {
        const failure = fail();
        if (failure) throw failure;
        try {
          if (await writer.commitPending()) committed.value++;
        } catch (error) {
          throw new Error(
            `Kafka sink '${nodeId}' could not commit the transaction of the checkpoint: ${messageOf(error)}`,
          );
        }
        pending.value = null;
      },
      backlog: () => writer.backlog,
      metrics: () => ({
        messagesSent: sent.value,
        transactionsCommitted: committed.value,
        unacknowledged: writer.backlog,
      }),
      close: () => writer.close(),
    };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
