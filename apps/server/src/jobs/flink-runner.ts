// A job that runs on a Flink cluster, seen by the rest of the server as a
// job worker: it takes the same messages (stop, inspect, taps) and sends the
// same ones (metrics every interval, then done), so JobHandle, the live
// socket and the canvas treat it as any other job. It submits the compiled
// statements through the SQL Gateway, follows the Flink job through the REST
// API, draws each vertex's figures on the nodes chained in it, and stops the
// job with a savepoint.
import { EventEmitter } from 'node:events';
import { FlinkClient, type FlinkJob, firstLine, mapVertices } from '@sluice/flink';
import type { EdgeMetrics, JobMetrics, OperatorMetrics, Pipeline } from '@sluice/shared';
import type { FlinkCluster } from '../config.js';
import type { FromWorker, JobWorker, ToWorker } from './protocol.js';

export interface FlinkRun {
  readonly cluster: FlinkCluster;
  readonly pipeline: Pipeline;
  readonly statements: readonly string[];
  readonly metricsIntervalMs: number;
  readonly startedAt: number;
  /** A Flink job already running to follow (after a server restart) instead of submitting. */
  readonly attach?: string;
  /** A savepoint for the new Flink job to start from (a resume). */
  readonly restoreFrom?: string;
  /** Told the Flink job's id once it is known, so a restarted server can follow it again. */
  readonly submitted?: (flinkJobId: string) => void;
  /** Told where the stop's savepoint went, so a restarted server can resume from it. */
  readonly saved?: (savepoint: string) => void;
}

const ENDED: Readonly<Record<string, 'finished' | 'failed' | 'stopped'>> = {
  FINISHED: 'finished',
  FAILED: 'failed',
  CANCELED: 'stopped',
  SUSPENDED: 'stopped',
};

export class FlinkRunner extends EventEmitter implements JobWorker {
  readonly #run: FlinkRun;
  readonly #client: FlinkClient;
  #flinkJobId?: string;
  #timer?: ReturnType<typeof setTimeout>;
  #stopAsked = false;
  #done = false;
  #last?: { at: number; records: Map<string, number> };
  #savepoint?: string;
  /** Each vertex's accumulated busy, idle and backpressured ms at the last poll. */
  readonly #times = new Map<string, { busy: number; idle: number; backpressured: number }>();

  constructor(run: FlinkRun) {
    super();
    this.#run = run;
    this.#client = new FlinkClient({ gateway: run.cluster.gateway, rest: run.cluster.rest });
    // After the caller has had the chance to listen.
    setImmediate(() => void this.#start());
  }

  /** The Flink job's id, once submitted. */
  get flinkJobId(): string | undefined {
    return this.#flinkJobId;
  }

  /** Where the stop's savepoint went, once it is written. */
  get savepoint(): string | undefined {
    return this.#savepoint;
  }

  async #start(): Promise<void> {
    try {
      const { attach, restoreFrom, statements } = this.#run;
      const id =
        attach ?? (await this.#client.submit(statements, restoreFrom ? { restoreFrom } : {})).jobId;
      this.#flinkJobId = id;
      this.#run.submitted?.(id);
    } catch (error) {
      this.#send({
        type: 'start-failed',
        failure: { message: `Flink cluster '${this.#run.cluster.name}': ${messageOf(error)}` },
      });
      this.#exit();
      return;
    }
    if (this.#stopAsked) {
      await this.#stop();
      return;
    }
    this.#schedule(0);
  }

  #schedule(ms: number): void {
    if (this.#done) return;
    this.#timer = setTimeout(() => void this.#poll(), ms);
  }

  async #poll(): Promise<void> {
    const id = this.#flinkJobId;
    if (!id || this.#done || this.#stopAsked) return;
    try {
      const job = await this.#client.job(id);
      const metrics = await this.#metrics(job);
      const ended = ENDED[job.state];
      if (ended) {
        const failure =
          ended === 'failed'
            ? {
                message: `The Flink job failed: ${(await this.#client.failure(id).catch(() => undefined)) ?? 'Flink gave no reason'}`,
              }
            : undefined;
        this.#finish(ended, metrics, failure);
        return;
      }
      this.#send({ type: 'metrics', metrics });
    } catch (error) {
      // The cluster may be restarting: the job is still running there as far as we know.
      this.#send({
        type: 'warning',
        message: `Flink cluster '${this.#run.cluster.name}' did not answer: ${messageOf(error)}`,
      });
    }
    this.#schedule(this.#run.metricsIntervalMs);
  }

  postMessage(message: ToWorker): void {
    switch (message.type) {
      case 'stop':
        this.#stopAsked = true;
        if (this.#flinkJobId) void this.#stop();
        break;
      case 'inspect':
      case 'explain':
      case 'records':
      case 'follow':
      case 'slice':
        // Flink keeps no preview rows for Sluice, and tells no watermark per input.
        setImmediate(() =>
          this.#send({ type: 'reply', requestId: message.requestId, value: null }),
        );
        break;
      default:
        // Taps: Flink has no way to sample an edge for Sluice; the canvas shows none.
        break;
    }
  }

  async #stop(): Promise<void> {
    const id = this.#flinkJobId;
    if (!id || this.#done) return;
    clearTimeout(this.#timer);
    let failure: { message: string } | undefined;
    try {
      this.#savepoint = await this.#client.stopWithSavepoint(id);
      this.#run.saved?.(this.#savepoint);
    } catch (error) {
      failure = {
        message: `The Flink job did not stop with a savepoint (${messageOf(error)}); it was cancelled.`,
      };
      await this.#client.cancel(id).catch(() => {});
    }
    const job = await this.#client.job(id).catch(() => undefined);
    const metrics = job ? await this.#metrics(job).catch(() => this.#empty()) : this.#empty();
    this.#finish('stopped', metrics, failure);
  }

  #finish(
    status: 'finished' | 'failed' | 'stopped',
    metrics: JobMetrics,
    failure?: { message: string },
  ): void {
    if (this.#done) return;
    const final = { ...metrics, status };
    this.#send({
      type: 'done',
      result: { status, metrics: final, ...(failure ? { failure } : {}) },
      previews: new Map(),
    });
    this.#exit();
  }

  #exit(): void {
    this.#done = true;
    clearTimeout(this.#timer);
  }

  terminate(): Promise<number> {
    this.#exit();
    return Promise.resolve(0);
  }

  #send(message: FromWorker): void {
    this.emit('message', message);
  }

  #empty(): JobMetrics {
    const now = Date.now();
    return {
      status: 'running',
      at: now,
      startedAt: this.#run.startedAt,
      uptimeMs: now - this.#run.startedAt,
      recordsIn: 0,
      recordsOut: 0,
      errors: 0,
      late: 0,
      operators: [],
      edges: [],
    };
  }

  /** The job's figures, vertex by vertex, on the nodes that run in each. */
  async #metrics(job: FlinkJob): Promise<JobMetrics> {
    const { pipeline } = this.#run;
    const placed = mapVertices(pipeline, job.vertices);
    const byId = new Map(job.vertices.map((v) => [v.id, v]));
    const watermarks = new Map<string, number | null>();
    // A node's own operator, where it has one, has its own figures; the others show their vertex's.
    const own = new Map<string, { in: number; out: number }>();
    // Busy and backpressured time are the task's, so every node chained in a vertex shares them.
    const load = new Map<string, { busy: number; backpressured: number }>();
    await Promise.all(
      job.vertices.map(async (v) => {
        const [watermark, times] = await Promise.all([
          this.#watermark(job.jid, v.id).catch(() => null),
          this.#client
            .vertexMetrics(job.jid, v.id, TIMES, 'sum')
            .catch(() => ({}) as Record<string, number>),
        ]);
        watermarks.set(v.id, watermark);
        load.set(v.id, this.#load(v.id, times));
        const operators = [...placed.values()]
          .filter((p) => p.vertex === v.id && p.operator !== undefined)
          .map((p) => p.operator!);
        if (operators.length === 0) return;
        const names = operators.flatMap((o) => [`${o}.numRecordsIn`, `${o}.numRecordsOut`]);
        const figures = await this.#client.vertexMetrics(job.jid, v.id, names).catch(() => ({}));
        for (const o of operators) {
          const get = (name: string) => (figures as Record<string, number>)[`${o}.${name}`];
          const input = get('numRecordsIn');
          const output = get('numRecordsOut');
          if (input !== undefined || output !== undefined)
            own.set(o, { in: Number(input ?? 0), out: Number(output ?? 0) });
        }
      }),
    );
    const now = Date.now();
    const seconds = this.#last ? Math.max(0.001, (now - this.#last.at) / 1000) : 0;
    const records = new Map<string, number>();
    const rate = (key: string, value: number) => {
      records.set(key, value);
      const before = this.#last?.records.get(key);
      return before === undefined || seconds === 0 ? 0 : Math.max(0, (value - before) / seconds);
    };
    let recordsIn = 0;
    let recordsOut = 0;
    const operators: OperatorMetrics[] = pipeline.nodes.map((node) => {
      const place = placed.get(node.id);
      const vertex = byId.get(place?.vertex ?? '');
      const category = node.kind.split('.')[0];
      const figures = place?.operator === undefined ? undefined : own.get(place.operator);
      const read = figures?.in ?? Number(vertex?.metrics['read-records'] ?? 0);
      const written = figures?.out ?? Number(vertex?.metrics['write-records'] ?? 0);
      // A source reads from Kafka, not from another operator: what it emits is what it read.
      const inCount = category === 'source' ? written : read;
      const outCount = category === 'sink' ? read : written;
      if (category === 'source') recordsIn += inCount;
      if (category === 'sink') recordsOut += inCount;
      const watermark = vertex ? (watermarks.get(vertex.id) ?? null) : null;
      return {
        nodeId: node.id,
        kind: node.kind,
        recordsIn: inCount,
        recordsOut: outCount,
        bytesIn: Number(vertex?.metrics['read-bytes'] ?? 0),
        inPerSecond: rate(`${node.id}:in`, inCount),
        outPerSecond: rate(`${node.id}:out`, outCount),
        errors: 0,
        late: 0,
        watermark,
        watermarkLagMs: watermark === null ? null : Math.max(0, now - watermark),
        stateKeys: 0,
        stateBytes: 0,
        busy: vertex ? (load.get(vertex.id)?.busy ?? 0) : 0,
        backlog: 0,
        idle: false,
        extra: vertex
          ? ({ backpressured: load.get(vertex.id)?.backpressured ?? 0 } as Record<string, number>)
          : {},
        ...(vertex ? { vertex: vertex.name } : {}),
      };
    });
    const out = new Map(operators.map((o) => [o.nodeId, o]));
    const edges: EdgeMetrics[] = pipeline.edges.map((e) => ({
      edgeId: e.id,
      source: e.source,
      target: e.target,
      records: out.get(e.source)?.recordsOut ?? 0,
      perSecond: out.get(e.source)?.outPerSecond ?? 0,
    }));
    this.#last = { at: now, records };
    return {
      status: 'running',
      at: now,
      startedAt: this.#run.startedAt,
      uptimeMs: now - this.#run.startedAt,
      recordsIn,
      recordsOut,
      errors: 0,
      late: 0,
      operators,
      edges,
    };
  }

  /**
   * A vertex's busy and backpressured share of the time since the last poll
   * (since it started, at the first), from its subtasks' accumulated times:
   * Flink's own per-second gauges average over a minute and say 100 % busy
   * for a job's first minute.
   */
  #load(vertexId: string, times: Record<string, number>): { busy: number; backpressured: number } {
    const now = {
      busy: finite(times[BUSY_MS]),
      idle: finite(times[IDLE_MS]),
      backpressured: finite(times[BACKPRESSURED_MS]),
    };
    const before = this.#times.get(vertexId) ?? { busy: 0, idle: 0, backpressured: 0 };
    // A subtask restarted: its counters began again.
    const restarted = now.busy < before.busy || now.idle < before.idle;
    const from = restarted ? { busy: 0, idle: 0, backpressured: 0 } : before;
    this.#times.set(vertexId, now);
    const busy = now.busy - from.busy;
    const backpressured = Math.max(0, now.backpressured - from.backpressured);
    const total = busy + (now.idle - from.idle) + backpressured;
    return total <= 0
      ? { busy: 0, backpressured: 0 }
      : { busy: busy / total, backpressured: backpressured / total };
  }

  /** The lowest input watermark of a vertex's subtasks, or null before the first. */
  async #watermark(jobId: string, vertexId: string): Promise<number | null> {
    const list = await this.#client.watermarks(jobId, vertexId);
    const values = list.map((w) => Number(w.value)).filter((v) => v > -9e18 && Number.isFinite(v));
    return values.length === 0 ? null : Math.min(...values);
  }
}

/** Flink's task metrics: milliseconds spent working, waiting for input, and waiting on downstream. */
const BUSY_MS = 'accumulateBusyTimeMs';
const IDLE_MS = 'accumulateIdleTimeMs';
const BACKPRESSURED_MS = 'accumulateBackPressuredTimeMs';
const TIMES = [BUSY_MS, IDLE_MS, BACKPRESSURED_MS];

/** 0 where Flink has no figure yet (null before a task's first busy stretch). */
function finite(value: number | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) ? Math.max(0, n) : 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? firstLine(error.message) : String(error);
}
