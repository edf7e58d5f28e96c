// The messages between the main thread and a job's worker. Everything crosses
// by structured clone, so only plain data goes in them.
import type { CheckpointKind, JobResult, JsonValue } from '@sluice/engine';
import type {
  EventTimeView,
  Follow,
  JobFailure,
  JobMetrics,
  JobSummary,
  LiveMessage,
  NodeView,
  Pipeline,
  RecordError,
  RecordPage,
  TapSample,
} from '@sluice/shared';

/** What a worker is started with (its `workerData`). */
export interface WorkerStart {
  readonly jobId: string;
  readonly pipeline: Pipeline;
  /** Where the pipeline's files are read and written. */
  readonly dataDir: string;
  /** How messages name that folder, e.g. 'files'. */
  readonly dataDirShownAs?: string;
  readonly metricsIntervalMs: number;
  /**
   * On a SharedArrayBuffer: the parent writes STOP or STOP_DRAIN with Atomics,
   * and the engine reads it between batches, so a worker too busy to take a
   * message still stops.
   */
  readonly stopFlag: Int32Array;
  /** Where and how often the job checkpoints; none when its settings turn checkpoints off. */
  readonly checkpoints?: CheckpointPlan;
  /** Start from a checkpoint of the job's folder instead of from scratch. */
  readonly restore?: RestorePlan;
  /** One of several instances of the job (settings.parallelism), each with its share of the Kafka partitions. */
  readonly instance?: { readonly index: number; readonly count: number };
  /** The values of the secrets the pipeline names (see secrets.ts): for the job alone. */
  readonly secrets?: Readonly<Record<string, string>>;
}

export interface CheckpointPlan {
  /** The job's own folder: one job writes to it at a time. */
  readonly dir: string;
  readonly intervalMs: number;
  readonly keep: number;
  /** Said in every checkpoint (the pipeline's fingerprint, name and version). */
  readonly meta: Readonly<Record<string, JsonValue>>;
}

export interface RestorePlan {
  /** A savepoint's (or checkpoint's) id, or the newest one there is. */
  readonly from: number | 'latest';
  /** Whether finding none is a failure; else the job starts from scratch. */
  readonly required: boolean;
  /**
   * The checkpoint is of this earlier version of the pipeline: its state is
   * restored into the new one through the upgrade plan (@sluice/shared's planUpgrade).
   */
  readonly upgradeFrom?: Pipeline;
  /** For a job of several instances resuming from a savepoint: each instance's (from is the first's). */
  readonly instances?: readonly number[];
}

/** Values of the stop flag; 0 is running. */
export const STOP = 1;
export const STOP_DRAIN = 2;
/** Added to STOP or STOP_DRAIN: the last checkpoint is a savepoint. */
export const STOP_SAVEPOINT = 4;

/** A stop flag, shared with the worker it is handed to. */
export function newStopFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/** Main thread → worker. */
export type ToWorker =
  /** How to stop is in the stop flag, set before this is sent. */
  | { readonly type: 'stop' }
  /** One more reference to the tap on `edgeId`; `ref` names it so it can be closed. */
  | {
      readonly type: 'tap-open';
      readonly ref: number;
      readonly edgeId: string;
      readonly perSecond: number;
    }
  | { readonly type: 'tap-close'; readonly ref: number }
  | { readonly type: 'inspect'; readonly requestId: number; readonly nodeId: string }
  /** Why a node's event time stands where it does; answered with a reply. */
  | { readonly type: 'explain'; readonly requestId: number; readonly nodeId: string }
  /** An edge's recently passed records, from its flight recorder; answered with a reply. */
  | {
      readonly type: 'records';
      readonly requestId: number;
      readonly edgeId: string;
      readonly query: RecordsQuery;
    }
  /** All the recorders of these edges keep, oldest first, to replay; answered with a reply. */
  | { readonly type: 'slice'; readonly requestId: number; readonly edgeIds: readonly string[] }
  /** One key's latest records on every edge; answered with a reply. */
  | {
      readonly type: 'follow';
      readonly requestId: number;
      readonly field: string;
      readonly value: string;
    };

/** Recorded rows by edge id, oldest first. */
export type Slices = Record<string, Record<string, unknown>[]>;

export interface RecordsQuery {
  readonly until?: number;
  readonly before?: number;
  readonly where?: string;
  readonly limit?: number;
}

/** Worker → main thread. */
export type FromWorker =
  | { readonly type: 'metrics'; readonly metrics: JobMetrics }
  /** Bad records since the last message, at most the latest ERRORS_PER_MESSAGE. */
  | { readonly type: 'errors'; readonly errors: RecordError[]; readonly skipped: number }
  | { readonly type: 'tap'; readonly sample: TapSample }
  /**
   * The answer to an inspect (what a node shows of itself) or an explain (its
   * event-time view); null when there is nothing to show or it could not be sent.
   */
  | {
      readonly type: 'reply';
      readonly requestId: number;
      readonly value: NodeView | EventTimeView | RecordPage | Follow | Slices | null;
      /** What was wrong with the request (a filter that is not an expression over the edge). */
      readonly problem?: string;
      /** With a slice of one of several instances: each edge's event times, row by row. */
      readonly times?: Record<string, number[]>;
    }
  /**
   * The job ended; `previews` holds what each node showed at the end (preview
   * sinks' rows), by node id: a Map, since an id may be `__proto__`.
   */
  | {
      readonly type: 'done';
      readonly result: JobResult;
      readonly previews: ReadonlyMap<string, NodeView>;
      /** The checkpoint or savepoint the stop (or the end of the input) wrote last. */
      readonly last?: {
        readonly id: number;
        readonly kind: CheckpointKind;
        readonly at: number;
        /** For a job of several instances: each one's last checkpoint (`id` is the first's). */
        readonly instances?: readonly number[];
      };
    }
  /** The job resumed from this checkpoint; sent before it runs. */
  | { readonly type: 'restored'; readonly from: NonNullable<JobSummary['restoredFrom']> }
  /** A checkpoint file was skipped or could not be deleted; the message says which and why. */
  | { readonly type: 'warning'; readonly message: string }
  /** A stop was asked for before the job had started: it never ran. */
  | { readonly type: 'stopped-before-start' }
  /** The job could not start (the engine refused the pipeline, or a node could not be built). */
  | { readonly type: 'start-failed'; readonly failure: JobFailure };

/**
 * Events a job fans out to whoever watches it: live messages as sent, but for
 * metrics, to which each watcher adds its own `dropped` count.
 */
export type JobEvent =
  | Extract<LiveMessage, { type: 'status' | 'error' }>
  | { readonly type: 'metrics'; readonly metrics: JobMetrics };

/** What JobHandle needs of a worker: Node's Worker has it, and so does FlinkRunner. */
export interface JobWorker {
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  postMessage(message: ToWorker): void;
  terminate(): Promise<number>;
}
