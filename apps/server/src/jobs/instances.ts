// What the instances of a job that runs as several (settings.parallelism)
// say, put together as one job says it: metrics summed (per partition where
// they are per partition, each instance reading its own), a preview's rows
// and an edge's recorded records merged, a node's event time as its slowest
// instance's. Pure functions over what the workers sent.
import { CONSOLE_LINES_KEPT } from '@sluice/engine';
import {
  type ConsoleView,
  type EventTimeView,
  type Follow,
  type InstanceMetrics,
  type JobMetrics,
  type NodeView,
  type OperatorMetrics,
  type PendingWindow,
  type Pipeline,
  type PreviewView,
  type RecordedRecord,
  type RecordPage,
  sinkPreview,
} from '@sluice/shared';
import type { RecordsQuery, Slices } from './protocol.js';

/** Sums numbers; the watermark a step has is its slowest instance's (null until all have one). */
function mergeOperator(parts: readonly OperatorMetrics[]): OperatorMetrics {
  const first = parts[0]!;
  const sum = (pick: (m: OperatorMetrics) => number) => parts.reduce((t, m) => t + pick(m), 0);
  const extra: Record<string, number> = {};
  for (const m of parts) {
    for (const [k, v] of Object.entries(m.extra)) extra[k] = (extra[k] ?? 0) + v;
  }
  // An idle instance (no partitions, or none with records) does not hold the step back.
  const holding = parts.filter((m) => !m.idle);
  const timed = holding.length > 0 ? holding : parts;
  const watermark = timed.some((m) => m.watermark === null)
    ? null
    : Math.min(...timed.map((m) => m.watermark as number));
  const lags = timed.map((m) => m.watermarkLagMs);
  const condition = parts.find((m) => m.condition !== undefined)?.condition;
  const hot = mergeHotKeys(parts);
  return {
    nodeId: first.nodeId,
    kind: first.kind,
    recordsIn: sum((m) => m.recordsIn),
    recordsOut: sum((m) => m.recordsOut),
    bytesIn: sum((m) => m.bytesIn),
    inPerSecond: sum((m) => m.inPerSecond),
    outPerSecond: sum((m) => m.outPerSecond),
    errors: sum((m) => m.errors),
    late: sum((m) => m.late),
    watermark,
    watermarkLagMs: lags.includes(null) ? null : Math.max(...(lags as number[])),
    stateKeys: sum((m) => m.stateKeys),
    stateBytes: sum((m) => m.stateBytes),
    // Each instance's share of its own thread: the step's share of the job's threads.
    busy: sum((m) => m.busy) / parts.length,
    backlog: sum((m) => m.backlog),
    idle: parts.every((m) => m.idle),
    extra,
    ...(condition === undefined ? {} : { condition }),
    ...(hot ? { hotKeys: hot } : {}),
  };
}

/** Each instance's hottest keys, weighted by its share of the step's records. */
function mergeHotKeys(parts: readonly OperatorMetrics[]): OperatorMetrics['hotKeys'] {
  const withKeys = parts.filter((m) => m.hotKeys !== undefined);
  if (withKeys.length === 0) return undefined;
  const total = withKeys.reduce((t, m) => t + m.inPerSecond, 0);
  const shares = new Map<string, number>();
  for (const m of withKeys) {
    const weight = total > 0 ? m.inPerSecond / total : 1 / withKeys.length;
    for (const k of m.hotKeys!) shares.set(k.key, (shares.get(k.key) ?? 0) + k.share * weight);
  }
  const longest = Math.max(...withKeys.map((m) => m.hotKeys!.length));
  return [...shares]
    .map(([key, share]) => ({ key, share: Math.min(1, share) }))
    .sort((a, b) => b.share - a.share)
    .slice(0, longest);
}

/** One instance as the job's panel shows it: its records, its partitions, its lag. */
export function instanceFigures(index: number, m: JobMetrics): InstanceMetrics {
  const sources = m.operators.filter((o) => o.kind.startsWith('source.'));
  const partitions = sources.flatMap((o) =>
    Object.keys(o.extra)
      .filter((k) => k.startsWith('lag '))
      .map((k) => k.slice('lag '.length)),
  );
  return {
    index,
    status: m.status,
    recordsIn: m.recordsIn,
    recordsOut: m.recordsOut,
    inPerSecond: sources.reduce((t, o) => t + o.outPerSecond, 0),
    lag: sources.reduce((t, o) => t + (o.extra.lag ?? 0), 0),
    partitions: [...new Set(partitions)].sort(),
    busy: Math.min(
      1,
      m.operators.reduce((t, o) => t + o.busy, 0),
    ),
  };
}

/**
 * The metrics of the job: its instances' put together, with each one's
 * figures; `indices` names the instances of `parts` (default: 0, 1, …).
 */
export function mergeMetrics(
  parts: readonly JobMetrics[],
  indices: readonly number[] = parts.map((_m, i) => i),
): JobMetrics {
  const first = parts[0]!;
  const sum = (pick: (m: JobMetrics) => number) => parts.reduce((t, m) => t + pick(m), 0);
  // By id, once per snapshot: a pipeline may have hundreds of steps.
  const operatorsOf = parts.map((m) => new Map(m.operators.map((o) => [o.nodeId, o])));
  const edgesOf = parts.map((m) => new Map(m.edges.map((e) => [e.edgeId, e])));
  const operators = first.operators.map((o) =>
    mergeOperator(operatorsOf.map((byId) => byId.get(o.nodeId) ?? o)),
  );
  const edges = first.edges.map((e) => {
    const same = edgesOf.map((byId) => byId.get(e.edgeId) ?? e);
    return {
      ...e,
      records: same.reduce((t, x) => t + x.records, 0),
      perSecond: same.reduce((t, x) => t + x.perSecond, 0),
    };
  });
  const checkpoints = mergeCheckpoints(parts);
  // The job's event time waits for its slowest instance: its holder is the job's.
  const slowest = [...parts]
    .filter((m) => m.heldBy !== undefined)
    .sort((a, b) => (a.heldBy!.watermark ?? -Infinity) - (b.heldBy!.watermark ?? -Infinity))[0];
  const status = parts.some((m) => m.status === 'running')
    ? 'running'
    : parts.some((m) => m.status === 'failed')
      ? 'failed'
      : first.status;
  return {
    status,
    at: Math.max(...parts.map((m) => m.at)),
    startedAt: Math.min(...parts.map((m) => m.startedAt)),
    uptimeMs: Math.max(...parts.map((m) => m.uptimeMs)),
    recordsIn: sum((m) => m.recordsIn),
    recordsOut: sum((m) => m.recordsOut),
    errors: sum((m) => m.errors),
    late: sum((m) => m.late),
    operators,
    edges,
    ...(checkpoints ? { checkpoints } : {}),
    ...(slowest?.heldBy ? { heldBy: slowest.heldBy } : {}),
    instances: parts.map((m, i) => instanceFigures(indices[i] ?? i, m)),
  };
}

/**
 * The job's checkpoints: complete as a set as often as its least checkpointed
 * instance; the last one as old as the oldest instance's last; sizes summed.
 */
function mergeCheckpoints(parts: readonly JobMetrics[]): JobMetrics['checkpoints'] {
  const all = parts.map((m) => m.checkpoints);
  if (all.some((c) => c === undefined)) return all.find((c) => c !== undefined);
  const figures = all as NonNullable<JobMetrics['checkpoints']>[];
  const first = figures[0]!;
  const common = {
    completed: Math.min(...figures.map((c) => c.completed)),
    failed: figures.reduce((t, c) => t + c.failed, 0),
    restoredFrom: first.restoredFrom,
  };
  // Until every instance has taken one, the job has no complete set: none yet, as for one instance.
  if (figures.some((c) => c.lastAt === null || c.lastId === null)) {
    return { ...common, lastId: null, lastAt: null, lastDurationMs: null, lastBytes: null };
  }
  return {
    ...common,
    lastId: first.lastId,
    lastAt: Math.min(...figures.map((c) => c.lastAt as number)),
    lastDurationMs: Math.max(...figures.map((c) => c.lastDurationMs ?? 0)),
    lastBytes: figures.reduce((t, c) => t + (c.lastBytes ?? 0), 0),
  };
}

/** A preview's or console's rows from every instance: the latest `keep`, as one would keep them. */
export function mergeViews(parts: readonly NodeView[], keep: number): NodeView {
  const first = parts[0]!;
  if ('lines' in first) {
    const consoles = parts as readonly ConsoleView[];
    // Lines carry no times: the latest of each instance, an equal share of them.
    const share = Math.ceil(keep / consoles.length);
    return {
      lines: consoles.flatMap((c) => c.lines.slice(-share)).slice(-keep),
      total: consoles.reduce((t, c) => t + c.total, 0),
      omitted: consoles.reduce((t, c) => t + c.omitted, 0),
    };
  }
  const previews = parts as readonly PreviewView[];
  const rows = previews
    .flatMap((p) => p.rows.map((row, i) => ({ row, time: p.times[i] ?? 0 })))
    .sort((a, b) => a.time - b.time)
    .slice(-keep);
  return {
    fields: first.fields,
    rows: rows.map((r) => r.row),
    times: rows.map((r) => r.time),
    total: previews.reduce((t, p) => t + p.total, 0),
  };
}

/** How many rows (or lines) a node's view keeps: a preview its capacity, a console its last lines. */
export function viewKeeps(pipeline: Pipeline): (nodeId: string) => number {
  return (nodeId) => {
    const node = pipeline.nodes.find((n) => n.id === nodeId);
    const capacity = (node?.config as { capacity?: unknown } | undefined)?.capacity;
    if (node?.kind === 'sink.preview') {
      return typeof capacity === 'number' ? capacity : (sinkPreview.defaults.capacity ?? 200);
    }
    return CONSOLE_LINES_KEPT;
  };
}

/**
 * A record's number across the job: instance i's record s is s × count + i:
 * unique over all, increasing per instance, and telling the instance and its
 * own number back.
 */
function jobSeq(record: RecordedRecord, index: number, count: number): RecordedRecord {
  return { ...record, seq: record.seq * count + index };
}

/**
 * What instance `index` is asked for a page: before its cursor when the page
 * goes on from one this job served (see nextCursors), else before the
 * job-wide record `before`'s place in its own numbers.
 */
export function instanceQuery(
  query: RecordsQuery,
  index: number,
  count: number,
  cursors?: readonly (number | undefined)[],
): RecordsQuery {
  if (query.before === undefined) return query;
  const { before: _b, ...rest } = query;
  if (cursors) {
    const own = cursors[index];
    return own === undefined ? rest : { ...rest, before: own };
  }
  return { ...query, before: Math.max(0, Math.ceil((query.before - index) / count)) };
}

/**
 * Records of every instance, newest first (by when they passed; then by
 * job-wide number), as many as one page holds. Each instance's records come
 * newest first too, so a page takes the newest of each: see nextCursors.
 */
function newestFirst(
  parts: readonly { index: number; records: readonly RecordedRecord[] }[],
  count: number,
  limit: number,
): RecordedRecord[] {
  return parts
    .flatMap((p) => p.records.map((r) => jobSeq(r, p.index, count)))
    .sort((a, b) => b.at - a.at || b.seq - a.seq)
    .slice(0, limit);
}

/**
 * Where each instance's next page starts, after `page` (asked with each
 * instance's `befores`): before the oldest of its records the page took, or
 * where its own page started when it took none of them. Paging on with these
 * shows every record once, newest first across instances.
 */
export function nextCursors(
  page: RecordPage,
  befores: readonly (number | undefined)[],
  count: number,
): (number | undefined)[] {
  const next = [...befores];
  for (const r of page.records) {
    const index = r.seq % count;
    const seq = Math.floor(r.seq / count);
    const known = next[index];
    next[index] = known === undefined || seq < known ? seq : known;
  }
  return next;
}

export function mergeRecordPages(
  parts: readonly { index: number; page: RecordPage }[],
  count: number,
  limit: number | undefined,
): RecordPage {
  const pages = parts.map((p) => p.page);
  const first = pages[0]!;
  const most = limit ?? Math.max(...pages.map((p) => p.records.length));
  const oldest = pages.map((p) => p.oldestAt).filter((t): t is number => t !== null);
  const newest = pages.map((p) => p.newestAt).filter((t): t is number => t !== null);
  return {
    edgeId: first.edgeId,
    records: newestFirst(
      parts.map((p) => ({ index: p.index, records: p.page.records })),
      count,
      most,
    ),
    kept: pages.reduce((t, p) => t + p.kept, 0),
    bytes: pages.reduce((t, p) => t + p.bytes, 0),
    oldestAt: oldest.length > 0 ? Math.min(...oldest) : null,
    newestAt: newest.length > 0 ? Math.max(...newest) : null,
    passed: pages.reduce((t, p) => t + p.passed, 0),
    perSecond: pages.reduce((t, p) => t + p.perSecond, 0),
    ageMs: Math.max(...pages.map((p) => p.ageMs)),
  };
}

export function mergeFollows(parts: readonly { index: number; follow: Follow }[], count: number) {
  const first = parts[0]!.follow;
  return {
    ...first,
    edges: first.edges.map((edge) => {
      const same = parts.map((p) => ({
        index: p.index,
        edge: p.follow.edges.find((e) => e.edgeId === edge.edgeId) ?? edge,
      }));
      const keep = Math.max(...same.map((s) => s.edge.records.length));
      return {
        ...edge,
        hasField: same.some((s) => s.edge.hasField),
        matched: same.reduce((t, s) => t + s.edge.matched, 0),
        records: newestFirst(
          same.map((s) => ({ index: s.index, records: s.edge.records })),
          count,
          keep,
        ),
      };
    }),
  } satisfies Follow;
}

/**
 * Every instance's recorded rows of each edge, in event-time order (a replay
 * takes its watermark from the rows' times, so rows out of order would be
 * late); rows of equal times keep their instance's order.
 */
export function mergeSlices(
  parts: readonly { slices: Slices; times?: Record<string, number[]> }[],
): Slices {
  // By Map: an edge id may be any name, __proto__ too.
  const out = new Map<string, { row: Record<string, unknown>; time: number; at: number }[]>();
  for (const { slices, times } of parts) {
    for (const [edgeId, rows] of Object.entries(slices)) {
      const at = times?.[edgeId];
      const kept = out.get(edgeId) ?? [];
      for (let i = 0; i < rows.length; i++) {
        kept.push({ row: rows[i]!, time: at?.[i] ?? 0, at: kept.length });
      }
      out.set(edgeId, kept);
    }
  }
  return Object.fromEntries(
    [...out].map(([edgeId, rows]) => [
      edgeId,
      rows.sort((a, b) => a.time - b.time || a.at - b.at).map((r) => r.row),
    ]),
  );
}

/**
 * A node's event time in the job: its slowest instance's view (the one that
 * holds it back), with every instance's partitions, late records and pending
 * windows.
 */
export function mergeEventTimes(parts: readonly EventTimeView[]): EventTimeView {
  // An instance with no watermark yet (no partitions, or none with records) holds nothing back
  // while others have one, as in the metrics.
  const timed = parts.filter((v) => v.watermark !== null);
  const slowest = [...(timed.length > 0 ? timed : parts)].sort(
    (a, b) => (a.watermark ?? -Infinity) - (b.watermark ?? -Infinity),
  )[0]!;
  const partitions = new Map<string, NonNullable<EventTimeView['partitions']>[number]>();
  for (const view of parts) {
    for (const p of view.partitions ?? []) {
      const key = `${p.topic}:${p.partition}`;
      const known = partitions.get(key);
      // Each partition is read by one instance: its entry is the one that owns it.
      if (!known || (p.owned && !known.owned)) {
        partitions.set(key, { ...p, holding: p.holding && view === slowest });
      }
    }
  }
  const lateRecent = parts.flatMap((v) => v.late.recent).sort((a, b) => b.at - a.at);
  const pending = mergePending(parts);
  return {
    ...slowest,
    ...(partitions.size > 0
      ? {
          partitions: [...partitions.values()].sort(
            (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
          ),
        }
      : {}),
    late: {
      total: parts.reduce((t, v) => t + v.late.total, 0),
      recent: lateRecent.slice(0, Math.max(...parts.map((v) => v.late.recent.length))),
    },
    ...(pending ? { pending } : {}),
  };
}

function mergePending(parts: readonly EventTimeView[]): EventTimeView['pending'] {
  const all = parts.map((v) => v.pending).filter((p) => p !== undefined);
  if (all.length === 0) return undefined;
  const windows = new Map<string, PendingWindow>();
  for (const p of all) {
    for (const w of p.earliest) {
      const key = `${w.start}/${w.end}/${w.key ?? ''}`;
      const known = windows.get(key);
      windows.set(
        key,
        known && w.keys !== undefined ? { ...known, keys: (known.keys ?? 0) + w.keys } : w,
      );
    }
  }
  return {
    kind: all[0]!.kind,
    time: all[0]!.time,
    total: all.reduce((t, p) => t + p.total, 0),
    earliest: [...windows.values()]
      .sort((a, b) => a.firesAt - b.firesAt)
      .slice(0, Math.max(...all.map((p) => p.earliest.length))),
  };
}
