// Exactly-once writes to Kafka: one transaction per checkpoint, made visible
// once the checkpoint is durable and again on recovery (the two-phase commit
// of Flink's KafkaSink; the reasons are in docs/decisions.md).
//
// Each sink node has a pool of three transactional ids, used in turn, one
// transaction per id at a time: transaction s goes on id s % 3. A
// transaction's id is used again only three transactions later, after two
// more checkpoints are durable, so when a recovery commits the transaction
// its checkpoint names, nothing else can have been sent on that id since.
// One Producer per id keeps the producer id and epoch Kafka gave it at the
// start, for every transaction on that id (the library does not ask again).
import { promisify } from 'node:util';
import {
  type Base,
  type ClusterMetadata,
  type Connection,
  describeTransactionsV0,
  endTxnV4,
  findCoordinatorV6,
  kGetBootstrapConnection,
  kGetConnection,
  kMetadata,
  Producer,
} from '@platformatic/kafka';
import { bootstrapList } from '@sluice/shared';
import { type Compression, type OutgoingMessage, requestSize, toMessage } from './client.js';
import { describe, FIRST_RETRY_MS, MAX_RETRY_MS, unreachable } from './retry.js';

/** The library does not export its Transaction class. */
type Transaction = Awaited<ReturnType<Producer['beginTransaction']>>;

/** A pre-committed transaction, as a checkpoint records it (plain data). */
export interface PendingTransaction {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly seq: number;
}

/** The ids of a sink node's pool. */
export const POOL_SIZE = 3;

/** Passed to the first `beginTransaction` of each Producer, so it fences the id's earlier users (the library would send 0/0). */
const FENCE = { producerId: -1n, producerEpoch: -1 };

/** A transaction that could not be committed at recovery: its output is lost. */
export class LostTransactionError extends Error {
  override readonly name = 'LostTransactionError';
}

/** One transaction of the pool: the messages handed to it, sent one request at a time. */
class Open {
  readonly seq: number;
  #transaction: Transaction | undefined;
  #queue: OutgoingMessage[] = [];
  #sending: Promise<void> | undefined;
  /** Messages handed to this transaction. */
  messages = 0;
  unacknowledged = 0;
  failure: Error | undefined;

  constructor(
    seq: number,
    readonly producer: Producer,
    readonly compression: Compression,
  ) {
    this.seq = seq;
  }

  get begun(): boolean {
    return this.#transaction !== undefined;
  }

  /**
   * Starts the transaction (locally: Kafka hears of it with the first send).
   * `fence` on a Producer's first: it asks Kafka for the id's producer id and
   * epoch, aborting what an earlier user of the id left open.
   */
  async begin(fence: boolean): Promise<void> {
    this.#transaction = await this.producer.beginTransaction(fence ? FENCE : undefined);
    this.#pump();
  }

  send(messages: readonly OutgoingMessage[]): void {
    this.messages += messages.length;
    this.unacknowledged += messages.length;
    for (const m of messages) this.#queue.push(m);
    this.#pump();
  }

  #pump(): void {
    if (this.#transaction && this.#queue.length > 0)
      this.#sending ??= this.#drain(this.#transaction);
  }

  async #drain(transaction: Transaction): Promise<void> {
    while (this.#queue.length > 0 && !this.failure) {
      const batch = this.#queue.splice(0, requestSize(this.#queue));
      try {
        await transaction.send({
          messages: batch.map(toMessage),
          compression: this.compression,
        });
      } catch (error) {
        this.failure ??= new Error(`Kafka did not accept the messages: ${describe(error)}`);
      }
      this.unacknowledged -= batch.length;
    }
    this.#sending = undefined;
  }

  /** Waits until every message handed over is acknowledged; throws when one was refused. */
  async flush(): Promise<void> {
    while (this.#sending) await this.#sending;
    if (this.failure) throw this.failure;
  }

  async commit(): Promise<void> {
    await this.flush();
    // Nothing sent: Kafka knows no transaction, and an EndTxn would be refused.
    if (this.messages === 0) await this.#transaction?.cancel();
    else await this.#transaction!.commit();
  }

  /** Ends the transaction without making it visible (a stop without a checkpoint). */
  async abort(): Promise<void> {
    const transaction = this.#transaction;
    if (!transaction || transaction.completed) return;
    while (this.#sending) await this.#sending.catch(() => {});
    if (this.messages === 0) await transaction.cancel();
    else await transaction.abort();
  }
}

export interface TransactionalWriterOptions {
  readonly bootstrap: string;
  readonly clientId: string;
  /** The pool's ids, `POOL_SIZE` of them; transaction s uses ids[s % POOL_SIZE]. */
  readonly transactionalIds: readonly string[];
  /** How long Kafka keeps a transaction open before aborting it (ms, at most 15 min). */
  readonly transactionTimeoutMs: number;
  readonly compression?: Compression;
  /**
   * How long a request keeps being retried while Kafka cannot be reached
   * (the client's own retries, which keep an idempotent request's sequence
   * numbers); then the writer fails, and the job with it.
   */
  readonly unreachableTimeoutMs?: number;
}

/**
 * Sends messages in the current transaction. `cut` sets it aside as pending
 * and opens the next; `flush` waits for the pending one's messages;
 * `commitPending` makes it visible. `start` must come first: it commits the
 * pending transaction a checkpoint names and fences the other ids, aborting
 * what an earlier run left open.
 */
export class TransactionalWriter {
  readonly #options: TransactionalWriterOptions;
  readonly #producers: Producer[];
  #current: Open | undefined;
  #pending: Open | undefined;
  #ready: Promise<void> | undefined;
  /** Whether the checkpoint the pending transaction belongs to is durable (it must be committed, never aborted). */
  #pendingDurable = false;
  /** Pool indexes whose Producer has asked Kafka for its producer id (and so fenced the id). */
  readonly #initialized = new Set<number>();
  #started = false;
  #failure: Error | undefined;

  constructor(options: TransactionalWriterOptions) {
    this.#options = options;
    this.#producers = options.transactionalIds.map(
      (transactionalId) =>
        new Producer({
          clientId: options.clientId,
          bootstrapBrokers: bootstrapList(options.bootstrap),
          idempotent: true,
          transactionalId,
          // Also the transaction timeout Kafka is told (the library's default is 5 s).
          timeout: options.transactionTimeoutMs,
          autocreateTopics: true,
          retries: Math.max(
            3,
            Math.ceil((options.unreachableTimeoutMs ?? 30_000) / RETRY_DELAY_MS),
          ),
          retryDelay: RETRY_DELAY_MS,
        }),
    );
  }

  /**
   * Recovers and opens transaction `seq`: commits `pending` (recorded by the
   * checkpoint being restored), then fences the pool's other ids (all of
   * them without `pending`), aborting what an earlier run left open there.
   * `pending`'s id is left alone until its turn comes again, so a
   * checkpoint cut meanwhile may still name it: committing it again
   * succeeds. Rejects with LostTransactionError when Kafka had already
   * aborted `pending`.
   */
  start(seq: number, pending: PendingTransaction | undefined): Promise<void> {
    if (this.#started) throw new Error('the writer has started already');
    this.#started = true;
    const first = this.#open(seq);
    this.#current = first;
    this.#ready = (async () => {
      if (pending) await this.#recommit(pending);
      const current = seq % POOL_SIZE;
      await Promise.all(
        this.#producers.map(async (producer, i) => {
          if (i === current || (pending && i === pending.seq % POOL_SIZE)) return;
          const transaction = await producer.beginTransaction(FENCE);
          this.#initialized.add(i);
          await transaction.cancel();
        }),
      );
      await this.#begin(first);
    })();
    this.#ready.catch((error: unknown) => {
      this.#failure ??= error instanceof Error ? error : new Error(String(error));
    });
    return this.#ready;
  }

  #open(seq: number): Open {
    return new Open(seq, this.#producers[seq % POOL_SIZE]!, this.#options.compression ?? 'none');
  }

  #begin(open: Open): Promise<void> {
    const i = open.seq % POOL_SIZE;
    const fence = !this.#initialized.has(i);
    this.#initialized.add(i);
    return open.begin(fence);
  }

  async #recommit(pending: PendingTransaction): Promise<void> {
    const producer = this.#producers[pending.seq % POOL_SIZE]!;
    try {
      if (pending.producerId >= 0n) await endTransaction(producer, pending, true);
      else await this.#recommitUnnamed(producer, pending);
    } catch (error) {
      const fenced = ['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'INVALID_TXN_STATE'].some(
        (code) =>
          (error as { findBy?: (k: string, v: unknown) => unknown }).findBy?.('apiId', code),
      );
      if (!fenced) throw error;
      throw new LostTransactionError(
        `Kafka had aborted the transaction holding the output written before the checkpoint this job resumed from (transactional id '${pending.transactionalId}', ${describe(error)}), most likely because the job was down longer than the transaction timeout (${Math.round(this.#options.transactionTimeoutMs / 1000)} s); that output is missing from the topic`,
      );
    }
  }

  /**
   * Commits a pending transaction cut before Kafka had named its producer:
   * the id's transaction now is it (nothing else used the id since, see the
   * top of the file), committed already or still to commit.
   */
  async #recommitUnnamed(producer: Producer, pending: PendingTransaction): Promise<void> {
    const state = await describeTransaction(producer, pending.transactionalId);
    if (state.transactionState === 'PrepareCommit' || state.transactionState === 'CompleteCommit')
      return;
    if (state.transactionState !== 'Ongoing') {
      throw new LostTransactionError(
        `Kafka had ended the transaction holding the output written before the checkpoint this job resumed from without committing it (transactional id '${pending.transactionalId}', state ${state.transactionState}), most likely because the job was down longer than the transaction timeout (${Math.round(this.#options.transactionTimeoutMs / 1000)} s); that output is missing from the topic`,
      );
    }
    await endTransaction(
      producer,
      { ...pending, producerId: state.producerId, producerEpoch: state.producerEpoch },
      true,
    );
  }

  get failure(): Error | undefined {
    return this.#failure ?? this.#current?.failure ?? this.#pending?.failure;
  }

  /** Messages handed over but not yet acknowledged. */
  get backlog(): number {
    return (this.#current?.unacknowledged ?? 0) + (this.#pending?.unacknowledged ?? 0);
  }

  send(messages: readonly OutgoingMessage[]): void {
    const failure = this.failure;
    if (failure) throw failure;
    if (messages.length > 0) this.#current!.send(messages);
  }

  /**
   * Sets the current transaction aside for the checkpoint being cut and sends
   * what follows in the next; returns what the checkpoint must record, or
   * undefined when the transaction holds nothing (it goes on). Before
   * Kafka has given the producer its id (just after the start), the id is
   * recorded as -1 and a recovery asks Kafka for it. Throws when a pending
   * transaction was never committed (the checkpoint before failed).
   */
  cut(): PendingTransaction | undefined {
    const current = this.#current!;
    if (current.messages === 0) return undefined;
    if (this.#pending) throw new Error('the transaction of the previous checkpoint is still open');
    this.#pending = current;
    this.#pendingDurable = false;
    const next = this.#open(current.seq + 1);
    this.#current = next;
    // After the start (which begins the transaction it opened, and fences this one's id first),
    // and once every message of the cut transaction is in Kafka's log: the next one's messages
    // wait until then, so that a key's records stay in order in its partition (an update
    // stream's later row after the earlier one), whichever transaction they belong to.
    this.#ready!.then(() => current.flush().catch(() => {}))
      .then(() => this.#begin(next))
      .catch((error: unknown) => {
        next.failure ??= new Error(`Could not begin a Kafka transaction: ${describe(error)}`);
      });
    return {
      transactionalId: this.#options.transactionalIds[current.seq % POOL_SIZE]!,
      producerId: current.producer.producerId ?? -1n,
      producerEpoch: current.producer.producerEpoch ?? -1,
      seq: current.seq,
    };
  }

  /** Waits until the pending transaction (or, without one, the current) has every message acknowledged. */
  async flush(): Promise<void> {
    await this.#ready;
    await (this.#pending ?? this.#current)?.flush();
  }

  /**
   * Commits the pending transaction, its checkpoint being durable; true when
   * there was one. If the commit fails, the transaction stays for a recovery
   * to commit.
   */
  async commitPending(): Promise<boolean> {
    const pending = this.#pending;
    if (!pending) return false;
    this.#pendingDurable = true;
    await pending.commit();
    this.#pending = undefined;
    return true;
  }

  /**
   * Aborts the current transaction (what came after the last checkpoint is
   * sent again after a restore) and closes. A pending one is aborted too
   * when its checkpoint never became durable (its write failed); otherwise
   * it is left for the recovery to commit. Left open, a transaction holds
   * back read_committed consumers until a restart fences it or it times out.
   */
  async close(): Promise<void> {
    await this.#ready?.catch(() => {});
    await this.#current?.abort().catch(() => {});
    if (this.#pending && !this.#pendingDurable) await this.#pending.abort().catch(() => {});
    await Promise.allSettled(this.#producers.map((p) => p.close()));
  }
}

/**
 * EndTxn for a transaction recorded earlier, through `client`'s connections:
 * the library has no call to end a transaction of another Producer (or of a
 * process that died). Committing again what is committed already succeeds.
 */
function endTransaction(client: Base, pending: PendingTransaction, commit: boolean): Promise<void> {
  return withCoordinator(client, pending.transactionalId, async (connection) => {
    await endTxnV4.api.async(
      connection,
      pending.transactionalId,
      pending.producerId,
      pending.producerEpoch,
      commit,
    );
  });
}

/** What the transaction coordinator says of `transactionalId`'s transaction now. */
function describeTransaction(
  client: Base,
  transactionalId: string,
): Promise<{ transactionState: string; producerId: bigint; producerEpoch: number }> {
  return withCoordinator(client, transactionalId, async (connection) => {
    const { transactionStates } = await describeTransactionsV0.api.async(connection, [
      transactionalId,
    ]);
    return transactionStates[0]!;
  });
}

/** Runs `call` on a connection to `transactionalId`'s transaction coordinator, through `client`'s connections. */
async function withCoordinator<T>(
  client: Base,
  transactionalId: string,
  call: (connection: Connection) => Promise<T>,
): Promise<T> {
  const internal = client as unknown as {
    [kGetBootstrapConnection](callback: (error: Error | null, c?: Connection) => void): void;
    [kMetadata](
      options: { topics: string[] },
      callback: (error: Error | null, m?: ClusterMetadata) => void,
    ): void;
    [kGetConnection](
      broker: unknown,
      callback: (error: Error | null, c?: Connection) => void,
    ): void;
  };
  // The coordinator may still be loading after a broker restart: try again while Kafka says so.
  const deadline = Date.now() + RECOVERY_MS;
  let delay = FIRST_RETRY_MS;
  for (;;) {
    try {
      const boot = await promisify(internal[kGetBootstrapConnection].bind(internal))();
      // Key type 1: a transaction coordinator.
      const { coordinators } = await findCoordinatorV6.api.async(boot!, 1, [transactionalId]);
      const metadata = await promisify(internal[kMetadata].bind(internal))({ topics: [] });
      const broker = metadata!.brokers.get(coordinators[0]!.nodeId);
      const connection = await promisify(internal[kGetConnection].bind(internal))(broker);
      return await call(connection!);
    } catch (error) {
      if (!unreachable(error) || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }
}

const RETRY_DELAY_MS = 1_000;

/** How long a recovery keeps trying while Kafka cannot be reached. */
const RECOVERY_MS = 120_000;
