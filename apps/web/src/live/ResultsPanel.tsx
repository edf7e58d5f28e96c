// Below the canvas while a job is shown: what its preview sinks hold, as a
// live table (newest first) and, for windowed numbers, a chart over time, and
// the lines its console sinks printed. Polled once a second while the job
// runs, once more when it has ended.
import type { ConsoleView, PreviewView } from '@sluice/shared';
import { useEffect, useMemo, useState } from 'react';
import { api, errorMessage } from '../api/client.js';
import { useEditor } from '../store/context.js';
import { chartData, valueFieldsOf } from './chart.js';
import { RecordTable } from './RecordTable.js';
import { ResultsChart } from './ResultsChart.js';
import { columnsFor } from './records.js';

export const PREVIEW_POLL_MS = 1_000;

export function ResultsPanel() {
  // A string, so the selector's answer compares equal while the previews are the same.
  const names = useEditor((s) =>
    s.document.nodes
      .filter((n) => n.kind === 'sink.preview' || n.kind === 'sink.console')
      .map(
        (n) =>
          `${n.id}\u0000${n.label ?? (n.kind === 'sink.console' ? 'Console' : 'Preview')}\u0000${n.kind}`,
      )
      .join('\u0001'),
  );
  const list = useMemo(
    () =>
      names === ''
        ? []
        : names.split('\u0001').map((s) => s.split('\u0000') as [string, string, string]),
    [names],
  );
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const shown = list.find(([id]) => id === chosen) ?? list[0];
  const nodeId = shown?.[0];
  return (
    <section className="results" aria-label="Results">
      <header className="results-head">
        <h2>Results</h2>
        {list.length > 1 && (
          <select
            className="input"
            aria-label="Preview step"
            value={nodeId}
            onChange={(e) => setChosen(e.target.value)}
          >
            {list.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        )}
      </header>
      {nodeId && shown?.[2] === 'sink.console' ? (
        <ConsoleLines key={nodeId} nodeId={nodeId} />
      ) : nodeId ? (
        <PreviewResults key={nodeId} nodeId={nodeId} />
      ) : (
        <p className="muted small pad">
          Add a Preview or Console step to see results here; the records on any connection can be
          seen by choosing it.
        </p>
      )}
    </section>
  );
}

function usePreview<View extends { total: number }>(
  nodeId: string,
): { view: View | null; problem: string | null } {
  const jobId = useEditor((s) => s.live.job?.id);
  const running = useEditor((s) => s.live.job?.status === 'running');
  const [view, setView] = useState<View | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!jobId) return;
    let cancelled = false;
    let inFlight = false;
    const poll = async () => {
      if (inFlight) return;
      inFlight = true;
      try {
        const next = (await api.preview(jobId, nodeId)) as View | null;
        if (cancelled) return;
        // Unchanged results keep their object, so the table and chart skip the render.
        setView((old) => (old && next && old.total === next.total ? old : next));
        setProblem(null);
      } catch (cause) {
        if (!cancelled) setProblem(errorMessage(cause));
      } finally {
        inFlight = false;
      }
    };
    void poll();
    const timer = running ? setInterval(() => void poll(), PREVIEW_POLL_MS) : undefined;
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [jobId, nodeId, running]);
  return { view, problem };
}

/** A console sink's latest lines, newest first, as they were printed (limited and cut). */
function ConsoleLines({ nodeId }: { nodeId: string }) {
  const { view, problem } = usePreview<ConsoleView>(nodeId);
  return (
    <div className="results-body results-console">
      {problem && <p className="tone-error small">{problem}</p>}
      {view && view.lines.length > 0 ? (
        <>
          <p className="muted small">
            {view.total} records received
            {view.omitted > 0 && `, ${view.omitted} not printed (at most 20 lines a second)`}; the
            latest {view.lines.length} lines, newest first:
          </p>
          <pre className="console-lines" role="log" aria-label="Console output">
            {[...view.lines].reverse().join('\n')}
          </pre>
        </>
      ) : (
        <p className="muted small pad">Nothing printed yet: no record has reached this step.</p>
      )}
    </div>
  );
}

function PreviewResults({ nodeId }: { nodeId: string }) {
  const { view, problem } = usePreview<PreviewView>(nodeId);
  const values = useMemo(() => (view ? valueFieldsOf(view.fields) : []), [view]);
  const [valueField, setValueField] = useState<string | undefined>(undefined);
  const field = values.includes(valueField ?? '') ? valueField! : values[0];
  const chart = useMemo(() => (view && field ? chartData(view, field) : null), [view, field]);
  const rows = useMemo(
    () =>
      view
        ? view.rows.map((row, i) => ({ key: view.total - view.rows.length + i, row })).reverse()
        : [],
    [view],
  );
  const columns = useMemo(() => columnsFor(view?.fields, view?.rows ?? []), [view]);
  return (
    <div className="results-body">
      {problem && <p className="tone-error small">{problem}</p>}
      <RecordTable
        label="Preview results"
        columns={columns}
        rows={rows}
        total={view?.total}
        empty="No results yet: nothing has reached this step. A window's results arrive once the watermark passes its end."
      />
      {chart && chart.x.length > 0 && (
        <div className="results-chart-box">
          <label className="small">
            Chart{' '}
            <select
              className="input"
              aria-label="Field to chart"
              value={field}
              onChange={(e) => setValueField(e.target.value)}
            >
              {values.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>{' '}
            over {chart.timeField}
            {chart.omitted > 0 && (
              <span className="muted"> ({chart.omitted} groups not drawn)</span>
            )}
          </label>
          <ResultsChart data={chart} label={`${field} over ${chart.timeField}`} />
        </div>
      )}
    </div>
  );
}
