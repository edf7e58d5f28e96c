// A running pipeline: builds the operators, runs the sources, moves batches
// and watermarks through the graph, and reports status and metrics.
import {
  analyzePipeline,
  type Diagnostic,
  getOperator,
  hasErrors,
  type JobFailure,
  type NodeView,
  type Pipeline,
  parseDuration,
  RECORD_ERRORS_KEPT,
  type StreamSchema,
} from '@sluice/shared';
import { START_OF_TIME } from '../batch.js';
import type { CheckpointKind } from '../checkpoint/codec.js';
import type { WrittenCheckpoint } from '../checkpoint/storage.js';
import { DataDir } from '../io/data-dir.js';
import type { SourceContext } from '../operator.js';
import { runtimeFor } from '../operators/registry.js';
import {
  CheckpointCoordinator,
  type CheckpointFigures,
  type CheckpointOptions,
  type JobSnapshot,
  pipelineFingerprint,
} from './checkpoint.js';
import { type Clock, systemClock } from './clock.js';
import { ErrorOutput, type RecordError } from './errors.js';
import type { EdgeMetrics, JobMetrics, JobStatus, OperatorMetrics } from './metrics.js';
import { RateMeter } from './metrics.js';
import { BusyTimer, type NodeHost, type OutgoingEdge, RunningNode } from './node.js';
import { StateStore } from './state.js';
import { Tap, type TapOptions, type TapSample } from './taps.js';

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
   * message (a worker's parent sets a shared flag). `drain` as in `stop`.
   */
  readonly stopRequested?: () => { drain: boolean } | undefined;
  /** Periodic checkpoints, and where they go. Default: none. */
  readonly checkpoints?: CheckpointOptions;
  /**
   * Starts from a checkpoint of the same pipeline instead of from scratch:
   * every node's state, the watermarks, and the sources' positions.
   */
  readonly restore?: { readonly snapshot: JobSnapshot; readonly id?: number };
  /**
   * Names the job, the same across its restarts and different between jobs
   * (Kafka sinks derive their transactional ids from it). Default: from the
   * pipeline's fingerprint, so two runs of one pipeline share it.
   */
  readonly jobId?: string;
}

/** A checkpoint that does not fit the pipeline it was to be restored into. */
export class RestoreError extends Error {
  override readonly name = 'RestoreError';
}

/** The time one source batch should take through the graph; batches shrink to fit it. */
const BATCH_TARGET_MS = 50;
/** Rows a source is first asked for, and at most (sources cap it with their own size too). */
const FIRST_BATCH_ROWS = 64;
const MAX_BATCH_ROWS = 4096;

export type { JobFailure } from '@sluice/shared';

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
  readonly #nodes: RunningNode[] = [];
  readonly #sources: RunningNode[] = [];
  readonly #edges = new Map<string, OutgoingEdge & { source: string }>();
  readonly #errors: ErrorOutput;
  readonly #rates: RateMeter;
  readonly #maxBacklog: number;
  readonly #statusListeners = new Set<Listener<JobStatus>>();
  readonly #metricsListeners = new Set<Listener<JobMetrics>>();
  readonly #lastBatchAt = new Map<RunningNode, number>();
  #status: JobStatus = 'running';
  #failure?: JobFailure;
  #stopping = false;
  #signalStop!: () => void;
  readonly #stopped: Promise<void>;
  #resolveDone!: (result: JobResult) => void;
  #unfinished = 0;
  #cancelTicker?: () => void;
  #settling?: Promise<void>;
  readonly #stopRequested?: () => { drain: boolean } | undefined;

  constructor(pipeline: Pipeline, options: JobOptions) {
    const analysis = analyzePipeline(pipeline);
    if (hasErrors(analysis.diagnostics)) throw new PipelineError(analysis.diagnostics);
    this.clock = options.clock ?? systemClock;
    this.startedAt = this.clock.now();
    this.#rates = new RateMeter(this.startedAt);
    this.#maxBacklog = options.maxBacklog ?? 50_000;
    this.#stopRequested = options.stopRequested;
    const budget = pipeline.settings?.errorBudget;
    this.#errors = new ErrorOutput(
      RECORD_ERRORS_KEPT,
      budget && { maxErrors: budget.maxErrors, perMs: parseDuration(budget.per) ?? 60_000 },
    );
    this.#stopped = new Promise((resolve) => {
      this.#signalStop = () => {
        this.#wakeSleepers();
        resolve();
      };
    });
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });

    const dataDir = new DataDir(options.dataDir ?? process.cwd(), options.dataDirShownAs);
    const stdout = options.stdout ?? ((text: string) => void process.stdout.write(text));
    const jobId = options.jobId ?? `p${pipelineFingerprint(pipeline).slice(0, 16)}`;
    const byId = new Map<string, RunningNode>();
    for (const node of pipeline.nodes) {
      const definition = getOperator(node.kind)!;
      const running = new RunningNode(node.id, definition, new StateStore(), this);
      byId.set(node.id, running);
      this.#nodes.push(running);
    }
    const inputs = new Map<string, StreamSchemaList>();
    for (const edge of pipeline.edges) {
      const source = byId.get(edge.source)!;
      const target = byId.get(edge.target)!;
      const out = source.definition.outputs.findIndex((p) => p.name === (edge.sourcePort ?? 'out'));
      const port = target.definition.inputs.findIndex((p) => p.name === (edge.targetPort ?? 'in'));
      const outgoing: OutgoingEdge = {
        edgeId: edge.id,
        target,
        port,
        slot: target.addSlot(),
        records: 0,
        taps: undefined,
      };
      source.outputs[out]!.push(outgoing);
      // Keep the edge object shared, so counts and taps on either reference agree.
      this.#edges.set(edge.id, Object.assign(outgoing, { source: source.id }));
      const schema = analysis.schemas.get(edge.source)?.[edge.sourcePort ?? 'out'];
      const list = inputs.get(edge.target) ?? target.definition.inputs.map(() => []);
      if (schema) list[port]!.push(schema);
      inputs.set(edge.target, list);
    }
    for (const node of pipeline.nodes) {
      const running = byId.get(node.id)!;
      const runtime = runtimeFor(node.kind);
      const env = {
        node,
        definition: running.definition,
        inputs: inputs.get(node.id) ?? [],
        outputs: running.definition.outputs.map((p) => analysis.schemas.get(node.id)?.[p.name]),
        clock: this.clock,
        dataDir,
        state: running.state,
        stdout,
        checkpointing: options.checkpoints !== undefined,
        jobId,
        ...(options.checkpoints ? { checkpointIntervalMs: options.checkpoints.intervalMs } : {}),
      };
      if (runtime.type === 'source') {
        running.source = runtime.create(env);
        this.#sources.push(running);
      } else {
        running.operator = runtime.create(env);
      }
    }
    if (options.restore) this.#restore(options.restore.snapshot);
    this.#unfinished = this.#nodes.filter((n) => !n.finished).length;
    if (options.checkpoints) {
      this.#checkpoints = new CheckpointCoordinator(
        {
          clock: this.clock,
          running: () => this.#status === 'running' && !this.#stopping,
          snapshot: () => this.#cut(),
          flushSinks: () => this.#flushSinks(),
          checkpointed: () => this.#checkpointed(),
        },
        options.checkpoints,
        options.restore?.id,
      );
      this.#checkpoints.start();
    }
    this.#startTicker(options.metricsIntervalMs ?? 1000);
    this.#startCommits();
    const running = this.#sources.filter((n) => !n.finished);
    for (const source of running) void this.#runSource(source);
    // Without a source to run (none, or all ended before the checkpoint), every node has finished.
    if (running.length === 0) void this.#settle('finished');
  }

  #checkpoints?: CheckpointCoordinator;

  /** Every node and edge now, as a checkpoint keeps them. Call between batches. */
  snapshot(): JobSnapshot {
    const nodes: Record<string, ReturnType<RunningNode['snapshot']>> = {};
    for (const node of this.#nodes) nodes[node.id] = node.snapshot();
    const edges: Record<string, number> = {};
    for (const [id, edge] of this.#edges) edges[id] = edge.records;
    return { nodes, edges };
  }

  /** Checkpoint figures, when the job takes checkpoints. */
  checkpointFigures(): CheckpointFigures | undefined {
    return this.#checkpoints?.figures();
  }

  #restore(snapshot: JobSnapshot): void {
    const ids = new Set(this.#nodes.map((n) => n.id));
    const extra = Object.keys(snapshot.nodes).filter((id) => !ids.has(id));
    const missing = [...ids].filter((id) => !(id in snapshot.nodes));
    if (extra.length > 0 || missing.length > 0) {
      const parts = [
        missing.length > 0 ? `nodes ${missing.join(', ')} are not in it` : '',
        extra.length > 0 ? `it has nodes ${extra.join(', ')} the pipeline does not` : '',
      ].filter(Boolean);
      throw new RestoreError(
        `The checkpoint was taken of another version of this pipeline: ${parts.join('; ')}.`,
      );
    }
    for (const node of this.#nodes) {
      const saved = snapshot.nodes[node.id]!;
      if (saved.kind !== node.definition.kind) {
        throw new RestoreError(
          `The checkpoint was taken of another version of this pipeline: node '${node.id}' was a ${saved.kind}, it is now a ${node.definition.kind}.`,
        );
      }
      try {
        node.restore(saved);
      } catch (error) {
        throw new RestoreError(
          `The checkpoint does not fit node '${node.id}' (${node.definition.kind}): ${messageOf(error)}.`,
        );
      }
    }
    for (const [id, edge] of this.#edges) edge.records = snapshot.edges[id] ?? 0;
    // Rates count from here, not from zero.
    this.#rates.sample(this.clock.now() - 1, this.#readings());
  }

  /** The checkpoint's cut: exactly-once sinks set aside what came before it, then every node is snapshotted. */
  #cut(): JobSnapshot {
    for (const node of this.#nodes) node.operator?.cut?.();
    this.#cutPositions = this.#sources.map((node) => node.position);
    return this.snapshot();
  }

  /** The sources' positions at the last cut, in `#sources` order. */
  #cutPositions: unknown[] = [];

  /** The checkpoint is durable: exactly-once sinks make what came before its cut visible. */
  async #checkpointed(): Promise<void> {
    const positions = this.#cutPositions;
    for (const node of this.#nodes) {
      try {
        await node.operator?.checkpointed?.();
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
  async stop(options: { drain?: boolean; checkpoint?: CheckpointKind } = {}): Promise<JobResult> {
    if (this.#status === 'running' && !this.#stopping) {
      this.#stopping = true;
      this.#signalStop();
      await this.#sourcesExited();
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
      };
    });
    const edges: EdgeMetrics[] = [...this.#edges.entries()].map(([edgeId, e]) => ({
      edgeId,
      source: e.source,
      target: e.target.id,
      records: e.records,
      perSecond: this.#rates.rate(`edge:${edgeId}`),
    }));
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
    void this.#sourcesExited().then(() => this.#settle('failed'));
  }

  nodeFinished(): void {
    this.#unfinished--;
    if (this.#unfinished === 0 && !this.#stopping) void this.#settle('finished');
  }

  // --- internals ---

  readonly #sourceLoops = new Set<Promise<void>>();

  async #sourcesExited(): Promise<void> {
    await Promise.all([...this.#sourceLoops]);
  }

  #runSource(node: RunningNode): Promise<void> {
    const loop = this.#sourceLoop(node);
    this.#sourceLoops.add(loop);
    return loop;
  }

  async #sourceLoop(node: RunningNode): Promise<void> {
    const source = node.source!;
    let maxRows = FIRST_BATCH_ROWS;
    const context: SourceContext = {
      now: () => this.clock.now(),
      sleep: (ms) => this.#sleep(ms),
      stopped: this.#stopped,
      error: (row, reason) => this.recordError(node, row, reason),
      get maxRows() {
        return maxRows;
      },
    };
    let lastYield = performance.now();
    this.#lastBatchAt.set(node, this.clock.now());
    try {
      while (!this.#stopping) {
        const asked = this.#stopRequested?.();
        if (asked) {
          void this.stop(asked);
          return;
        }
        await this.#waitForRoom();
        const batch = await source.next(context);
        if (this.#failure) return;
        if (!batch) {
          if (!this.#stopping) {
            node.position = source.position?.();
            node.finish();
          }
          return;
        }
        if (batch.rows.length > 0) {
          this.#lastBatchAt.set(node, this.clock.now());
          node.sourceIdle(false);
          this.busy.enter(node.counters);
          const began = performance.now();
          try {
            node.emit(batch, batch.port ?? 0);
          } finally {
            this.busy.exit();
          }
          maxRows = nextBatchRows(maxRows, batch.rows.length, performance.now() - began);
        }
        node.sourceWatermark(source.watermark?.() ?? START_OF_TIME);
        // Taken with the batch, so a checkpoint between batches has the position that goes with it.
        if (source.position) node.position = source.position();
        // Let timers, stop requests and other sources run between batches.
        if (performance.now() - lastYield > 10) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
    } catch (error) {
      this.fail(node, error);
    }
  }

  readonly #sleepers = new Set<() => void>();

  #sleep(ms: number): Promise<boolean> {
    if (this.#stopping) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        cancel();
        resolve(false);
      };
      const cancel = this.clock.schedule(ms, () => {
        this.#sleepers.delete(wake);
        resolve(true);
      });
      this.#sleepers.add(wake);
    });
  }

  #wakeSleepers(): void {
    for (const wake of this.#sleepers) wake();
    this.#sleepers.clear();
  }

  /** Waits while the sinks hold too much unwritten; a sink that cannot write fails the job there. */
  async #waitForRoom(): Promise<void> {
    for (const node of this.#nodes) {
      const operator = node.operator;
      if (!operator?.backlog || !operator.flush || operator.backlog() <= this.#maxBacklog) continue;
      try {
        await operator.flush();
      } catch (error) {
        this.fail(node, error);
      }
    }
  }

  #startTicker(intervalMs: number): void {
    const tick = () => {
      const now = this.clock.now();
      this.#checkIdle(now);
      this.#rates.sample(now, this.#readings());
      const snapshot = this.metrics();
      for (const listener of this.#metricsListeners) listener(snapshot);
      if (this.#status === 'running') this.#cancelTicker = this.clock.schedule(intervalMs, tick);
    };
    this.#cancelTicker = this.clock.schedule(intervalMs, tick);
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

  #checkIdle(now: number): void {
    for (const node of this.#sources) {
      const timeout = node.source?.idleTimeoutMs;
      if (timeout === undefined || node.finished) continue;
      if (now - (this.#lastBatchAt.get(node) ?? now) >= timeout) node.sourceIdle(true);
    }
  }

  #cancelCommits?: () => void;
  #committing: Promise<void> | undefined;

  /** Every `commitIntervalMs`, sources that can resume save how far the sinks have written. */
  #startCommits(): void {
    const intervals = this.#sources
      .map((n) => (n.source?.prepareCommit ? n.source.commitIntervalMs : undefined))
      .filter((ms): ms is number => ms !== undefined && ms > 0);
    if (intervals.length === 0) return;
    const every = Math.min(...intervals);
    const tick = () => {
      this.#committing = this.#commitNow().finally(() => {
        this.#committing = undefined;
        if (this.#status === 'running' && !this.#stopping)
          this.#cancelCommits = this.clock.schedule(every, tick);
      });
    };
    this.#cancelCommits = this.clock.schedule(every, tick);
  }

  async #commitNow(): Promise<void> {
    // Taken between batches, so what the sources note and what the sinks hold agree.
    const commits = this.#prepareCommits();
    if (commits.length === 0) return;
    try {
      await this.#flushSinks();
    } catch {
      return; // the job fails on the sink's node
    }
    for (const { node, commit } of commits) {
      try {
        await commit();
      } catch (error) {
        this.fail(node, error);
        return;
      }
    }
  }

  #prepareCommits(): { node: RunningNode; commit: () => Promise<void> }[] {
    let doneBefore = Number.POSITIVE_INFINITY;
    for (const node of this.#nodes) {
      const operator = node.operator;
      if (!operator) continue;
      const held = operator.heldSince
        ? operator.heldSince()
        : node.state.size().keys > 0
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY;
      if (held < doneBefore) doneBefore = held;
    }
    const commits: { node: RunningNode; commit: () => Promise<void> }[] = [];
    for (const node of this.#sources) {
      const commit = node.source?.prepareCommit?.(doneBefore);
      if (commit) commits.push({ node, commit });
    }
    return commits;
  }

  /** Flushes the sinks, closes everything, and reports the final status once. */
  #settle(status: Exclude<JobStatus, 'running'>): Promise<void> {
    this.#settling ??= (async () => {
      this.#stopping = true;
      this.#signalStop();
      this.#cancelTicker?.();
      for (const node of this.#nodes) node.cancelTimers();
      this.#cancelCommits?.();
      await this.#checkpoints?.stop();
      await this.#committing;
      // A failed job saves no position: its input is read again (at least once).
      const commits = this.#failure ? [] : this.#prepareCommits();
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

type StreamSchemaList = StreamSchema[][];

/**
 * How many rows to ask a source for next, after `rows` took `ms` through the
 * graph: about BATCH_TARGET_MS worth, so a costly expression gives small
 * batches (and a prompt stop) while a cheap graph keeps large ones.
 */
export function nextBatchRows(asked: number, rows: number, ms: number): number {
  if (ms > BATCH_TARGET_MS) return Math.max(1, Math.floor((rows * BATCH_TARGET_MS) / ms));
  if (ms < BATCH_TARGET_MS / 4 && rows >= asked) return Math.min(MAX_BATCH_ROWS, asked * 2);
  return asked;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
