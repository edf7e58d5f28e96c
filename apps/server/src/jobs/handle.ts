// The main thread's side of one job: its worker, its latest state, and the
// listeners its events fan out to. The worker may crash; this side never does.
import {
  type EventTimeView,
  type Follow,
  type JobFailure,
  type JobMetrics,
  type JobStatus,
  type JobSummary,
  type JobTotals,
  type NodeView,
  type Pipeline,
  RECORD_ERRORS_KEPT,
  type RecordError,
  type RecordPage,
  type TapSample,
} from '@sluice/shared';
import { AppError, notFound } from '../errors.js';
import type { JobRecord } from '../storage/job-store.js';
import {
  type FromWorker,
  type JobEvent,
  type JobWorker,
  type RecordsQuery,
  type Slices,
  STOP,
  STOP_DRAIN,
  STOP_SAVEPOINT,
  type ToWorker,
} from './protocol.js';

export type JobListener = (event: JobEvent) => void;

/** What the worker answers a request with. */
type Answer = NodeView | EventTimeView | RecordPage | Follow | Slices | null;
/** A request to the worker, before it is numbered. */
type Question = ToWorker extends infer M
  ? M extends { requestId: number }
    ? Omit<M, 'requestId'>
    : never
  : never;

export interface JobOrigin {
  readonly pipelineId?: string;
  readonly pipelineVersion?: number;
}

/** How long a request to the worker (a preview) may take before the caller is told. */
const REPLY_TIMEOUT_MS = 5_000;
/** A client asks for the same sample as others; the rate is bounded here as in the engine. */
const MAX_TAP_PER_SECOND = 1000;

export interface JobRunOptions {
  /** When the job first started: a resumed job keeps it. Default now. */
  readonly startedAt?: number;
  /** Whether the job takes checkpoints (its settings do not turn them off). */
  readonly checkpoints?: boolean;
  /** Called when the job resumed from a checkpoint, and when it ended: to record it. */
  readonly changed?: (job: JobHandle) => void;
  /** Told of checkpoint files skipped or not deleted. */
  readonly warn?: (message: string) => void;
  /** For a job on Flink: where it runs, its Flink id and savepoint, as they become known. */
  readonly flink?: () => NonNullable<JobSummary['flink']>;
}

export class JobHandle {
  readonly startedAt: number;
  readonly ended: Promise<void>;
  readonly checkpoints: boolean;
  #status: JobStatus = 'running';
  #failure?: JobFailure;
  #endedAt?: number;
  #metrics?: JobMetrics;
  /** The totals a stored job ended with, before this process. */
  #pastTotals?: JobTotals;
  #restoredFrom?: JobSummary['restoredFrom'];
  #savepoint?: JobSummary['savepoint'];
  /** Stopped by the server's shutdown: it resumes when the server starts again. */
  resumeOnStart = false;
  readonly #changed: (job: JobHandle) => void;
  readonly #warn: (message: string) => void;
  readonly #flink?: () => NonNullable<JobSummary['flink']>;
  #errors: RecordError[] = [];
  #previews: ReadonlyMap<string, NodeView> = new Map();
  #worker?: JobWorker;
  #stopAsked = false;
  #terminated = false;
  #markEnded!: () => void;
  readonly #listeners = new Set<JobListener>();
  readonly #taps = new Map<number, { edgeId: string; listener: (sample: TapSample) => void }>();
  readonly #requests = new Map<number, (value: Answer | undefined, problem?: string) => void>();
  #nextId = 1;

  constructor(
    readonly id: string,
    readonly pipeline: Pipeline,
    readonly origin: JobOrigin,
    worker: JobWorker | undefined,
    heapMb: number,
    readonly stopFlag?: Int32Array,
    options: JobRunOptions = {},
  ) {
    this.startedAt = options.startedAt ?? Date.now();
    this.checkpoints = options.checkpoints ?? false;
    this.#changed = options.changed ?? (() => {});
    this.#warn = options.warn ?? (() => {});
    if (options.flink) this.#flink = options.flink;
    this.ended = new Promise((resolve) => {
      this.#markEnded = resolve;
    });
    if (worker) this.#listen(worker, heapMb);
  }

  /** A job that ended before this server started, as it was recorded. */
  static ended(
    record: JobRecord,
    pipeline: Pipeline,
    flink?: NonNullable<JobSummary['flink']>,
  ): JobHandle {
    const job = new JobHandle(
      record.id,
      pipeline,
      {
        ...(record.pipelineId === undefined ? {} : { pipelineId: record.pipelineId }),
        ...(record.pipelineVersion === undefined
          ? {}
          : { pipelineVersion: record.pipelineVersion }),
      },
      undefined,
      0,
      undefined,
      { startedAt: record.startedAt, ...(flink ? { flink: () => flink } : {}) },
    );
    job.#status = record.status;
    job.#failure = record.failure;
    job.#endedAt = record.endedAt ?? record.startedAt;
    job.#pastTotals = record.totals;
    job.#restoredFrom = record.restoredFrom;
    job.#savepoint = record.savepoint;
    job.#markEnded();
    return job;
  }

  /** What the database keeps of the job. */
  record(): JobRecord {
    const s = this.summary();
    return {
      id: s.id,
      ...(s.pipelineId === undefined ? {} : { pipelineId: s.pipelineId }),
      ...(s.pipelineVersion === undefined ? {} : { pipelineVersion: s.pipelineVersion }),
      name: s.name,
      status: s.status,
      // Only a job the shutdown stopped cleanly resumes; one that failed meanwhile says why.
      resume: this.resumeOnStart && s.status === 'stopped',
      startedAt: s.startedAt,
      ...(s.endedAt === undefined ? {} : { endedAt: s.endedAt }),
      ...(s.failure ? { failure: s.failure } : {}),
      totals: s.totals,
      ...(s.restoredFrom ? { restoredFrom: s.restoredFrom } : {}),
      ...(s.savepoint ? { savepoint: s.savepoint } : {}),
    };
  }

  /** The checkpoint this run resumed from, if it did. */
  get restoredFrom(): JobSummary['restoredFrom'] {
    return this.#restoredFrom;
  }

  /** The savepoint the job was stopped with, if it was. */
  get savepoint(): JobSummary['savepoint'] {
    return this.#savepoint;
  }

  #listen(worker: JobWorker, heapMb: number): void {
    this.#worker = worker;
    worker.on('message', (message: FromWorker) => this.#receive(message));
    worker.on('error', (error) => this.settle('failed', { message: crashReason(error, heapMb) }));
    worker.on('exit', (code) => {
      this.#worker = undefined;
      if (this.#stopAsked) {
        this.settle('stopped', {
          message: `The job was stopped, but its worker ended (code ${code}) before reporting; its sinks may not have written their last records.`,
        });
        return;
      }
      this.settle('failed', {
        message: `The job stopped unexpectedly (its worker exited with code ${code} before reporting a result).`,
      });
    });
  }

  get status(): JobStatus {
    return this.#status;
  }

  get failure(): JobFailure | undefined {
    return this.#failure;
  }

  get endedAt(): number | undefined {
    return this.#endedAt;
  }

  /** The latest metrics snapshot, once the first has arrived. */
  get metrics(): JobMetrics | undefined {
    return this.#metrics;
  }

  /** Taps open on this job, over all its watchers. */
  get tapsOpen(): number {
    return this.#taps.size;
  }

  summary(): JobSummary {
    const m = this.#metrics;
    const end = this.#endedAt ?? Date.now();
    return {
      id: this.id,
      ...(this.origin.pipelineId === undefined ? {} : { pipelineId: this.origin.pipelineId }),
      ...(this.origin.pipelineVersion === undefined
        ? {}
        : { pipelineVersion: this.origin.pipelineVersion }),
      name: this.pipeline.name,
      status: this.#status,
      startedAt: this.startedAt,
      ...(this.#endedAt === undefined ? {} : { endedAt: this.#endedAt }),
      uptimeMs: end - this.startedAt,
      totals: m
        ? { recordsIn: m.recordsIn, recordsOut: m.recordsOut, errors: m.errors, late: m.late }
        : (this.#pastTotals ?? { recordsIn: 0, recordsOut: 0, errors: 0, late: 0 }),
      ...(this.#failure ? { failure: this.#failure } : {}),
      ...(this.#restoredFrom ? { restoredFrom: this.#restoredFrom } : {}),
      ...(this.#savepoint ? { savepoint: this.#savepoint } : {}),
      ...(this.#flink ? { flink: this.#flink() } : {}),
    };
  }

  /** Whether the job runs on a Flink cluster. */
  get onFlink(): boolean {
    return this.#flink !== undefined;
  }

  /** The latest bad records, oldest first; of one node when given. */
  errors(nodeId?: string): RecordError[] {
    return nodeId === undefined
      ? [...this.#errors]
      : this.#errors.filter((e) => e.nodeId === nodeId);
  }

  watch(listener: JobListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Whether the worker had to be terminated because it did not stop in time. */
  get terminated(): boolean {
    return this.#terminated;
  }

  /**
   * Asks the worker to stop (a message, and the shared flag the engine reads
   * between batches); resolves when it has, or terminates it after `timeoutMs`.
   * Either way the job is `stopped`: that was asked for. A job that checkpoints
   * takes a last checkpoint, or with `savepoint` a savepoint, once its sources stop.
   */
  async stop(drain: boolean, timeoutMs: number, savepoint = false): Promise<void> {
    const worker = this.#worker;
    if (this.#status !== 'running' || !worker) return this.ended;
    this.#stopAsked = true;
    const flag = (drain ? STOP_DRAIN : STOP) | (savepoint ? STOP_SAVEPOINT : 0);
    if (this.stopFlag) Atomics.store(this.stopFlag, 0, flag);
    this.#send({ type: 'stop' });
    const timer = setTimeout(() => {
      this.#terminated = true;
      this.settle('stopped', {
        message: `The job did not stop within ${timeoutMs / 1000}s and was terminated; its sinks may not have written their last records.`,
      });
      void worker.terminate();
    }, timeoutMs);
    await this.ended;
    clearTimeout(timer);
  }

  /** Samples an edge until the returned function is called; the worker keeps one tap per edge. */
  openTap(edgeId: string, perSecond: number, listener: (sample: TapSample) => void): () => void {
    if (!this.pipeline.edges.some((e) => e.id === edgeId)) throw notFound('edge', edgeId);
    if (this.#status !== 'running') {
      throw new AppError('conflict', `The job is ${this.#status}: there is nothing to tap.`);
    }
    const ref = this.#nextId++;
    const rate = Math.max(1, Math.min(MAX_TAP_PER_SECOND, Math.floor(perSecond)));
    this.#taps.set(ref, { edgeId, listener });
    this.#send({ type: 'tap-open', ref, edgeId, perSecond: rate });
    return () => {
      if (this.#taps.delete(ref)) this.#send({ type: 'tap-close', ref });
    };
  }

  /** What a node shows of itself (a preview sink's rows); null when it shows nothing. */
  async inspect(nodeId: string): Promise<NodeView | null> {
    if (!this.pipeline.nodes.some((n) => n.id === nodeId)) throw notFound('node', nodeId);
    if (this.#status !== 'running') return this.#previews.get(nodeId) ?? null;
    const value = await this.#ask({ type: 'inspect', nodeId });
    // The job may have ended while we waited: then the final view is the answer.
    return value === undefined ? (this.#previews.get(nodeId) ?? null) : (value as NodeView | null);
  }

  /**
   * Why a node's event time stands where it does: its inputs' watermarks, the
   * one holding it back, its open windows and its late records. Only while
   * the job runs; null where the runner cannot tell (on Flink).
   */
  async explain(nodeId: string): Promise<EventTimeView | null> {
    if (!this.pipeline.nodes.some((n) => n.id === nodeId)) throw notFound('node', nodeId);
    const ended = () =>
      new AppError('conflict', `The job is ${this.#status}: its event time no longer moves.`);
    if (this.#status !== 'running') throw ended();
    const value = await this.#ask({ type: 'explain', nodeId });
    if (value === undefined) throw ended();
    return value as EventTimeView | null;
  }

  /**
   * An edge's recently passed records, newest first, from its flight recorder
   * (sampled, bounded); `where` filters them by an expression over the edge's
   * fields, refused with what is wrong with it. Only while the job runs.
   */
  async records(edgeId: string, query: RecordsQuery): Promise<RecordPage> {
    if (!this.pipeline.edges.some((e) => e.id === edgeId)) throw notFound('edge', edgeId);
    return (await this.#askRunning(
      { type: 'records', edgeId, query },
      'its records are no longer kept',
    )) as RecordPage;
  }

  /** One key followed through the job: its latest records on every edge. Only while the job runs. */
  async follow(field: string, value: string): Promise<Follow> {
    return (await this.#askRunning(
      { type: 'follow', field, value },
      'its records are no longer kept',
    )) as Follow;
  }

  /** All the recorders of these edges keep, oldest first: the slice a replay runs on. Only while the job runs. */
  async slice(edgeIds: readonly string[]): Promise<Slices> {
    return (await this.#askRunning(
      { type: 'slice', edgeIds },
      'its records are no longer kept',
    )) as Slices;
  }

  async #askRunning(request: Question, gone: string): Promise<Answer> {
    const ended = () => new AppError('conflict', `The job is ${this.#status}: ${gone}.`);
    if (this.#status !== 'running') throw ended();
    const value = await this.#ask(request);
    if (value === undefined) throw ended();
    if (value === null && this.#flink) {
      throw new AppError('conflict', 'The job runs on Flink, which keeps no records for Sluice.');
    }
    return value;
  }

  /** Asks the worker; undefined when the job ended before it answered. */
  #ask(request: Question): Promise<Answer | undefined> {
    const requestId = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#requests.delete(requestId);
        reject(
          new AppError(
            'unavailable',
            'The job did not answer in time; it may be very busy. Try again.',
          ),
        );
      }, REPLY_TIMEOUT_MS);
      this.#requests.set(requestId, (answer, problem) => {
        clearTimeout(timer);
        if (problem !== undefined) reject(new AppError('bad-request', problem));
        else resolve(answer);
      });
      this.#send({ ...request, requestId } as ToWorker);
    });
  }

  /** Records the final status once; later reports (an exit after a result) are ignored. */
  settle(status: Exclude<JobStatus, 'running'>, failure?: JobFailure, metrics?: JobMetrics): void {
    if (this.#status !== 'running') return;
    this.#status = status;
    this.#failure = failure;
    this.#endedAt = Date.now();
    if (metrics) this.#metrics = metrics;
    for (const answer of this.#requests.values()) answer(undefined);
    this.#requests.clear();
    this.#taps.clear();
    this.#emit(failure ? { type: 'status', status, failure } : { type: 'status', status });
    guard(() => this.#changed(this));
    this.#markEnded();
  }

  #send(message: ToWorker): void {
    this.#worker?.postMessage(message);
  }

  #receive(message: FromWorker): void {
    switch (message.type) {
      case 'metrics':
        this.#metrics = message.metrics;
        this.#emit({ type: 'metrics', metrics: message.metrics });
        break;
      case 'errors':
        this.#errors.push(...message.errors);
        if (this.#errors.length > RECORD_ERRORS_KEPT)
          this.#errors.splice(0, this.#errors.length - RECORD_ERRORS_KEPT);
        for (const error of message.errors) this.#emit({ type: 'error', error });
        break;
      case 'tap':
        for (const tap of this.#taps.values()) {
          if (tap.edgeId === message.sample.edgeId) guard(() => tap.listener(message.sample));
        }
        break;
      case 'reply': {
        const answer = this.#requests.get(message.requestId);
        this.#requests.delete(message.requestId);
        answer?.(message.value, message.problem);
        break;
      }
      case 'restored':
        this.#restoredFrom = message.from;
        guard(() => this.#changed(this));
        break;
      case 'warning':
        guard(() => this.#warn(message.message));
        break;
      case 'done':
        this.#previews = message.previews;
        if (message.last?.kind === 'savepoint') {
          const { id, at, instances } = message.last;
          this.#savepoint = { id, at, ...(instances ? { instances: [...instances] } : {}) };
        }
        this.#emit({ type: 'metrics', metrics: message.result.metrics });
        this.settle(message.result.status, message.result.failure, message.result.metrics);
        // The worker closes its port and ends by itself; this makes sure.
        void this.#worker?.terminate();
        break;
      case 'start-failed':
        this.settle('failed', message.failure);
        break;
      case 'stopped-before-start':
        this.settle('stopped');
        break;
    }
  }

  #emit(event: JobEvent): void {
    for (const listener of this.#listeners) guard(() => listener(event));
  }
}

/** One listener that throws must not keep the event from the others. */
function guard(call: () => void): void {
  try {
    call();
  } catch {
    // The listener's own problem; it is not the job's.
  }
}

function crashReason(error: Error, heapMb: number): string {
  if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `The job ran out of memory (its limit is ${heapMb} MB). Which step used it cannot be told: look for state that keeps growing (windows or joins with very many keys) or for very large values.`;
  }
  return `The job crashed: ${error.message}`;
}
