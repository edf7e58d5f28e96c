// Back in time on one connection: the records its flight recorder kept (the
// server samples and bounds them), read at any moment of the last minute with
// the scrubber, filtered by a condition in the same expressions as a filter
// step (checked by the server, which says what is wrong), paged back, and one
// key followed over every connection of the job, marked on the canvas.
import type { Follow, PipelineEdge, RecordPage } from '@sluice/shared';
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, api } from '../api/client.js';
import { sourcePort } from '../document/document.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { formatBytes, formatClock, formatCount, formatDuration } from './format.js';
import { RecordTable, type TableRow } from './RecordTable.js';
import { columnsFor } from './records.js';

const PAGE = 200;

const message = (cause: unknown) =>
  cause instanceof ApiError || cause instanceof Error ? cause.message : String(cause);

export function EdgeHistory({ edge, label }: { edge: PipelineEdge; label: string }) {
  const jobId = useEditor((s) => (s.live.job?.status === 'running' ? s.live.job.id : undefined));
  const schema = useEditor((s) => s.analysis.schemas.get(edge.source)?.[sourcePort(edge)]);
  /** The moment read: null for the latest. */
  const [until, setUntil] = useState<number | null>(null);
  const [where, setWhere] = useState('');
  const [applied, setApplied] = useState('');
  const [page, setPage] = useState<RecordPage | null>(null);
  const [older, setOlder] = useState<RecordPage['records']>([]);
  const [problem, setProblem] = useState<string | null>(null);
  /** The span the scrubber covers: the recorder's, when the latest was read. */
  const [span, setSpan] = useState<{ from: number; to: number } | null>(null);

  const load = useCallback(
    async (at: number | null, condition: string) => {
      if (!jobId) return;
      try {
        const next = await api.edgeRecords(jobId, edge.id, {
          ...(at === null ? {} : { until: at }),
          ...(condition.trim() ? { where: condition } : {}),
          limit: PAGE,
        });
        setPage(next);
        setOlder([]);
        setProblem(null);
        // The recorder moves on: the scrubber spans what it keeps now.
        if (next.oldestAt !== null && next.newestAt !== null) {
          setSpan({ from: next.oldestAt, to: next.newestAt });
        }
      } catch (cause) {
        // What is shown must be what was asked for: no rows of an earlier question under an error.
        setPage(null);
        setOlder([]);
        setProblem(message(cause));
      }
    },
    [jobId, edge.id],
  );

  // The latest, when opened; the scrubber then reads within what was kept.
  useEffect(() => {
    void load(null, '');
  }, [load]);

  const records = useMemo(() => [...(page?.records ?? []), ...older], [page, older]);
  const rows: readonly TableRow[] = useMemo(
    () => records.map((r) => ({ key: r.seq, row: r.row, time: r.time })),
    [records],
  );
  const columns = useMemo(
    () =>
      columnsFor(
        schema?.fields,
        rows.map((r) => r.row),
      ),
    [schema, rows],
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(where);
    void load(until, where);
  };
  const loadOlder = async () => {
    const last = records.at(-1);
    if (!jobId || !last) return;
    try {
      const next = await api.edgeRecords(jobId, edge.id, {
        before: last.seq,
        ...(applied.trim() ? { where: applied } : {}),
        limit: PAGE,
      });
      setOlder((o) => [...o, ...next.records]);
    } catch (cause) {
      setProblem(message(cause));
    }
  };

  if (!jobId) return <p className="muted small">The job is not running: nothing is recorded.</p>;
  const now = page?.newestAt ?? Date.now();
  return (
    <section className="edge-history" aria-label="Recorded records" data-testid="edge-history">
      {span && (
        <label className="scrubber">
          <span className="small">
            {until === null
              ? `The latest records, as of ${formatClock(span.to, now)} (Latest reads again)`
              : until < span.from
                ? `${formatClock(until, now)} is no longer kept: the recorder now starts at ${formatClock(span.from, now)}`
                : `At ${formatClock(until, now)}, ${formatDuration(Math.max(0, span.to - until))} before the latest`}
          </span>
          <input
            type="range"
            aria-label="Go back in time"
            min={span.from}
            max={span.to}
            step={100}
            value={until ?? span.to}
            onChange={(e) => {
              const at = Number(e.target.value);
              const latest = at >= span.to;
              setUntil(latest ? null : at);
              void load(latest ? null : at, applied);
            }}
          />
        </label>
      )}
      <form className="record-tools" onSubmit={apply}>
        <input
          className="input grow"
          type="search"
          placeholder="Condition, e.g. amount > 100"
          aria-label={`Condition on ${label}`}
          value={where}
          onChange={(e) => setWhere(e.target.value)}
        />
        <button type="submit" className="button">
          Apply
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setUntil(null);
            void load(null, applied);
          }}
        >
          Latest
        </button>
      </form>
      {problem && (
        <p className="tone-error small" role="alert">
          {problem}
        </p>
      )}
      {page && (
        <p className="muted small" data-testid="edge-history-figures">
          {formatCount(page.kept)} kept of {formatCount(page.passed)} passed
          {page.oldestAt !== null && page.newestAt !== null
            ? `, the last ${formatDuration(page.newestAt - page.oldestAt)}`
            : ''}
          , about {formatBytes(page.bytes)}: up to {formatCount(page.perSecond)} a second, 10 000
          and {formatDuration(page.ageMs)} at most.
        </p>
      )}
      <RecordTable
        label={`Recorded ${label}`}
        columns={columns}
        rows={rows}
        timeLabel={schema?.time === 'event' ? 'event time' : 'time'}
        live={false}
        empty={
          until !== null && span && until < span.from
            ? 'That moment is older than anything the recorder keeps now.'
            : applied
              ? 'No recorded record meets the condition.'
              : 'Nothing recorded yet.'
        }
      />
      {page && page.records.length === PAGE && (
        <button type="button" className="button" onClick={() => void loadOlder()}>
          Older records
        </button>
      )}
      <FollowKey
        edge={edge}
        fields={schema?.fields.map((f) => f.name) ?? []}
        first={records[0]?.row}
      />
    </section>
  );
}

/** One key followed over every connection: the field and value, then where its records are. */
function FollowKey({
  edge,
  fields,
  first,
}: {
  edge: PipelineEdge;
  fields: readonly string[];
  first: Record<string, unknown> | undefined;
}) {
  const store = useEditorStore();
  const jobId = useEditor((s) => s.live.job?.id);
  const edges = useEditor((s) => s.document.edges);
  const nodes = useEditor((s) => s.document.nodes);
  const [field, setField] = useState(fields[0] ?? '');
  const [value, setValue] = useState('');
  const [result, setResult] = useState<Follow | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Forget the marks on the canvas when the panel closes.
  useEffect(() => () => store.getState().updateLive((l) => ({ ...l, followed: null })), [store]);
  if (fields.length === 0) return null;
  const title = (id: string) => nodes.find((n) => n.id === id)?.label || id;
  const follow = async (event: FormEvent) => {
    event.preventDefault();
    if (!jobId) return;
    try {
      const next = await api.follow(jobId, field, value);
      setResult(next);
      setProblem(null);
      const found = new Map(
        next.edges.filter((e) => e.matched > 0).map((e) => [e.edgeId, e.matched]),
      );
      store.getState().updateLive((l) => ({ ...l, followed: found }));
    } catch (cause) {
      setProblem(message(cause));
    }
  };
  const example = first?.[field];
  return (
    <section aria-label="Follow a key" className="follow-key">
      <h3>Follow a key through the job</h3>
      <form className="record-tools" onSubmit={follow}>
        <select
          className="input"
          aria-label="Field to follow"
          value={field}
          onChange={(e) => setField(e.target.value)}
        >
          {fields.map((f) => (
            <option key={f}>{f}</option>
          ))}
        </select>
        <input
          className="input grow"
          aria-label="Value to follow"
          placeholder={example === undefined || example === null ? 'value' : String(example)}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="button" disabled={value === ''}>
          Follow
        </button>
      </form>
      {problem && <p className="tone-error small">{problem}</p>}
      {result && (
        <ul className="followed" aria-label="Where the key is">
          {result.edges.map((e) => {
            const on = edges.find((x) => x.id === e.edgeId);
            const name = on ? `${title(on.source)} → ${title(on.target)}` : e.edgeId;
            return (
              <li key={e.edgeId} className={e.edgeId === edge.id ? 'here' : undefined}>
                <span>{name}</span>
                <span className="muted">
                  {!e.hasField
                    ? `no field ${result.field}`
                    : e.records.length === 0
                      ? 'none recorded'
                      : `${formatCount(e.matched)} of ${formatCount(e.kept)} recorded, latest at ${formatClock(e.records[0]!.at)}`}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
