// A running pipeline: builds the operators, runs the sources, moves batches
// and watermarks through the graph, and reports status and metrics.
import {
  analyzePipeline,
  checkExpression,
  type Diagnostic,
  type EventTimeView,
  type Field,
  type Follow,
  hasErrors,
  type JobFailure,
  type NodeView,
  type Pipeline,
  parseDuration,
  RECORD_ERRORS_KEPT,
  type RecordPage,
  type UpgradePlan,
} from '@sluice/shared';
import type { Row } from '../batch.js';
import type { BlockReader, BlockWriter } from '../checkpoint/blocks.js';
import type { CheckpointKind } from '../checkpoint/codec.js';
import type { RestoredCheckpoint, WrittenCheckpoint } from '../checkpoint/storage.js';
import { compileExpression } from '../expression/index.js';
import { DataDir } from '../io/data-dir.js';
import type { JobInstance } from '../operator.js';
import {
  CheckpointCoordinator,
  type CheckpointFigures,
  type CheckpointOptions,
  type JobSnapshot,
  pipelineFingerprint,
} from './checkpoint.js';
import { type Clock, systemClock } from './clock.js';
import { SourceCommits } from './commits.js';
import { ErrorOutput, type RecordError } from './errors.js';
import { explainNode, jobHeldBy } from './event-time.js';
import { buildGraph, type Graph, restoreGraph, snapshotGraph } from './graph.js';
import type { EdgeMetrics, JobMetrics, JobStatus, OperatorMetrics } from './metrics.js';
import { RateMeter } from './metrics.js';
import { BusyTimer, type NodeHost, type RunningNode } from './node.js';
import { DEFAULT_RECORDER, Recorder, type RecorderLimits } from './recorder.js';
import { SourceLoops } from './source-loop.js';

export { nextBatchRows } from './source-loop.js';

import { Tap, type TapOptions, type TapSample } from './taps.js';

/** The hottest keys each keyed step reports with its metrics. */
const HOT_KEYS_SHOWN = 5;
/** The most records one ask of the recorder answers. */
const MAX_RECORDS_ASKED = 1000;

/** A `where` of the inspector that is not a boolean expression over the edge's fields. */
export class RecordQueryError extends Error {
  override readonly name = 'RecordQueryError';
}

/** A value as the inspector compares it to a followed key: its text, NULL for a null. */
const keyText = (value: unknown) =>
  value === null || value === undefined
    ? 'NULL'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** The inspector's filter, type-checked against the edge's fields; NULL and errors count as no match. */
function predicate(text: string, fields: readonly Field[]): (row: Row) => boolean {
  const checked = checkExpression(text, fields, { expected: 'boolean' });
  if (!checked.expr || checked.problems.length > 0) {
    throw new RecordQueryError(checked.problems[0]?.message ?? `'${text}' is not an expression.`);
  }
  const compiled = compileExpression(checked.expr);
  return (row) => {
    try {
      return compiled(row) === true;
    } catch {
      return false;
    }
  };
}

export interface JobOptions {
  /** Where file sources and sinks read and write; paths cannot leave it. Default: the working directory. */
  readonly dataDir?: string;
  /** How messages name the data directory's root, e.g. 'files' for the server's files folder. Default: paths as written. */
  readonly dataDirShownAs?: string;
  readonly clock?: Clock;
  /** Where console sinks write. Default: process.stdout. */
  readonly stdout?: (text: string) => void;
  /** How often metrics are sampled and sent to subscribers (ms). Default 1000. */
  readonly metricsIntervalMs?: number;
  /** Sinks holding more than this many records unwritten slow the sources down. Default 50 000. */
  readonly maxBacklog?: number;
  /**
   * Read between batches: a stop asked for while the job is too busy to take a
   * message (a worker's parent sets a shared flag), as `stop` takes it.
   */
  readonly stopRequested?: () => StopRequest | undefined;
  /** Periodic checkpoints, and where they go. Default: none. */
  readonly checkpoints?: CheckpointOptions;
  /** Each edge's flight recorder of recent records (recorder.ts); false: none. Default DEFAULT_RECORDER. */
  readonly recorder?: RecorderLimits | false;
  /**
   * Starts from a checkpoint of the same pipeline instead of from scratch:
   * every node's state, the watermarks, and the sources' positions.
   */
  readonly restore?: {
    readonly snapshot: JobSnapshot;
    readonly id?: number;
    /** Where the snapshot's state blocks are (a checkpoint read back gives them); default: inline. */
    readonly blocks?: BlockReader;
    /**
     * The snapshot is of an earlier version of the pipeline: that version and
     * the plan from it to this one (@sluice/shared's planUpgrade). Only what the
     * plan keeps or migrates is restored.
     */
    readonly upgrade?: { readonly before: Pipeline; readonly plan: UpgradePlan };
  };
  /**
   * Names the job, the same across its restarts and different between jobs
   * (Kafka sinks derive their transactional ids from it). Default: from the
   * pipeline's fingerprint, so two runs of one pipeline share it.
   */
  readonly jobId?: string;
  /**
   * This job is instance `index` of `count` running the same pipeline side by
   * side (in other threads): each Kafka source reads the partitions p with
   * p % count === index, and only those. Default: the only instance.
   */
  readonly instance?: JobInstance;
  /**
   * The secrets its nodes name (a database password), by name: resolved by
   * whoever starts the job, never part of the pipeline. Kept in memory only.
   */
  readonly secrets?: Readonly<Record<string, string>>;
}

/** A secret by name: own properties only, so no name reaches the object's prototype. */
function secretLookup(secrets: Readonly<Record<string, string>>) {
  return (name: string) => (Object.hasOwn(secrets, name) ? secrets[name] : undefined);
}

/** What `JobOptions.restore` takes from a checkpoint read back: its state, its id and its blocks. */
export function restoreFrom(found: RestoredCheckpoint): NonNullable<JobOptions['restore']> {
  return { snapshot: found.snapshot as JobSnapshot, id: found.info.id, blocks: found.blocks };
}

export type { JobFailure } from '@sluice/shared';
export { RestoreError } from './graph.js';

/** How to stop: as `Job.stop` takes it. */
export interface StopRequest {
  readonly drain?: boolean;
  readonly checkpoint?: CheckpointKind;
}

export interface JobResult {
  readonly status: Exclude<JobStatus, 'running'>;
  readonly failure?: JobFailure;
  readonly metrics: JobMetrics;
}

/** A pipeline that did not pass validation; it carries the diagnostics. */
export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  constructor(readonly diagnostics: Diagnostic[]) {
    const first = diagnostics.find((d) => d.severity === 'error');
    super(`The pipeline is not valid: ${first?.message ?? 'unknown problem'}`);
  }
}

type Listener<T> = (value: T) => void;

/** Validates the pipeline and starts running it. Throws PipelineError when it is invalid. */
export function startJob(pipeline: Pipeline, options: JobOptions = {}): Job {
  return new Job(pipeline, options);
}

export class Job implements NodeHost {
  readonly clock: Clock;
  readonly busy = new BusyTimer();
  readonly startedAt: number;
  readonly done: Promise<JobResult>;
  readonly #nodes: readonly RunningNode[];
  readonly #sources: readonly RunningNode[];
  readonly #edges: Graph['edges'];
  readonly #errors: ErrorOutput;
  readonly #rates: RateMeter;
  readonly #statusListeners = new Set<Listener<JobStatus>>();
  readonly #metricsListeners = new Set<Listener<JobMetrics>>();
  #status: JobStatus = 'running';
  #failure?: JobFailure;
  #stopping = false;
  #signalStop!: () => void;
  #resolveDone!: (result: JobResult) => void;
  #unfinished = 0;
  #cancelTicker?: () => void;
  #settling?: Promise<void>;
  readonly #loops: SourceLoops;

  constructor(pipeline: Pipeline, options: JobOptions) {
    const analysis = analyzePipeline(pipeline);
    if (hasErrors(analysis.diagnostics)) throw new PipelineError(analysis.diagnostics);
    this.clock = options.clock ?? systemClock;
    this.startedAt = this.clock.now();
    this.#rates = new RateMeter(this.startedAt);
    const budget = pipeline.settings?.errorBudget;
    this.#errors = new ErrorOutput(
      RECORD_ERRORS_KEPT,
      budget && { maxErrors: budget.maxErrors, perMs: parseDuration(budget.per) ?? 60_000 },
    );
    this.#signalStop = () => this.#loops.signalStop();
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });

    const graph = buildGraph(pipeline, analysis, this, {
      clock: this.clock,
      dataDir: new DataDir(options.dataDir ?? process.cwd(), options.dataDirShownAs),
      stdout: options.stdout ?? ((text: string) => void process.stdout.write(text)),
      checkpointing: options.checkpoints !== undefined,
      jobId: options.jobId ?? `p${pipelineFingerprint(pipeline).slice(0, 16)}`,
      ...(options.instance && options.instance.count > 1 ? { instance: options.instance } : {}),
      ...(options.checkpoints ? { checkpointIntervalMs: options.checkpoints.intervalMs } : {}),
      ...(options.secrets ? { secret: secretLookup(options.secrets) } : {}),
    });
    this.#nodes = graph.nodes;
    this.#sources = graph.sources;
    this.#edges = graph.edges;
    if (options.recorder !== false) {
      for (const edge of pipeline.edges) {
        const running = graph.edges.get(edge.id);
        const fields = analysis.schemas.get(edge.source)?.[edge.sourcePort ?? 'out']?.fields ?? [];
        if (running) running.recorder = new Recorder(fields, options.recorder ?? DEFAULT_RECORDER);
      }
    }
    this.#loops = new SourceLoops({
      clock: this.clock,
      busy: this.busy,
      nodes: this.#nodes,
      maxBacklog: options.maxBacklog ?? 50_000,
      stopRequested: options.stopRequested,
      stopping: () => this.#stopping,
      failed: () => this.#failure !== undefined,
      stop: (asked) => void this.stop(asked),
      recordError: (node, row, reason) => this.recordError(node, row, reason),
      fail: (node, error) => this.fail(node, error),
    });
    if (options.restore) {
      const { snapshot, blocks, upgrade } = options.restore;
      restoreGraph(graph, snapshot, blocks, upgrade && { ...upgrade, after: pipeline });
      // Rates count from here, not from zero.
      this.#rates.sample(this.clock.now() - 1, this.#readings());
    }
    this.#unfinished = this.#nodes.filter((n) => !n.finished).length;
    if (options.checkpoints) {
      this.#checkpoints = new CheckpointCoordinator(
        {
          clock: this.clock,
          running: () => this.#status === 'running' && !this.#stopping,
          cut: (blocks) => this.#cut(blocks),
          flushSinks: () => this.#flushSinks(),
          checkpointed: (cut) => this.#checkpointed(cut),
        },
        options.checkpoints,
        options.restore?.id,
        options.restore?.blocks,
      );
      this.#checkpoints.start();
      // Upgraded into another version, the job checkpoints that version at once: until it
      // does, the only state to resume from after a crash would be the old version's savepoint.
      if (options.restore?.upgrade) void this.#checkpoints.take('checkpoint');
    }
    this.#startTicker(options.metricsIntervalMs ?? 1000);
    this.#commits = new SourceCommits({
      clock: this.clock,
      nodes: this.#nodes,
      sources: this.#sources,
      running: () => this.#status === 'running' && !this.#stopping,
      flushSinks: () => this.#flushSinks(),
      fail: (node, error) => this.fail(node, error),
    });
    this.#commits.start();
    const running = this.#sources.filter((n) => !n.finished);
    const run = () => {
      for (const source of running) this.#loops.run(source);
      // Without a source to run (none, or all ended before the checkpoint), every node has finished.
      if (running.length === 0) void this.#settle('finished');
    };
    // Operators that need something first (a model file read) hold the sources back until they have it.
    const waiting = this.#nodes.filter((n) => n.operator?.ready !== undefined);
    if (waiting.length === 0) run();
    else
      void Promise.all(
        waiting.map((node) =>
          node.operator!.ready!.catch((error: unknown) => {
            throw { node, error };
          }),
        ),
      ).then(run, ({ node, error }: { node: RunningNode; error: unknown }) => {
        this.fail(node, error);
        void this.#settle('failed');
      });
  }

  #checkpoints?: CheckpointCoordinator;
  #commits!: SourceCommits;

  /** Every node and edge now, as a checkpoint keeps them. Call between batches. */
  snapshot(blocks?: BlockWriter): JobSnapshot {
    return snapshotGraph(
      { nodes: this.#nodes, sources: this.#sources, edges: this.#edges },
      blocks,
    );
  }

  /** Checkpoint figures, when the job takes checkpoints. */
  checkpointFigures(): CheckpointFigures | undefined {
    return this.#checkpoints?.figures();
  }

  /** The checkpoint's cut: exactly-once sinks set aside what came before it, then every node is snapshotted. */
  #cut(blocks?: BlockWriter): { snapshot: JobSnapshot; cut: number } {
    const cut = ++this.#cuts;
    for (const node of this.#nodes) node.operator?.cut?.(cut);
    this.#cutPositions.set(
      cut,
      this.#sources.map((node) => node.position),
    );
    return { snapshot: this.snapshot(blocks), cut };
  }

  #cuts = 0;
  /** The sources' positions at each cut not yet durable (or failed), in `#sources` order. */
  readonly #cutPositions = new Map<number, unknown[]>();

  /** The checkpoint of `cut` is durable: exactly-once sinks make what came before that cut visible. */
  async #checkpointed(cut: number): Promise<void> {
    const positions = this.#cutPositions.get(cut) ?? [];
    // This cut and those before it (of checkpoints that failed) are done with.
    for (const earlier of this.#cutPositions.keys())
      if (earlier <= cut) this.#cutPositions.delete(earlier);
    for (const node of this.#nodes) {
      try {
        await node.operator?.checkpointed?.(cut);
      } catch (error) {
        this.fail(node, error);
        throw error;
      }
    }
    await Promise.all(
      this.#sources.map(async (node, i) => {
        const position = positions[i];
        if (position === undefined || !node.source?.checkpointed) return;
        // Only a report to the outside: a failure there loses nothing.
        await node.source.checkpointed(position).catch(() => {});
      }),
    );
  }

  /** Waits until every sink has written what it was handed. */
  async #flushSinks(): Promise<void> {
    for (const node of this.#nodes) {
      try {
        await node.operator?.flush?.();
      } catch (error) {
        this.fail(node, error);
        throw error;
      }
    }
  }

  get status(): JobStatus {
    return this.#status;
  }

  get failure(): JobFailure | undefined {
    return this.#failure;
  }

  /**
   * Stops the job. With `drain`, the sources end as if their input ran out, so
   * every open window fires. With `checkpoint` (and checkpoints configured),
   * a last checkpoint is taken once the sources have stopped, to start again
   * from exactly there: a savepoint is kept until deleted.
   */
  async stop(options: StopRequest = {}): Promise<JobResult> {
    if (this.#status === 'running' && !this.#stopping) {
      this.#stopping = true;
      this.#signalStop();
      await this.#loops.exited();
      await this.#checkpoints?.stop();
      if (options.drain) for (const source of this.#sources) source.finish();
      if (options.checkpoint && this.#checkpoints && !this.#failure) {
        this.#lastCheckpoint = await this.#checkpoints.take(options.checkpoint);
        if (!this.#lastCheckpoint)
          this.#failure = {
            message: `The ${options.checkpoint} could not be written: ${this.#checkpoints.lastError}`,
          };
      }
      await this.#settle(options.drain && this.#unfinished === 0 ? 'finished' : 'stopped');
    }
    return this.done;
  }

  #lastCheckpoint?: WrittenCheckpoint;

  /** The checkpoint `stop({ checkpoint })`, or the end of the input, wrote last. */
  get lastCheckpoint(): WrittenCheckpoint | undefined {
    return this.#lastCheckpoint;
  }

  /** The latest metrics: counters now, rates over the last sampling interval. */
  metrics(): JobMetrics {
    const now = this.clock.now();
    let recordsIn = 0;
    let recordsOut = 0;
    let late = 0;
    const operators: OperatorMetrics[] = this.#nodes.map((node) => {
      const c = node.counters;
      const category = node.definition.category;
      if (category === 'source') recordsIn += c.recordsOut;
      if (category === 'sink') recordsOut += c.recordsIn;
      late += c.late;
      const size = node.state.size();
      const watermark = Number.isFinite(node.watermark) ? node.watermark : null;
      const condition = node.operator?.condition?.() ?? node.source?.condition?.();
      return {
        nodeId: node.id,
        kind: node.definition.kind,
        recordsIn: category === 'source' ? c.recordsOut : c.recordsIn,
        recordsOut: c.recordsOut,
        bytesIn: node.source?.bytesRead?.() ?? 0,
        inPerSecond: this.#rates.rate(`${node.id}:in`),
        outPerSecond: this.#rates.rate(`${node.id}:out`),
        errors: c.errors,
        late: c.late,
        watermark,
        watermarkLagMs: watermark === null ? null : Math.max(0, now - watermark),
        stateKeys: size.keys,
        stateBytes: size.bytes,
        busy: Math.min(1, this.#rates.rate(`${node.id}:busy`) / 1000),
        backlog: node.operator?.backlog?.() ?? 0,
        idle: node.idle,
        extra: node.operator?.metrics?.() ?? node.source?.metrics?.() ?? {},
        ...(condition === undefined ? {} : { condition }),
        ...(node.hotKeys === undefined ? {} : { hotKeys: node.hotKeys.top(HOT_KEYS_SHOWN).keys }),
      };
    });
    const edges: EdgeMetrics[] = [...this.#edges.entries()].map(([edgeId, e]) => ({
      edgeId,
      source: e.source,
      target: e.target.id,
      records: e.records,
      perSecond: this.#rates.rate(`edge:${edgeId}`),
    }));
    const heldBy = jobHeldBy(this.#nodes, this.#edges, now);
    return {
      status: this.#status,
      at: now,
      startedAt: this.startedAt,
      uptimeMs: now - this.startedAt,
      recordsIn,
      recordsOut,
      errors: this.#errors.total,
      late,
      operators,
      edges,
      ...(this.#checkpoints ? { checkpoints: this.#checkpoints.figures() } : {}),
      ...(heldBy ? { heldBy } : {}),
    };
  }

  /** Calls `listener` with fresh metrics every sampling interval; returns an unsubscribe function. */
  subscribe(listener: Listener<JobMetrics>): () => void {
    this.#metricsListeners.add(listener);
    return () => this.#metricsListeners.delete(listener);
  }

  onStatus(listener: Listener<JobStatus>): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  onError(listener: Listener<RecordError>): () => void {
    return this.#errors.subscribe(listener);
  }

  /** The latest bad records, of one node or all. */
  errors(nodeId?: string): RecordError[] {
    return this.#errors.recent(nodeId);
  }

  /** Samples the records on an edge until the returned function is called. */
  tap(edgeId: string, options: TapOptions, listener: Listener<TapSample>): () => void {
    const edge = this.#edges.get(edgeId);
    if (!edge) throw new Error(`There is no edge '${edgeId}' in this job.`);
    const tap = new Tap(edgeId, options, listener);
    edge.taps = [...(edge.taps ?? []), tap];
    return () => {
      const rest = (edge.taps ?? []).filter((t) => t !== tap);
      edge.taps = rest.length > 0 ? rest : undefined;
    };
  }

  /**
   * The records that passed on an edge lately, newest first, from its flight
   * recorder: those that passed by `until`, before `before`, and for which
   * `where` (an expression over the edge's fields) is TRUE. A `where` that is
   * not a valid boolean expression there throws a RecordQueryError naming the problem.
   */
  records(
    edgeId: string,
    query: { until?: number; before?: number; where?: string; limit?: number } = {},
  ): RecordPage {
    const edge = this.#edges.get(edgeId);
    if (!edge) throw new Error(`There is no edge '${edgeId}' in this job.`);
    const recorder = edge.recorder;
    const now = this.clock.now();
    if (!recorder) {
      return {
        edgeId,
        records: [],
        kept: 0,
        bytes: 0,
        oldestAt: null,
        newestAt: null,
        passed: edge.records,
        perSecond: 0,
        ageMs: 0,
      };
    }
    const where = query.where?.trim() ? predicate(query.where, recorder.fields) : undefined;
    const page = recorder.query(
      {
        limit: Math.max(1, Math.min(MAX_RECORDS_ASKED, query.limit ?? 200)),
        ...(query.until === undefined ? {} : { until: query.until }),
        ...(query.before === undefined ? {} : { before: query.before }),
        ...(where ? { where } : {}),
      },
      now,
    );
    return { edgeId, ...page, perSecond: recorder.limits.perSecond, ageMs: recorder.limits.ageMs };
  }

  /**
   * Everything the recorders of these edges keep, oldest first: a slice to
   * replay. With `times`, each edge's records' event times go there too, in
   * the same order (to merge the slices of several instances by time).
   */
  slice(edgeIds: readonly string[], times?: Record<string, number[]>): Record<string, Row[]> {
    const now = this.clock.now();
    const slices: Record<string, Row[]> = Object.create(null);
    for (const edgeId of edgeIds) {
      const recorder = this.#edges.get(edgeId)?.recorder;
      if (!recorder) continue;
      const { records } = recorder.query({ limit: Number.POSITIVE_INFINITY }, now);
      records.reverse();
      slices[edgeId] = records.map((r) => r.row);
      if (times) times[edgeId] = records.map((r) => r.time);
    }
    return slices;
  }

  /** One key followed through the job: on every edge, the latest records whose `field` reads `value`. */
  follow(field: string, value: string, limit = 20): Follow {
    const now = this.clock.now();
    const matches = (row: Row) => keyText(row[field]) === value;
    const edges = [...this.#edges].map(([edgeId, edge]) => {
      const recorder = edge.recorder;
      const hasField = recorder?.fields.some((f) => f.name === field) ?? false;
      const all =
        recorder && hasField
          ? recorder.query({ limit: Number.POSITIVE_INFINITY, where: matches }, now).records
          : [];
      const kept = recorder?.kept ?? 0;
      return { edgeId, hasField, kept, matched: all.length, records: all.slice(0, limit) };
    });
    return { field, value, edges };
  }

  /** Why a node's event time stands where it does (see event-time.ts); undefined for a node not in the job. */
  explain(nodeId: string): EventTimeView | undefined {
    const node = this.#nodes.find((n) => n.id === nodeId);
    if (!node) return undefined;
    return explainNode(
      node,
      this.#nodes,
      this.#edges,
      this.clock.now(),
      this.#speeds.get(nodeId) ?? null,
    );
  }

  /** What an operator shows of itself (a preview sink's latest rows), if it shows anything. */
  inspect(nodeId: string): NodeView | undefined {
    return this.#nodes.find((n) => n.id === nodeId)?.operator?.inspect?.();
  }

  // --- NodeHost ---

  recordError(node: RunningNode, row: unknown, reason: string): void {
    node.counters.errors++;
    const exceeded = this.#errors.add({ nodeId: node.id, reason, row, at: this.clock.now() });
    if (exceeded) this.fail(node, new Error(exceeded));
  }

  fail(node: RunningNode | undefined, error: unknown): void {
    if (this.#status !== 'running' || this.#failure) return;
    const message = error instanceof Error ? error.message : String(error);
    this.#failure = node ? { message, nodeId: node.id } : { message };
    this.#stopping = true;
    this.#signalStop();
    void this.#loops.exited().then(() => this.#settle('failed'));
  }

  nodeFinished(): void {
    this.#unfinished--;
    if (this.#unfinished === 0 && !this.#stopping) void this.#settle('finished');
  }

  // --- internals ---

  #startTicker(intervalMs: number): void {
    const tick = () => {
      const now = this.clock.now();
      this.#loops.checkIdle(now, this.#sources);
      this.#rates.sample(now, this.#readings());
      this.#sampleWatermarks(now);
      const snapshot = this.metrics();
      for (const listener of this.#metricsListeners) listener(snapshot);
      if (this.#status === 'running') this.#cancelTicker = this.clock.schedule(intervalMs, tick);
    };
    this.#cancelTicker = this.clock.schedule(intervalMs, tick);
  }

  /** Each node's watermark at the last tick, and how fast it moved since the one before. */
  readonly #watermarksAt = new Map<string, { at: number; watermark: number }>();
  readonly #speeds = new Map<string, number>();

  #sampleWatermarks(now: number): void {
    for (const node of this.#nodes) {
      const before = this.#watermarksAt.get(node.id);
      const watermark = node.watermark;
      if (!Number.isFinite(watermark)) continue;
      if (before && now > before.at)
        this.#speeds.set(node.id, ((watermark - before.watermark) * 1000) / (now - before.at));
      this.#watermarksAt.set(node.id, { at: now, watermark });
    }
  }

  *#readings(): Iterable<[string, number]> {
    for (const node of this.#nodes) {
      const c = node.counters;
      yield [`${node.id}:in`, node.definition.category === 'source' ? c.recordsOut : c.recordsIn];
      yield [`${node.id}:out`, c.recordsOut];
      yield [`${node.id}:busy`, c.busyMs];
    }
    for (const [edgeId, e] of this.#edges) yield [`edge:${edgeId}`, e.records];
  }

  /** Flushes the sinks, closes everything, and reports the final status once. */
  #settle(status: Exclude<JobStatus, 'running'>): Promise<void> {
    this.#settling ??= (async () => {
      this.#stopping = true;
      this.#signalStop();
      this.#cancelTicker?.();
      for (const node of this.#nodes) node.cancelTimers();
      // At the end of the input a last checkpoint follows and supersedes one
      // still being written, which is given up rather than waited for, unless
      // a sink commits what came before its cut once it is durable.
      await this.#checkpoints?.stop({
        abandon:
          status === 'finished' && !this.#failure && !this.#nodes.some((n) => n.operator?.cut),
      });
      await this.#commits.stop();
      // A failed job saves no position: its input is read again (at least once).
      const commits = this.#failure ? [] : this.#commits.prepare();
      // A sink that cannot finish writing fails the job on its node, saying why.
      await Promise.all(
        this.#nodes.map(async (node) => {
          try {
            await node.operator?.flush?.();
          } catch (error) {
            this.#failure ??= { message: messageOf(error), nodeId: node.id };
          }
        }),
      );
      try {
        await Promise.all(commits.map(({ commit }) => commit()));
      } catch (error) {
        this.#failure ??= { message: `Could not finish writing: ${messageOf(error)}` };
      }
      // The input has ended: a last checkpoint says so, and a restart from it does nothing more.
      if (status === 'finished' && !this.#failure && this.#checkpoints) {
        this.#lastCheckpoint = await this.#checkpoints.take('checkpoint');
        // An exactly-once sink makes its last records visible only with this checkpoint:
        // without it they are not written, and "finished" would say they were.
        if (!this.#lastCheckpoint && this.#nodes.some((n) => n.operator?.cut))
          this.#failure = {
            message: `The last checkpoint could not be written, so the records its exactly-once sinks held since the one before are not written: ${this.#checkpoints.lastError}`,
          };
      }
      await Promise.allSettled(
        this.#nodes.map((n) => n.operator?.close?.() ?? n.source?.close?.()),
      );
      this.#status = this.#failure ? 'failed' : status;
      this.#rates.sample(this.clock.now(), this.#readings());
      const metrics = this.metrics();
      for (const listener of this.#statusListeners) listener(this.#status);
      for (const listener of this.#metricsListeners) listener(metrics);
      this.#resolveDone(
        this.#failure
          ? { status: this.#status, failure: this.#failure, metrics }
          : { status: this.#status, metrics },
      );
    })();
    return this.#settling;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
