// Starts jobs in their own worker threads, keeps them listed (running ones and
// the latest finished), stops them, and hands out their handles for watching.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { hasErrors, type JobSummary, readPipelineValue } from '@sluice/shared';
import { AppError, notFound } from '../errors.js';
import { JobHandle, type JobOrigin } from './handle.js';
import { newStopFlag, type WorkerStart } from './protocol.js';

export interface JobManagerOptions {
  /** Where pipelines read and write their files. */
  readonly dataDir: string;
  /** How messages name that folder, e.g. 'files' (never the server's absolute path). */
  readonly dataDirShownAs?: string;
  /** Finished jobs kept in the list. Default 100. */
  readonly keepFinished?: number;
  /** How long a worker has to stop when asked before it is terminated (ms). Default 5000. */
  readonly stopTimeoutMs?: number;
  /** Heap limit of each job's worker (MB); a job past it fails, the server does not. Default 1024. */
  readonly workerHeapMb?: number;
  /** How often a job reports metrics (ms). Default 1000. */
  readonly metricsIntervalMs?: number;
}

/** The worker entry, which must be JavaScript: beside this file when built, else in dist. */
export function workerEntry(): URL {
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL('../../dist/jobs/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new AppError(
    'unavailable',
    'The job worker is not built, so jobs cannot run: run `npm run build` first.',
  );
}

export class JobManager {
  readonly #jobs = new Map<string, JobHandle>();
  readonly #dataDir: string;
  readonly #dataDirShownAs: string | undefined;
  readonly #keepFinished: number;
  readonly #stopTimeoutMs: number;
  readonly #heapMb: number;
  readonly #metricsIntervalMs: number;
  #closing = false;

  constructor(options: JobManagerOptions) {
    this.#dataDir = options.dataDir;
    this.#dataDirShownAs = options.dataDirShownAs;
    this.#keepFinished = options.keepFinished ?? 100;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
    this.#heapMb = options.workerHeapMb ?? 1024;
    this.#metricsIntervalMs = options.metricsIntervalMs ?? 1_000;
  }

  /**
   * Validates a pipeline document (migrating an older one) and starts it in a new worker.
   * Throws `invalid-pipeline` with the diagnostics when it cannot run.
   */
  start(document: unknown, origin: JobOrigin = {}): JobHandle {
    if (this.#closing) throw new AppError('unavailable', 'The server is shutting down.');
    const read = readPipelineValue(document);
    if (!read.pipeline || hasErrors(read.diagnostics)) {
      throw new AppError(
        'invalid-pipeline',
        'The pipeline is not valid, so it cannot run.',
        read.diagnostics,
      );
    }
    const start: WorkerStart = {
      pipeline: read.pipeline,
      dataDir: this.#dataDir,
      ...(this.#dataDirShownAs === undefined ? {} : { dataDirShownAs: this.#dataDirShownAs }),
      metricsIntervalMs: this.#metricsIntervalMs,
      stopFlag: newStopFlag(),
    };
    const id = randomUUID();
    const worker = new Worker(workerEntry(), {
      workerData: start,
      name: `sluice job ${id}`,
      // The worker runs built JavaScript: none of the parent's loaders or conditions apply.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.#heapMb },
    });
    const job = new JobHandle(id, read.pipeline, origin, worker, this.#heapMb, start.stopFlag);
    this.#jobs.set(id, job);
    void job.ended.then(() => this.#forgetOldest());
    return job;
  }

  /** Newest first. */
  list(): JobSummary[] {
    return [...this.#jobs.values()].reverse().map((job) => job.summary());
  }

  /** Every listed job, oldest first. */
  handles(): JobHandle[] {
    return [...this.#jobs.values()];
  }

  get(id: string): JobHandle {
    const job = this.#jobs.get(id);
    if (!job) throw notFound('job', id);
    return job;
  }

  async stop(id: string, drain = false): Promise<JobSummary> {
    const job = this.get(id);
    await job.stop(drain, this.#stopTimeoutMs);
    return job.summary();
  }

  /** Stops every running job, each given its time to flush; for server shutdown. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.#jobs.values()].map((job) => job.stop(false, this.#stopTimeoutMs)));
  }

  /** Keeps at most `keepFinished` ended jobs, dropping the earliest started. */
  #forgetOldest(): void {
    const ended = [...this.#jobs.values()].filter((job) => job.status !== 'running');
    for (const job of ended.slice(0, Math.max(0, ended.length - this.#keepFinished))) {
      this.#jobs.delete(job.id);
    }
  }
}
