// Starts jobs in their own worker threads, keeps them listed (running ones and
// the latest finished), stops and resumes them, and hands out their handles
// for watching. With a job store, every job is a durable record: the list
// survives a restart, and the jobs that were running (or that the server's
// shutdown stopped) resume from their latest checkpoints when it starts again.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CheckpointStorage, checkpointSettings, pipelineFingerprint } from '@sluice/engine';
import { compileToFlinkSql } from '@sluice/flink';
import {
  analyzePipeline,
  type Diagnostic,
  hasErrors,
  type JobSummary,
  MAX_PARALLELISM,
  PIPELINE_FORMAT,
  type Pipeline,
  planUpgrade,
  readPipelineValue,
  secretsNamed,
  type UpgradePlan,
} from '@sluice/shared';
import type { FlinkCluster } from '../config.js';
import { AppError, notFound } from '../errors.js';
import type { Secrets } from '../secrets.js';
import type { JobStore, StoredJob } from '../storage/job-store.js';
import { FlinkRunner } from './flink-runner.js';
import { WorkerGroup } from './group.js';
import { JobHandle, type JobOrigin } from './handle.js';
import { viewKeeps } from './instances.js';
import { preflight } from './preflight.js';
import {
  type CheckpointPlan,
  newStopFlag,
  type RestorePlan,
  type WorkerStart,
} from './protocol.js';

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
  /** Where jobs are recorded. Default: nowhere, the list lives as long as the manager. */
  readonly records?: JobStore;
  /** Holds one folder of checkpoints per job (private to the server). Default: no checkpoints. */
  readonly checkpointsDir?: string;
  /** Told of checkpoint files a job skipped or could not delete. */
  readonly warn?: (message: string) => void;
  /** The Flink clusters a pipeline can name as its target (`settings.target: "flink:NAME"`). */
  readonly flinkClusters?: readonly FlinkCluster[];
  /** Where the secrets pipelines name come from. Default: none is set. */
  readonly secrets?: Secrets;
}

/** How long a job on Flink has to stop with a savepoint. */
const FLINK_STOP_TIMEOUT_MS = 120_000;

/** The worker entry, which must be JavaScript: beside this file when built, else in dist. */
export function workerEntry(name = 'worker'): URL {
  const beside = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL(`../../dist/jobs/${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new AppError(
    'unavailable',
    'The job worker is not built, so jobs cannot run: run `npm run build` first.',
  );
}

interface RunOptions {
  readonly startedAt?: number;
  readonly restore?: RestorePlan;
  /** For a job on Flink: the Flink job to follow again instead of submitting. */
  readonly attach?: string;
  /** For a job on Flink: the savepoint the new Flink job starts from. */
  readonly restoreFrom?: string;
}

/** What a job on Flink notes beside its checkpoints, so a restarted server can follow or resume it. */
type FlinkNote = NonNullable<JobSummary['flink']>;

export class JobManager {
  readonly #jobs = new Map<string, JobHandle>();
  readonly #dataDir: string;
  readonly #dataDirShownAs: string | undefined;
  readonly #keepFinished: number;
  readonly #stopTimeoutMs: number;
  readonly #heapMb: number;
  readonly #metricsIntervalMs: number;
  readonly #records: JobStore | undefined;
  readonly #checkpointsDir: string | undefined;
  readonly #warn: (message: string) => void;
  readonly #flinkClusters: readonly FlinkCluster[];
  readonly #secrets: Secrets | undefined;
  /** The runners of the jobs on Flink, by job id. */
  readonly #flink = new Map<string, FlinkRunner>();
  #closing = false;

  constructor(options: JobManagerOptions) {
    this.#dataDir = options.dataDir;
    this.#dataDirShownAs = options.dataDirShownAs;
    this.#keepFinished = options.keepFinished ?? 100;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
    this.#heapMb = options.workerHeapMb ?? 1024;
    this.#metricsIntervalMs = options.metricsIntervalMs ?? 1_000;
    this.#records = options.records;
    this.#checkpointsDir = options.checkpointsDir;
    this.#warn = options.warn ?? (() => {});
    this.#flinkClusters = options.flinkClusters ?? [];
    this.#secrets = options.secrets;
  }

  /** The Flink clusters this server knows, for the designer's choice of target. */
  get flinkClusters(): readonly FlinkCluster[] {
    return this.#flinkClusters;
  }

  /**
   * The cluster a pipeline runs on, when its target is Flink; throws
   * `invalid-pipeline` when it names a cluster this server does not know.
   */
  #flinkTarget(pipeline: Pipeline): FlinkCluster | undefined {
    const target = pipeline.settings?.target;
    if (target === undefined || target === 'embedded') return undefined;
    const name = target.slice('flink:'.length);
    const cluster = this.#flinkClusters.find((c) => c.name === name);
    if (cluster) return cluster;
    const known = this.#flinkClusters.map((c) => `'${c.name}'`).join(', ');
    const message = `The pipeline runs on the Flink cluster '${name}', which this server does not know (${known ? `it knows ${known}` : 'it knows none: start it with --flink'}).`;
    throw new AppError('invalid-pipeline', message, [
      { severity: 'error', code: 'target.unknown-cluster', path: 'settings.target', message },
    ]);
  }

  /** The pipeline as Flink SQL, and what the compiler says of each node. */
  #compile(id: string, pipeline: Pipeline) {
    return compileToFlinkSql(pipeline, analyzePipeline(pipeline).schemas, {
      dataDir: this.#dataDir,
      jobName: pipeline.name,
      transactionalIdPrefix: `sluice-${id}`,
    });
  }

  /**
   * Validates a pipeline document (migrating an older one) and starts it in a new worker.
   * Throws `invalid-pipeline` with the diagnostics when it cannot run.
   */
  start(document: unknown, origin: JobOrigin = {}): JobHandle {
    return this.#startValid(this.#valid(document), origin);
  }

  /**
   * As `start`, once what can be checked before it runs is there (its files,
   * its Kafka topics): otherwise throws `invalid-pipeline` with the findings,
   * on their nodes. A deploy comes this way.
   */
  async startChecked(document: unknown, origin: JobOrigin = {}): Promise<JobHandle> {
    const pipeline = await this.#checked(document);
    return this.#startValid(pipeline, origin);
  }

  /** A valid document that passed the pre-flight checks, or `invalid-pipeline` with the findings. */
  async #checked(document: unknown): Promise<Pipeline> {
    const pipeline = this.#valid(document);
    const found = await this.preflight(pipeline);
    const first = found.find((d) => d.severity === 'error');
    if (first) {
      const where = first.nodeId === undefined ? '' : ` (node '${first.nodeId}')`;
      throw new AppError(
        'invalid-pipeline',
        `The pipeline cannot run: ${first.message}${where}`,
        found,
      );
    }
    // The server may have begun to shut down during the checks.
    if (this.#closing) throw new AppError('unavailable', 'The server is shutting down.');
    return pipeline;
  }

  /**
   * What deploying `document` in place of the version job `id` runs would do
   * to its state, node by node. The job must be running, or stopped with a
   * savepoint: otherwise there is no state to keep (conflict).
   */
  plan(id: string, document: unknown): UpgradePlan {
    const job = this.get(id);
    this.#upgradable(job);
    const after = this.#valid(document);
    const plan = planUpgrade(job.pipeline, after);
    // The plan is shown all the same; keeping the state is refused with this, before anything stops.
    const refusal = otherInstances(job.pipeline, after);
    return refusal ? { ...plan, notes: [...plan.notes, refusal] } : plan;
  }

  /**
   * Deploys `document` in place of job `id`'s version. Keeping its state: a
   * running job is stopped with a savepoint, then started again, same id, in
   * the new version, restored from the savepoint through the upgrade plan (a
   * stopped one with a savepoint is started from it). From scratch: the job is
   * stopped and a new job runs the new version.
   */
  async upgrade(
    id: string,
    document: unknown,
    origin: JobOrigin,
    keepState: boolean,
  ): Promise<{ job: JobHandle; plan?: UpgradePlan }> {
    const job = this.get(id);
    const after = await this.#checked(document);
    if (!keepState) {
      await job.stop(false, this.#stopTimeoutMs);
      return { job: this.#startValid(after, origin) };
    }
    this.#upgradable(job);
    sameInstances(job.pipeline, after);
    if (!checkpointSettings(after).enabled) {
      throw new AppError(
        'conflict',
        "The new version takes no checkpoints (its settings turn them off), so it cannot keep the job's state: turn them on, or deploy it from scratch.",
      );
    }
    const plan = planUpgrade(job.pipeline, after);
    if (job.status === 'running') {
      await job.stop(false, this.#stopTimeoutMs, true);
      if (!job.savepoint) {
        throw new AppError(
          'conflict',
          `The job's state could not be saved, so the new version was not deployed${job.failure ? `: ${job.failure.message}` : ''}.`,
        );
      }
    }
    // Someone else resumed or upgraded it meanwhile.
    if (this.#jobs.get(id) !== job || job.status === 'running') {
      throw new AppError('conflict', 'The job is running again: plan the upgrade again.');
    }
    const next = this.#run(id, after, origin, {
      startedAt: job.startedAt,
      restore: {
        from: job.savepoint!.id,
        required: true,
        upgradeFrom: job.pipeline,
        ...savepointsOf(job),
      },
    });
    if (this.#records) this.#records.upgraded(next.record(), after);
    return { job: next, plan };
  }

  /** Refuses (conflict) a job that has no state to carry into another version. */
  #upgradable(job: JobHandle): void {
    if (job.status === 'running') {
      if (!job.checkpoints) {
        throw new AppError(
          'conflict',
          "The job takes no checkpoints (its pipeline's settings turn them off), so its state cannot be kept: deploy the new version from scratch.",
        );
      }
      return;
    }
    if (job.status === 'stopped' && job.savepoint) return;
    throw new AppError(
      'conflict',
      `The job is ${job.status}${job.status === 'stopped' ? ' without a savepoint' : ''}: it has no state to keep. Deploy the new version from scratch.`,
    );
  }

  /** What can be checked before the pipeline runs: see preflight.ts. */
  async preflight(pipeline: Pipeline): Promise<Diagnostic[]> {
    const found = await preflight(pipeline, {
      dataDir: this.#dataDir,
      instances: instancesOf(pipeline),
      ...(this.#dataDirShownAs === undefined ? {} : { dataDirShownAs: this.#dataDirShownAs }),
    });
    found.push(...this.#secretFindings(pipeline));
    // On Flink: the nodes it cannot run are refused here, with the compiler's reasons.
    try {
      if (this.#flinkTarget(pipeline))
        found.push(...this.#compile('preflight', pipeline).diagnostics);
    } catch (error) {
      if (!(error instanceof AppError) || !Array.isArray(error.details)) throw error;
      found.push(...(error.details as Diagnostic[]));
    }
    return found;
  }

  #valid(document: unknown): Pipeline {
    if (this.#closing) throw new AppError('unavailable', 'The server is shutting down.');
    const read = readPipelineValue(document);
    if (!read.pipeline || hasErrors(read.diagnostics)) {
      throw new AppError(
        'invalid-pipeline',
        'The pipeline is not valid, so it cannot run.',
        read.diagnostics,
      );
    }
    return read.pipeline;
  }

  #startValid(pipeline: Pipeline, origin: JobOrigin): JobHandle {
    const job = this.#run(randomUUID(), pipeline, origin);
    this.#records?.insert(job.record(), pipeline);
    return job;
  }

  /**
   * Lists the recorded jobs, and starts again every one that was running when
   * the server stopped or died, from its latest checkpoint (from the start when
   * it had none yet). Call once, before serving.
   */
  restore(): void {
    for (const stored of this.#records?.list() ?? []) {
      const read = readPipelineValue(stored.document);
      const origin = originOf(stored);
      if (!read.pipeline || hasErrors(read.diagnostics)) {
        const first = read.diagnostics.find((d) => d.severity === 'error');
        const interrupted = stored.status === 'running' || stored.resume;
        const job = JobHandle.ended(
          interrupted
            ? {
                ...stored,
                status: 'failed',
                resume: false,
                endedAt: Date.now(),
                failure: {
                  message: `The job could not be started again: its pipeline is stored in a form this Sluice cannot run${first ? ` (${first.message})` : ''}.`,
                },
              }
            : stored,
          { format: PIPELINE_FORMAT, name: stored.name, nodes: [], edges: [] },
        );
        this.#jobs.set(stored.id, job);
        if (interrupted) this.#records?.update(job.record());
        continue;
      }
      if (stored.status !== 'running' && !stored.resume) {
        const flink = isFlink(read.pipeline) ? this.#flinkNoteOf(stored.id) : undefined;
        this.#jobs.set(stored.id, JobHandle.ended(stored, read.pipeline, flink));
        continue;
      }
      if (isFlink(read.pipeline)) {
        this.#restoreFlink(stored, read.pipeline, origin);
        continue;
      }
      if (!this.#plan(stored.id, read.pipeline, origin)) {
        const job = JobHandle.ended(
          {
            ...stored,
            status: 'failed',
            resume: false,
            endedAt: Date.now(),
            failure: {
              message:
                'The server stopped while this job ran, and the job takes no checkpoints, so it was not started again: deploy it again to run it from the start.',
            },
          },
          read.pipeline,
        );
        this.#jobs.set(stored.id, job);
        this.#records?.update(job.record());
        continue;
      }
      const job = this.#run(stored.id, read.pipeline, origin, {
        startedAt: stored.startedAt,
        restore: { from: 'latest', required: false },
      });
      this.#records?.update(job.record());
    }
    this.#forgetOldest();
  }

  /** A job on Flink that was running when the server stopped: followed again, if it was submitted. */
  #restoreFlink(stored: StoredJob, pipeline: Pipeline, origin: JobOrigin): void {
    const note = this.#flinkNoteOf(stored.id);
    const attach = note?.jobId;
    let failure: string | undefined;
    if (attach === undefined) {
      failure =
        'The server stopped before Flink gave this job an id, so it cannot be followed: look for it in the Flink cluster, or deploy it again.';
    } else {
      try {
        this.#flinkTarget(pipeline);
      } catch (error) {
        failure = (error as Error).message;
      }
    }
    if (failure !== undefined) {
      const job = JobHandle.ended(
        {
          ...stored,
          status: 'failed',
          resume: false,
          endedAt: Date.now(),
          failure: { message: failure },
        },
        pipeline,
      );
      this.#jobs.set(stored.id, job);
      this.#records?.update(job.record());
      return;
    }
    const job = this.#run(stored.id, pipeline, origin, {
      startedAt: stored.startedAt,
      ...(attach ? { attach } : {}),
      ...(note?.restoredFrom ? { restoreFrom: note.restoredFrom } : {}),
    });
    this.#records?.update(job.record());
  }

  /** Where a job on Flink notes its Flink job id, so a restarted server can follow it. */
  #flinkFile(id: string): string | undefined {
    return this.#checkpointsDir === undefined
      ? undefined
      : join(this.#checkpointsDir, id, 'flink.json');
  }

  #flinkNoteOf(id: string): FlinkNote | undefined {
    const file = this.#flinkFile(id);
    if (!file || !existsSync(file)) return undefined;
    try {
      const note = JSON.parse(readFileSync(file, 'utf8')) as Partial<FlinkNote>;
      return typeof note.cluster === 'string' ? (note as FlinkNote) : undefined;
    } catch {
      return undefined;
    }
  }

  #noteFlink(id: string, note: FlinkNote): void {
    const file = this.#flinkFile(id);
    if (!file) return;
    try {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, `${JSON.stringify(note)}\n`);
    } catch (error) {
      this.#warn(`Job ${id}: where it runs on Flink could not be noted: ${error}`);
    }
  }

  /**
   * Starts a stopped or failed job again, under the same id, from its savepoint
   * or else its latest checkpoint. Refuses (conflict) a running or finished
   * job, and one with nothing to resume from.
   */
  async resume(id: string): Promise<JobHandle> {
    if (this.#closing) throw new AppError('unavailable', 'The server is shutting down.');
    const job = this.get(id);
    const refuse = (message: string) => new AppError('conflict', message);
    if (job.status === 'running') throw refuse('The job is running: stop it before resuming it.');
    if (job.status === 'finished') {
      throw refuse('The job finished: it read all its input, so there is nothing to resume.');
    }
    if (job.onFlink || isFlink(job.pipeline)) {
      const savepoint = job.summary().flink?.savepoint;
      if (!savepoint) {
        throw refuse(
          'The job ran on Flink and stopped without a savepoint, so there is nothing to resume from: deploy it again to run it from the start.',
        );
      }
      const next = this.#run(id, job.pipeline, job.origin, {
        startedAt: job.startedAt,
        restoreFrom: savepoint,
      });
      this.#records?.update(next.record());
      return next;
    }
    const plan = this.#plan(id, job.pipeline, job.origin);
    if (!plan) {
      throw refuse(
        'The job takes no checkpoints, so there is nothing to resume from: deploy it again to run it from the start.',
      );
    }
    // For a job of several instances, the first one's folder tells (each one's is checked as it starts).
    const dir = instancesOf(job.pipeline) > 1 ? join(plan.dir, 'instance-0') : plan.dir;
    const saved = await new CheckpointStorage(dir, { onWarning: this.#warn })
      .list()
      .catch(() => []);
    // Someone else resumed it meanwhile.
    if (this.#jobs.get(id) !== job) throw refuse('The job is running: stop it before resuming it.');
    if (saved.length === 0) {
      throw refuse(
        'The job has no checkpoint or savepoint to resume from (it stopped before its first one): deploy it again to run it from the start.',
      );
    }
    const next = this.#run(id, job.pipeline, job.origin, {
      startedAt: job.startedAt,
      restore: { from: job.savepoint?.id ?? 'latest', required: true, ...savepointsOf(job) },
    });
    this.#records?.update(next.record());
    return next;
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

  /** Stops a job; a job that checkpoints takes a last checkpoint, or a savepoint when asked. */
  async stop(id: string, drain = false, savepoint = false): Promise<JobSummary> {
    const job = this.get(id);
    if (job.onFlink) {
      // A job on Flink always stops with a savepoint, taken by Flink.
      await job.stop(false, FLINK_STOP_TIMEOUT_MS);
      return job.summary();
    }
    if (savepoint && job.status === 'running' && !job.checkpoints) {
      throw new AppError(
        'conflict',
        "The job takes no checkpoints (its pipeline's settings turn them off), so it cannot be stopped with a savepoint.",
      );
    }
    await job.stop(drain, this.#stopTimeoutMs, savepoint);
    return job.summary();
  }

  /**
   * Stops every running job, each given its time to flush, for server shutdown.
   * A job that checkpoints takes a last checkpoint and is recorded to resume
   * when the server starts again, as after a crash: a restart, clean or not,
   * leaves what was running running.
   */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(
      [...this.#jobs.values()].map((job) => {
        // A job on Flink runs on without this server: it is followed again when it starts.
        const runner = this.#flink.get(job.id);
        if (runner && job.status === 'running') return runner.terminate();
        if (job.status === 'running') job.resumeOnStart = job.checkpoints;
        return job.stop(false, this.#stopTimeoutMs);
      }),
    );
  }

  /** Where and how a job checkpoints; undefined when it does not. Instances keep their own folders. */
  #plan(id: string, pipeline: Pipeline, origin: JobOrigin): CheckpointPlan | undefined {
    const instances = instancesOf(pipeline);
    const settings = checkpointSettings(pipeline);
    if (!settings.enabled || this.#checkpointsDir === undefined) return undefined;
    return {
      dir: join(this.#checkpointsDir, id),
      intervalMs: settings.intervalMs,
      keep: settings.keep,
      meta: {
        pipeline: pipelineFingerprint(pipeline),
        name: pipeline.name,
        job: id,
        ...(origin.pipelineId === undefined ? {} : { pipelineId: origin.pipelineId }),
        ...(origin.pipelineVersion === undefined ? {} : { version: origin.pipelineVersion }),
        // A checkpoint holds one instance's share: it is restored only into as many.
        ...(instances > 1 ? { instances } : {}),
      },
    };
  }

  /** A secret the pipeline names that the server does not have: refused on the node that names it. */
  #secretFindings(pipeline: Pipeline): Diagnostic[] {
    const named = secretsNamed(pipeline);
    if (named.length === 0) return [];
    const { missing, problem } = this.#resolveSecrets(pipeline);
    return named
      .filter((s) => missing.includes(s.name))
      .map((s) => ({
        severity: 'error' as const,
        code: 'secret.missing',
        message: `The secret ${s.name} is not set: start the server with SLUICE_SECRET_${s.name} in its environment, or add "${s.name}" to state/secrets.json in its data directory${problem ? ` (${problem})` : ''}.`,
        nodeId: s.nodeId,
        path: s.path,
      }));
  }

  #resolveSecrets(pipeline: Pipeline) {
    const names = secretsNamed(pipeline).map((s) => s.name);
    if (names.length === 0) return { values: {}, missing: [] as string[] };
    return this.#secrets?.resolve(names) ?? { values: {}, missing: names };
  }

  /** Runs a job in a new worker (or one per instance); a resumed one keeps its id and its place in the list. */
  #run(id: string, pipeline: Pipeline, origin: JobOrigin, options: RunOptions = {}): JobHandle {
    const cluster = this.#flinkTarget(pipeline);
    if (cluster) return this.#runOnFlink(id, pipeline, origin, cluster, options);
    const count = instancesOf(pipeline);
    const checkpoints = this.#plan(id, pipeline, origin);
    const stopFlag = newStopFlag();
    // Resolved at each start, so a secret set since is taken; only the pipeline's own go to its job.
    const secrets = this.#resolveSecrets(pipeline).values;
    const startOf = (index: number): WorkerStart => {
      const plan =
        checkpoints && count > 1
          ? { ...checkpoints, dir: join(checkpoints.dir, `instance-${index}`) }
          : checkpoints;
      const from = options.restore?.from;
      const savepoints = options.restore?.instances;
      return {
        jobId: id,
        pipeline,
        dataDir: this.#dataDir,
        ...(this.#dataDirShownAs === undefined ? {} : { dataDirShownAs: this.#dataDirShownAs }),
        metricsIntervalMs: this.#metricsIntervalMs,
        stopFlag,
        ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
        ...(plan ? { checkpoints: plan } : {}),
        ...(plan && options.restore
          ? {
              restore: {
                ...options.restore,
                // Each instance resumes from its own savepoint of the set.
                from: typeof from === 'number' && savepoints ? (savepoints[index] ?? from) : from!,
              },
            }
          : {}),
        ...(count > 1 ? { instance: { index, count } } : {}),
      };
    };
    const worker = (index: number) =>
      new Worker(workerEntry(), {
        workerData: startOf(index),
        name: count > 1 ? `sluice job ${id} ${index + 1}/${count}` : `sluice job ${id}`,
        // The worker runs built JavaScript: none of the parent's loaders or conditions apply.
        execArgv: [],
        resourceLimits: { maxOldGenerationSizeMb: this.#heapMb },
      });
    const runner =
      count > 1 ? new WorkerGroup(count, worker, stopFlag, viewKeeps(pipeline)) : worker(0);
    const job = new JobHandle(id, pipeline, origin, runner, this.#heapMb, stopFlag, {
      ...(options.startedAt === undefined ? {} : { startedAt: options.startedAt }),
      checkpoints: checkpoints !== undefined,
      changed: (changed) => this.#records?.update(changed.record()),
      warn: (message) => this.#warn(`Job ${id}: ${message}`),
    });
    this.#jobs.set(id, job);
    void job.ended.then(() => this.#forgetOldest());
    return job;
  }

  /** Runs a job on a Flink cluster: its runner speaks to JobHandle as a worker would. */
  #runOnFlink(
    id: string,
    pipeline: Pipeline,
    origin: JobOrigin,
    cluster: FlinkCluster,
    options: RunOptions,
  ): JobHandle {
    const startedAt = options.startedAt ?? Date.now();
    const { restoreFrom } = options;
    const note = (): FlinkNote => ({
      cluster: cluster.name,
      ...(runner.flinkJobId ? { jobId: runner.flinkJobId } : {}),
      ...(runner.savepoint ? { savepoint: runner.savepoint } : {}),
      ...(restoreFrom ? { restoredFrom: restoreFrom } : {}),
    });
    const runner: FlinkRunner = new FlinkRunner({
      cluster,
      pipeline,
      statements: this.#compile(id, pipeline).statements,
      metricsIntervalMs: this.#metricsIntervalMs,
      startedAt,
      ...(options.attach ? { attach: options.attach } : {}),
      ...(restoreFrom ? { restoreFrom } : {}),
      submitted: () => this.#noteFlink(id, note()),
      saved: () => this.#noteFlink(id, note()),
    });
    const job = new JobHandle(id, pipeline, origin, runner, 0, undefined, {
      startedAt,
      checkpoints: false,
      changed: (changed) => this.#records?.update(changed.record()),
      warn: (message) => this.#warn(`Job ${id}: ${message}`),
      flink: note,
    });
    this.#flink.set(id, runner);
    this.#jobs.set(id, job);
    void job.ended.then(() => {
      this.#flink.delete(id);
      this.#forgetOldest();
    });
    return job;
  }

  /** Keeps at most `keepFinished` ended jobs, dropping the earliest started, with their checkpoints. */
  #forgetOldest(): void {
    const ended = [...this.#jobs.values()].filter((job) => job.status !== 'running');
    for (const job of ended.slice(0, Math.max(0, ended.length - this.#keepFinished))) {
      this.#jobs.delete(job.id);
      this.#records?.remove(job.id);
      if (this.#checkpointsDir !== undefined) {
        void rm(join(this.#checkpointsDir, job.id), { recursive: true, force: true }).catch(
          (error) => this.#warn(`Job ${job.id}: its checkpoints could not be deleted: ${error}`),
        );
      }
    }
  }
}

function originOf(stored: StoredJob): JobOrigin {
  return {
    ...(stored.pipelineId === undefined ? {} : { pipelineId: stored.pipelineId }),
    ...(stored.pipelineVersion === undefined ? {} : { pipelineVersion: stored.pipelineVersion }),
  };
}

function isFlink(pipeline: Pipeline): boolean {
  return pipeline.settings?.target?.startsWith('flink:') ?? false;
}

/** How many instances a pipeline runs as on this machine ('auto': one per core). */
export function instancesOf(pipeline: Pipeline): number {
  const wanted = pipeline.settings?.parallelism ?? 1;
  return wanted === 'auto'
    ? Math.min(MAX_PARALLELISM, Math.max(1, availableParallelism()))
    : wanted;
}

/** The savepoint of each instance, for a job that ran as several. */
function savepointsOf(job: JobHandle): { instances?: readonly number[] } {
  const instances = job.savepoint?.instances;
  return instances ? { instances } : {};
}

/** Why state cannot be carried into a version that runs as another number of instances, if so. */
function otherInstances(before: Pipeline, after: Pipeline): string | undefined {
  const was = instancesOf(before);
  const is = instancesOf(after);
  if (was === is) return undefined;
  return `The job runs as ${was} instance${was === 1 ? '' : 's'} and the new version as ${is}: each instance's state holds its own share of the keys, which cannot be shared out anew. Keep Instances at ${was} to keep the state, or deploy the new version from scratch.`;
}

/** Refuses (conflict) to carry state into a version that runs as another number of instances. */
function sameInstances(before: Pipeline, after: Pipeline): void {
  const refusal = otherInstances(before, after);
  if (refusal) throw new AppError('conflict', refusal);
}
