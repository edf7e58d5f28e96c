// The live view of a running job: what the WebSocket said, folded into
// immutable state. Each node and edge keeps its own object, replaced only when
// what it shows changed, so a memoized node re-renders only for its own news.
import type {
  CheckpointFigures,
  EdgeMetrics,
  HeldBy,
  InstanceMetrics,
  JobFailure,
  JobMetrics,
  JobStatus,
  JobSummary,
  OperatorMetrics,
  RecordError,
  Row,
} from '@sluice/shared';
import type { Catalog } from '../catalog/catalog.js';
import { holderText, holdMark } from './event-time.js';
import { formatCount, formatRate } from './format.js';
import { type Flow, flowRate, nextFlow } from './rates.js';

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

/** A job's status as the page knows it: the server's, or gone (the server no longer knows the job). */
export type LiveStatus = JobStatus | 'gone';

export interface LiveJob {
  readonly id: string;
  readonly pipelineId?: string;
  readonly version?: number;
  readonly status: LiveStatus;
  readonly failure?: JobFailure;
  /** How the live view ended when the job's status alone does not say (it is gone, or ended unseen). */
  readonly ending?: string;
  /** This run resumed from a checkpoint or savepoint (after a stop, a crash or a server restart). */
  readonly restoredFrom?: JobSummary['restoredFrom'];
  /** It was stopped with this savepoint, and can start again from it. */
  readonly savepoint?: JobSummary['savepoint'];
  /** Opened from the jobs list on an older version: leaving reopens the latest. */
  readonly reopenOnLeave?: boolean;
  /** It runs on a Flink cluster: which one, its Flink job id, its savepoints. */
  readonly flink?: JobSummary['flink'];
}

export interface NodeLive {
  readonly metrics: OperatorMetrics;
  /** Records in and out per second, from the counts (see rates.ts), not the engine's last second. */
  readonly inRate: number;
  readonly outRate: number;
  readonly flowIn: Flow;
  readonly flowOut: Flow;
  /** The node's recent rate (records per second), oldest first. */
  readonly history: readonly number[];
}

export interface EdgeLive {
  readonly records: number;
  readonly perSecond: number;
  readonly flow: Flow;
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
  /** Opens or closes the tap on a connection; closing keeps what it sampled, to read after the job. */
  tap(edgeId: string, open: boolean): void;
  /** Drops what a closed tap sampled (its panel has closed). */
  forgetTap(edgeId: string): void;
  /** Asks the server whether the job still exists (a call about it answered 404); the live view ends if not. */
  verify(): void;
  close(): void;
}

/**
 * The live socket: connecting (the first time), open, reconnecting (lost,
 * retried with backoff while the job may still run), closed (nothing more
 * to follow: the job ended or is gone).
 */
export type Connection = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * What the page found when the server answered again after the connection
 * was lost, when it was more than a network blip: the server had restarted
 * and the job resumed from a checkpoint, or started again from its beginning.
 */
export type Recovery = 'restored' | 'restarted';

export interface LiveData {
  readonly job: LiveJob | null;
  readonly nodes: ReadonlyMap<string, NodeLive>;
  readonly edges: ReadonlyMap<string, EdgeLive>;
  readonly clock: JobClock | null;
  /** The job's checkpoints, for a job that takes them; null for one that does not. */
  readonly checkpoints: CheckpointFigures | null;
  /** Each instance of a job that runs as several (settings.parallelism); null for one instance. */
  readonly instances: readonly InstanceMetrics[] | null;
  readonly errors: readonly RecordError[];
  readonly taps: ReadonlyMap<string, TapBuffer>;
  readonly channel: LiveChannel | null;
  readonly connection: Connection;
  /** Attempts to reach the server since the connection was lost. */
  readonly retries: number;
  /** The connection was lost at least once while this job was shown. */
  readonly outage: boolean;
  readonly recovery: Recovery | null;
  /** Messages the server skipped because this browser was behind. */
  readonly dropped: number;
  /** The latest complaint of the server about what this browser sent. */
  readonly problem: string | null;
  /** The source the job's event time waits for, marked on the canvas where that tells something. */
  readonly hold: Hold | null;
  /** A key followed through the job: the connections its records were recorded on, with how many. */
  readonly followed: ReadonlyMap<string, number> | null;
}

export interface Hold {
  readonly nodeId: string;
  /** The mark's words, short: `waits for partition 2`. */
  readonly text: string;
  /** The whole sentence, for its tooltip. */
  readonly title: string;
}

export const NO_LIVE: LiveData = {
  job: null,
  nodes: new Map(),
  edges: new Map(),
  clock: null,
  checkpoints: null,
  instances: null,
  errors: [],
  taps: new Map(),
  channel: null,
  connection: 'connecting',
  retries: 0,
  outage: false,
  recovery: null,
  dropped: 0,
  problem: null,
  hold: null,
  followed: null,
};

export function startLive(job: LiveJob): LiveData {
  return { ...NO_LIVE, job };
}

export function isRunning(live: LiveData): boolean {
  return live.job?.status === 'running';
}

/**
 * What the header says instead of the save state while a job is shown: the
 * canvas is read-only while it runs; once it has ended, its last figures stay
 * until "Back to editing" (they belong to the version that ran).
 */
export function liveSaveNote(live: LiveData): string | null {
  if (!live.job) return null;
  return live.job.status === 'running' ? 'Read-only while live' : 'Last run shown';
}

export function applyStatus(live: LiveData, status: LiveStatus, failure?: JobFailure): LiveData {
  if (!live.job) return live;
  const { failure: _old, ...job } = live.job;
  return { ...live, job: failure ? { ...job, status, failure } : { ...job, status } };
}

/** The live job as the server's summary of it says: where it resumed from, the savepoint it was stopped with, and the Flink cluster it runs on. */
export function liveJobOf(
  summary: JobSummary,
): Pick<LiveJob, 'restoredFrom' | 'savepoint' | 'flink'> {
  return {
    ...(summary.restoredFrom && { restoredFrom: summary.restoredFrom }),
    ...(summary.savepoint && { savepoint: summary.savepoint }),
    ...(summary.flink && { flink: summary.flink }),
  };
}

/** Takes in a fresh summary of the job shown (another job's is ignored). */
export function applySummary(live: LiveData, summary: JobSummary): LiveData {
  if (live.job?.id !== summary.id) return live;
  const { restoredFrom: _r, savepoint: _s, flink: _f, ...job } = live.job;
  const next = { ...job, ...liveJobOf(summary) };
  const restoredNow = !sameJson(next.restoredFrom, live.job.restoredFrom);
  if (
    !restoredNow &&
    sameJson(next.savepoint, live.job.savepoint) &&
    sameJson(next.flink, live.job.flink)
  ) {
    return live;
  }
  // Resumed from another checkpoint while the page was cut off: the server restarted.
  const recovery =
    restoredNow && next.restoredFrom && live.outage && summary.status === 'running'
      ? 'restored'
      : live.recovery;
  return { ...live, job: next, recovery };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Whether a node's sparkline follows what it emits (a source, by its kind's category) rather than what it takes in. */
export function followsOutput(kind: string, catalog: Catalog): boolean {
  return catalog.byKind.get(kind)?.category === 'source';
}

/** An edge's label: its rate while the job runs, the records it carried in all once it has ended. */
export function edgeFigure(edge: EdgeLive | null | undefined, running: boolean): string {
  if (!running) return `${formatCount(edge?.records ?? 0)} in all`;
  return formatRate(edge?.perSecond ?? 0);
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

function nextNode(
  old: NodeLive | undefined,
  metrics: OperatorMetrics,
  at: number,
  catalog: Catalog,
): NodeLive {
  const flowIn = nextFlow(old?.flowIn, at, metrics.recordsIn);
  const flowOut = nextFlow(old?.flowOut, at, metrics.recordsOut);
  const inRate = flowRate(flowIn, at);
  const outRate = flowRate(flowOut, at);
  const rate = followsOutput(metrics.kind, catalog) ? outRate : inRate;
  // An unchanged node with a full, flat history would draw the same: keep it.
  if (
    old &&
    sameMetrics(old.metrics, metrics) &&
    old.inRate === inRate &&
    old.outRate === outRate &&
    old.history.length === HISTORY_LENGTH &&
    old.history.every((v) => v === rate)
  ) {
    return old;
  }
  const history = [...(old?.history ?? []), rate];
  if (history.length > HISTORY_LENGTH) history.splice(0, history.length - HISTORY_LENGTH);
  return { metrics, inRate, outRate, flowIn, flowOut, history };
}

function nextEdge(
  old: EdgeLive | undefined,
  m: EdgeMetrics,
  at: number,
  pressure: Pressure,
): EdgeLive {
  const flow = nextFlow(old?.flow, at, m.records);
  const perSecond = flowRate(flow, at);
  if (
    old &&
    old.records === m.records &&
    old.perSecond === perSecond &&
    old.pressure === pressure
  ) {
    return old;
  }
  return { records: m.records, perSecond, flow, pressure };
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
    nodes.set(m.nodeId, nextNode(live.nodes.get(m.nodeId), m, metrics.at, catalog));
  const edges = new Map<string, EdgeLive>();
  for (const e of metrics.edges) {
    const pressure = pressureOf(byNode.get(e.target));
    edges.set(e.edgeId, nextEdge(live.edges.get(e.edgeId), e, metrics.at, pressure));
  }
  const { at, startedAt, uptimeMs, recordsIn, recordsOut, errors, late } = metrics;
  return {
    ...live,
    nodes,
    edges,
    clock: { at, startedAt, uptimeMs, recordsIn, recordsOut, errors, late },
    checkpoints: nextCheckpoints(live.checkpoints, metrics.checkpoints),
    instances: metrics.instances ?? null,
    dropped,
    hold: nextHold(live.hold, metrics, catalog, nodes),
  };
}

/** The mark on the source the job waits for (see holdMark); the old object while it says the same. */
function nextHold(
  old: Hold | null,
  metrics: JobMetrics,
  catalog: Catalog,
  nodes: ReadonlyMap<string, NodeLive>,
): Hold | null {
  const held: HeldBy | undefined = metrics.heldBy;
  if (!held) return null;
  let timed = 0;
  for (const node of nodes.values()) {
    if (followsOutput(node.metrics.kind, catalog) && node.metrics.watermark !== null) timed++;
  }
  const text = holdMark(held, timed, metrics.uptimeMs);
  if (text === undefined) return null;
  const title = `The job's event time waits for ${holderText(held, (id) => id, true)}. Choose a window or join downstream to see why.`;
  if (old && old.nodeId === held.nodeId && old.text === text && old.title === title) return old;
  return { nodeId: held.nodeId, text, title };
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
