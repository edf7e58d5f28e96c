// The live view of a running job: what the WebSocket said, folded into
// immutable state. Each node and edge keeps its own object, replaced only when
// what it shows changed, so a memoized node re-renders only for its own news.
import type {
  CheckpointFigures,
  EdgeMetrics,
  JobFailure,
  JobMetrics,
  JobStatus,
  JobSummary,
  OperatorMetrics,
  RecordError,
  Row,
} from '@sluice/shared';
import type { Catalog } from '../catalog/catalog.js';

/** Rate samples kept per node for its sparkline: a minute at one a second. */
export const HISTORY_LENGTH = 60;
/** Bad records kept in the browser, newest last. */
export const MAX_ERRORS = 500;
/** Sampled records kept per tapped edge, newest first. */
export const TAP_CAPACITY = 500;

/** Downstream busy share and backlog at which an edge is shown as held back. */
export const PRESSURE = {
  busyAmber: 0.8,
  busyRed: 0.95,
  backlogAmber: 1_000,
  backlogRed: 10_000,
} as const;

export type Pressure = 'ok' | 'amber' | 'red';

export interface LiveJob {
  readonly id: string;
  readonly pipelineId?: string;
  readonly version?: number;
  readonly status: JobStatus;
  readonly failure?: JobFailure;
  /** This run resumed from a checkpoint or savepoint (after a stop, a crash or a server restart). */
  readonly restoredFrom?: JobSummary['restoredFrom'];
  /** It was stopped with this savepoint, and can start again from it. */
  readonly savepoint?: JobSummary['savepoint'];
  /** Opened from the jobs list on an older version: leaving reopens the latest. */
  readonly reopenOnLeave?: boolean;
}

export interface NodeLive {
  readonly metrics: OperatorMetrics;
  /** The node's recent rate (records per second), oldest first. */
  readonly history: readonly number[];
}

export interface EdgeLive {
  readonly records: number;
  readonly perSecond: number;
  readonly pressure: Pressure;
}

export interface TapRow {
  /** Increasing per edge, a stable React key. */
  readonly seq: number;
  readonly row: Row;
  readonly time: number;
}

export interface TapBuffer {
  /** Newest first, at most TAP_CAPACITY. */
  readonly rows: readonly TapRow[];
  readonly total: number;
}

export interface JobClock {
  readonly at: number;
  readonly startedAt: number;
  readonly uptimeMs: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly errors: number;
  readonly late: number;
}

/** What the page lends the live view to talk back over the WebSocket. */
export interface LiveChannel {
  tap(edgeId: string, open: boolean): void;
  close(): void;
}

export type Connection = 'connecting' | 'open' | 'lost';

export interface LiveData {
  readonly job: LiveJob | null;
  readonly nodes: ReadonlyMap<string, NodeLive>;
  readonly edges: ReadonlyMap<string, EdgeLive>;
  readonly clock: JobClock | null;
  /** The job's checkpoints, for a job that takes them; null for one that does not. */
  readonly checkpoints: CheckpointFigures | null;
  readonly errors: readonly RecordError[];
  readonly taps: ReadonlyMap<string, TapBuffer>;
  readonly channel: LiveChannel | null;
  readonly connection: Connection;
  /** Messages the server skipped because this browser was behind. */
  readonly dropped: number;
  /** The latest complaint of the server about what this browser sent. */
  readonly problem: string | null;
}

export const NO_LIVE: LiveData = {
  job: null,
  nodes: new Map(),
  edges: new Map(),
  clock: null,
  checkpoints: null,
  errors: [],
  taps: new Map(),
  channel: null,
  connection: 'connecting',
  dropped: 0,
  problem: null,
};

export function startLive(job: LiveJob): LiveData {
  return { ...NO_LIVE, job };
}

export function isRunning(live: LiveData): boolean {
  return live.job?.status === 'running';
}

export function applyStatus(live: LiveData, status: JobStatus, failure?: JobFailure): LiveData {
  if (!live.job) return live;
  const { failure: _old, ...job } = live.job;
  return { ...live, job: failure ? { ...job, status, failure } : { ...job, status } };
}

/** The live job as the server's summary of it says: where it resumed from, and the savepoint it was stopped with. */
export function liveJobOf(summary: JobSummary): Pick<LiveJob, 'restoredFrom' | 'savepoint'> {
  return {
    ...(summary.restoredFrom && { restoredFrom: summary.restoredFrom }),
    ...(summary.savepoint && { savepoint: summary.savepoint }),
  };
}

/** Takes in a fresh summary of the job shown (another job's is ignored). */
export function applySummary(live: LiveData, summary: JobSummary): LiveData {
  if (live.job?.id !== summary.id) return live;
  const { restoredFrom: _r, savepoint: _s, ...job } = live.job;
  const next = { ...job, ...liveJobOf(summary) };
  if (
    sameJson(next.restoredFrom, live.job.restoredFrom) &&
    sameJson(next.savepoint, live.job.savepoint)
  ) {
    return live;
  }
  return { ...live, job: next };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The rate a node's sparkline follows: what a source (by its kind's category) emits, what the others take in. */
export function nodeRate(m: OperatorMetrics, catalog: Catalog): number {
  return catalog.byKind.get(m.kind)?.category === 'source' ? m.outPerSecond : m.inPerSecond;
}

export function pressureOf(downstream: OperatorMetrics | undefined): Pressure {
  if (!downstream) return 'ok';
  if (downstream.busy >= PRESSURE.busyRed || downstream.backlog >= PRESSURE.backlogRed) {
    return 'red';
  }
  if (downstream.busy >= PRESSURE.busyAmber || downstream.backlog >= PRESSURE.backlogAmber) {
    return 'amber';
  }
  return 'ok';
}

function sameMetrics(a: OperatorMetrics, b: OperatorMetrics): boolean {
  // Optional, so a condition that went away is not among b's keys.
  if (a.condition !== b.condition) return false;
  for (const key of Object.keys(b) as (keyof OperatorMetrics)[]) {
    if (key === 'extra') continue;
    if (a[key] !== b[key]) return false;
  }
  const ea = Object.entries(a.extra);
  return ea.length === Object.keys(b.extra).length && ea.every(([k, v]) => b.extra[k] === v);
}

function nextNode(old: NodeLive | undefined, metrics: OperatorMetrics, catalog: Catalog): NodeLive {
  const rate = nodeRate(metrics, catalog);
  // An unchanged node with a full, flat history would draw the same: keep it.
  if (
    old &&
    sameMetrics(old.metrics, metrics) &&
    old.history.length === HISTORY_LENGTH &&
    old.history.every((v) => v === rate)
  ) {
    return old;
  }
  const history = [...(old?.history ?? []), rate];
  if (history.length > HISTORY_LENGTH) history.splice(0, history.length - HISTORY_LENGTH);
  return { metrics, history };
}

function nextEdge(old: EdgeLive | undefined, m: EdgeMetrics, pressure: Pressure): EdgeLive {
  if (
    old &&
    old.records === m.records &&
    old.perSecond === m.perSecond &&
    old.pressure === pressure
  ) {
    return old;
  }
  return { records: m.records, perSecond: m.perSecond, pressure };
}

export function applyMetrics(
  live: LiveData,
  catalog: Catalog,
  metrics: JobMetrics,
  dropped = live.dropped,
): LiveData {
  const byNode = new Map(metrics.operators.map((m) => [m.nodeId, m]));
  const nodes = new Map<string, NodeLive>();
  for (const m of metrics.operators)
    nodes.set(m.nodeId, nextNode(live.nodes.get(m.nodeId), m, catalog));
  const edges = new Map<string, EdgeLive>();
  for (const e of metrics.edges) {
    edges.set(e.edgeId, nextEdge(live.edges.get(e.edgeId), e, pressureOf(byNode.get(e.target))));
  }
  const { at, startedAt, uptimeMs, recordsIn, recordsOut, errors, late } = metrics;
  return {
    ...live,
    nodes,
    edges,
    clock: { at, startedAt, uptimeMs, recordsIn, recordsOut, errors, late },
    checkpoints: nextCheckpoints(live.checkpoints, metrics.checkpoints),
    dropped,
  };
}

/** Kept as they were while unchanged, so what shows them does not redraw. */
function nextCheckpoints(
  old: CheckpointFigures | null,
  figures: CheckpointFigures | undefined,
): CheckpointFigures | null {
  if (!figures) return null;
  if (
    old &&
    (Object.keys(figures) as (keyof CheckpointFigures)[]).every((k) => old[k] === figures[k])
  ) {
    return old;
  }
  return figures;
}

const errorKey = (e: RecordError) =>
  `${e.nodeId}\u0000${e.at}\u0000${e.reason}\u0000${JSON.stringify(e.row)}`;

/** Adds bad records (from the socket or the errors route), once each, oldest first, bounded. */
export function addErrors(live: LiveData, added: readonly RecordError[]): LiveData {
  if (added.length === 0) return live;
  const seen = new Set(live.errors.map(errorKey));
  const fresh = added.filter((e) => {
    const key = errorKey(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (fresh.length === 0) return live;
  const errors = [...live.errors, ...fresh].sort((a, b) => a.at - b.at);
  return { ...live, errors: errors.slice(-MAX_ERRORS) };
}

export function addTapSample(
  live: LiveData,
  edgeId: string,
  rows: readonly Row[],
  times: readonly number[],
): LiveData {
  if (rows.length === 0) return live;
  const old = live.taps.get(edgeId) ?? { rows: [], total: 0 };
  const fresh: TapRow[] = rows.map((row, i) => ({
    seq: old.total + i,
    row,
    time: times[i] ?? 0,
  }));
  fresh.reverse();
  const buffer: TapBuffer = {
    rows: [...fresh, ...old.rows].slice(0, TAP_CAPACITY),
    total: old.total + rows.length,
  };
  const taps = new Map(live.taps);
  taps.set(edgeId, buffer);
  return { ...live, taps };
}

export function clearTap(live: LiveData, edgeId: string): LiveData {
  if (!live.taps.has(edgeId)) return live;
  const taps = new Map(live.taps);
  taps.delete(edgeId);
  return { ...live, taps };
}
