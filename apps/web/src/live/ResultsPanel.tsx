// Below the canvas while a job is shown: what its preview sinks hold, as a
// live table (newest first) and, for windowed numbers, a chart over time.
// Polled once a second while the job runs, once more when it has ended.
import type { PreviewView } from '@sluice/shared';
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
      .filter((n) => n.kind === 'sink.preview')
      .map((n) => `${n.id}\u0000${n.label ?? 'Preview'}`)
      .join('\u0001'),
  );
  const list = useMemo(
    () =>
      names === '' ? [] : names.split('\u0001').map((s) => s.split('\u0000') as [string, string]),
    [names],
  );
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const nodeId = list.find(([id]) => id === chosen)?.[0] ?? list[0]?.[0];
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
      {nodeId ? (
        <PreviewResults key={nodeId} nodeId={nodeId} />
      ) : (
        <p className="muted small pad">
          Add a Preview step to see results here; the records on any connection can be seen by
          choosing it.
        </p>
      )}
    </section>
  );
}

function usePreview(nodeId: string): { view: PreviewView | null; problem: string | null } {
  const jobId = useEditor((s) => s.live.job?.id);
  const running = useEditor((s) => s.live.job?.status === 'running');
  const [view, setView] = useState<PreviewView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!jobId) return;
    let cancelled = false;
    let inFlight = false;
    const poll = async () => {
      if (inFlight) return;
      inFlight = true;
      try {
        const next = await api.preview(jobId, nodeId);
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

function PreviewResults({ nodeId }: { nodeId: string }) {
  const { view, problem } = usePreview(nodeId);
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
