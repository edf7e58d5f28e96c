// The runtime side of an operator kind. The declaration (ports, config
// schema, output schema) lives in @sluice/shared; this is what runs.
import {
  type ConfigOf,
  type NodeView,
  type OperatorDefinition,
  type PartitionTime,
  type Pending,
  type PipelineNode,
  type StateStep,
  type StreamSchema,
  withDefaults,
} from '@sluice/shared';
import type { Batch, Row } from './batch.js';
import type { DataDir } from './io/data-dir.js';
import type { Clock } from './runtime/clock.js';
import type { StateStore, StoreSnapshot } from './runtime/state.js';

/** One of the instances of a job that run side by side, each with its share of the input. */
export interface JobInstance {
  /** 0 … count - 1. */
  readonly index: number;
  readonly count: number;
}

/**
 * What the runtime hands an operator on each call. Valid only during that
 * call: an operator never keeps it.
 */
export interface OperatorContext {
  /** Sends a batch downstream on output port `port` (0 = the first output, usually `out`). */
  emit(batch: Batch, port?: number): void;
  /** Sends a bad record to the job's error output, with the reason; the job goes on. */
  error(row: unknown, reason: string): void;
  /** Counts records that came too late, and sends them out of the `late` port if it is wired. */
  late(batch: Batch): void;
  /** The current event-time watermark of this operator's input. */
  readonly watermark: number;
  /** Processing time now, in epoch ms. */
  now(): number;
  /** Asks for `onTimer` at processing time `at` (one pending timer per operator; the earliest wins). */
  setTimer(at: number): void;
}

export interface Operator {
  /**
   * Resolves once the operator can take records (a model file it reads);
   * the sources start after every operator's. A rejection fails the job on
   * this node with its message. Omitted: ready at once.
   */
  readonly ready?: Promise<void>;
  /** Handles a batch that arrived on input port `input` (index into the kind's inputs). */
  process(batch: Batch, input: number, context: OperatorContext): void;
  /** The input watermark advanced; fire what is complete. The runtime forwards the watermark afterwards. */
  onWatermark?(watermark: number, context: OperatorContext): void;
  /** A processing-time timer set with `setTimer` is due. */
  onTimer?(time: number, context: OperatorContext): void;
  /** Every input has ended; emit what is left. */
  finish?(context: OperatorContext): void;
  /** Waits until everything emitted so far has been written (sinks). */
  flush?(): Promise<void>;
  /**
   * A checkpoint cuts the stream here, between batches, just before the
   * state is snapshotted. A sink that delivers exactly once sets aside what it
   * was handed since the last cut, noting it in its state, to make it visible
   * in `checkpointed` once the checkpoint is durable. `cut` numbers the cuts
   * of this run of the job, from 1.
   */
  cut?(cut: number): void;
  /**
   * The checkpoint of cut `cut` is durable: make what came before that cut
   * visible. Called in the order of the cuts, but not for every cut: a
   * checkpoint that failed is never durable, and a later cut may come before
   * an earlier one's checkpoint is durable (a savepoint taken meanwhile).
   */
  checkpointed?(cut: number): Promise<void>;
  /** Records or bytes accepted but not yet written; the runtime slows the sources while it is high. */
  backlog?(): number;
  /** Kind-specific figures for the metrics, such as open windows. */
  metrics?(): Record<string, number>;
  /** A sentence for the canvas while the operator is in trouble but still going (Kafka unreachable). */
  condition?(): string | undefined;
  /** What the operator shows of itself, such as a preview sink's latest rows. */
  inspect?(): NodeView;
  /**
   * The windows (or sessions) it holds that have yet to fire, the first
   * `limit` to fire first, for the event-time view. Asked for on demand,
   * never on the hot path.
   */
  pending?(limit: number): Pending;
  /**
   * The earliest event time of a record whose results this operator still
   * holds back (unfired windows); +Infinity when none. Sources commit only the
   * records before it. Omitted: stateless, or held back whenever it has state.
   */
  heldSince?(): number;
  /**
   * Per input port, the fields its records are keyed by (group by, join keys,
   * partition by): the runtime counts the hottest keys on a sample for the
   * bottleneck view. Omitted, or empty for a port: not keyed.
   */
  readonly keyFields?: readonly (readonly string[])[];
  close?(): void | Promise<void>;
}

/** Saves a source's position once the sinks have flushed (see `Source.prepareCommit`). */
export type SourceCommit = () => Promise<void>;

/** What a source's `next` is given. */
export interface SourceContext {
  now(): number;
  /**
   * Waits `ms` of processing time; resolves true then, or false as soon as the
   * job stops. Pacing sources wait with this, so a stop never waits for them.
   */
  sleep(ms: number): Promise<boolean>;
  /** Resolves when the job stops (subscribe once: it lives as long as the job). */
  readonly stopped: Promise<void>;
  /** A record that cannot be read goes to the error output; reading goes on. */
  error(row: unknown, reason: string): void;
  /**
   * The most rows the runtime wants in the next batch: fewer when the graph is
   * slow per record, so a stop (taken between batches) is never far off.
   * Sources that build their batches should honour it.
   */
  readonly maxRows?: number;
}

/** A source's batch, and the output port it leaves by (default 0, the first). */
export interface SourceBatch extends Batch {
  readonly port?: number;
}

export interface Source {
  /**
   * The next batch, or undefined when the input has ended (bounded sources).
   * A source with several output ports says which one each batch leaves by;
   * its watermark must not pass records it has yet to hand out on any port.
   */
  next(context: SourceContext): Promise<SourceBatch | undefined>;
  /** The source's event-time watermark now; omitted for sources without event time. */
  watermark?(): number;
  /** After this long without records the source stops holding back the watermark. */
  readonly idleTimeoutMs?: number;
  /** Bytes read so far, when known. */
  bytesRead?(): number;
  /** Each partition's watermark and idleness (Kafka), for the event-time view. */
  partitions?(now: number): PartitionTime[];
  /** After how long without records a partition stops holding the watermark back. */
  readonly partitionIdleMs?: number;
  /** Kind-specific figures for the metrics, such as consumer lag. */
  metrics?(): Record<string, number>;
  /** A sentence for the canvas while the source is in trouble but still going (Kafka unreachable). */
  condition?(): string | undefined;
  /**
   * Sources that can resume (Kafka) save their position in steps: the runtime
   * calls this between batches with the event time before which every record's
   * results have left the graph; the source notes what it may save and returns
   * a commit, which the runtime calls once every sink has flushed. This is the
   * seam for exactly-once later: a transactional sink would commit there too.
   */
  prepareCommit?(doneBefore: number): SourceCommit | undefined;
  /** How often the runtime asks for a commit (ms). */
  readonly commitIntervalMs?: number;
  /**
   * Where the source is, as plain data: enough to hand out, after a restore,
   * exactly the batches that would have followed those handed out so far
   * (its watermark included). The runtime asks after every batch, so it must
   * be cheap and must not change afterwards (return copies of what moves).
   * A source without it cannot resume: a restored job reads it afresh.
   */
  position?(): unknown;
  /** Goes on from a `position`; called once, before the first `next`. */
  restore?(position: unknown): void;
  /**
   * The checkpoint holding `position` is durable. A source may say so outside
   * (Kafka's consumer group, for monitoring tools); it restores from the
   * checkpoint, never from there.
   */
  checkpointed?(position: unknown): Promise<void>;
  close?(): void | Promise<void>;
}

/** Everything a factory may use to build an operator. */
export interface OperatorEnvironment<C = unknown> {
  readonly node: PipelineNode;
  /** The node's config, checked against its kind's schema, with the schema's defaults filled in. */
  readonly config: C;
  readonly definition: OperatorDefinition;
  /** Schemas arriving on each input port, in the kind's port order, one per edge. */
  readonly inputs: readonly (readonly StreamSchema[])[];
  /** Schemas leaving each output port, in the kind's port order. */
  readonly outputs: readonly (StreamSchema | undefined)[];
  readonly clock: Clock;
  readonly dataDir: DataDir;
  readonly state: StateStore;
  /** Where console sinks write. */
  readonly stdout: (text: string) => void;
  /** Whether the job takes checkpoints: sinks that can deliver exactly once do so then. */
  readonly checkpointing: boolean;
  /**
   * Names the job, the same across its restarts and different between jobs:
   * transactional sinks derive their transactional ids from it. Always set
   * by a job; absent only where an operator is built alone (tests).
   */
  readonly jobId?: string;
  /** Milliseconds between checkpoints, when the job takes them (transactions must outlive one). */
  readonly checkpointIntervalMs?: number;
  /** One of several instances of the job, each with its share of the Kafka partitions. */
  readonly instance?: JobInstance;
  /** A secret's value by its name (a password a node names), or undefined when the job has none such. */
  readonly secret?: (name: string) => string | undefined;
}

/** The environment of a runtime of declaration `D`. */
export type EnvironmentOf<D> = OperatorEnvironment<ConfigOf<D>>;

/** What the runtime hands a factory: the environment without the config, which the factory types itself. */
export type NodeEnvironment = Omit<OperatorEnvironment, 'config'>;

/**
 * The runtime of one operator kind, a source or an operator with inputs, with
 * the declaration it runs. `create` fills in the declaration's defaults on a
 * copy of the node's config (see `defineSource` and `defineOperator`).
 */
export type RuntimeFactory =
  | {
      readonly type: 'source';
      readonly declaration: OperatorDefinition;
      create(env: NodeEnvironment): Source;
    }
  | {
      readonly type: 'operator';
      readonly declaration: OperatorDefinition;
      create(env: NodeEnvironment): Operator;
      /** Carries a snapshot of the store into an edited config (see MigrateState); absent: the kind migrates nothing. */
      readonly migrate?: MigrateState;
    };

/**
 * Applies one step of an upgrade plan (the catalog declares which edits
 * migrate, and how: @sluice/shared's StateStep) to a store's snapshot, as
 * plain data, before it is restored. `node` is the node of the new version.
 * Throws when it cannot: the restore is refused, saying why.
 */
export type MigrateState = (
  state: StoreSnapshot,
  step: StateStep,
  node: PipelineNode,
) => StoreSnapshot;

/** The runtime of a source kind: `create` gets the config typed by the declaration's schema, defaults filled in. */
export function defineSource<D extends OperatorDefinition>(
  declaration: D,
  create: (env: OperatorEnvironment<ConfigOf<D>>) => Source,
): RuntimeFactory {
  return { type: 'source', declaration, create: (env) => create(configured(declaration, env)) };
}

/** The runtime of a kind with inputs: `create` gets the config typed by the declaration's schema, defaults filled in. */
export function defineOperator<D extends OperatorDefinition>(
  declaration: D,
  create: (env: OperatorEnvironment<ConfigOf<D>>) => Operator,
  migrate?: MigrateState,
): RuntimeFactory {
  return {
    type: 'operator',
    declaration,
    create: (env) => create(configured(declaration, env)),
    ...(migrate ? { migrate } : {}),
  };
}

/** Once per node and job, when the graph is built. */
function configured<D extends OperatorDefinition>(
  declaration: D,
  env: NodeEnvironment,
): OperatorEnvironment<ConfigOf<D>> {
  return { ...env, config: withDefaults(declaration, env.node.config) };
}

export type { Row };
