// Below the canvas while a job is shown: the results of the steps whose kind
// declares it shows some. Rows as a live table (newest first) and, for
// windowed numbers, a chart over time; lines as they were printed. Polled
// once a second while the job runs and its socket is open, once more when it
// has ended; never while the server cannot be reached, nor for a job that is
// gone (a 404 stops the polling and asks the live view whether it is).
import type { ConsoleView, PreviewView, ShownResults } from '@sluice/shared';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { ApiError, api, errorMessage } from '../api/client.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { chartData, valueFieldsOf } from './chart.js';
import { resultsReading } from './follow.js';
import { RecordTable } from './RecordTable.js';
import { ResultsChart } from './ResultsChart.js';
import { columnsFor } from './records.js';
import { resultKindLabels, resultSteps } from './result-steps.js';

export const PREVIEW_POLL_MS = 1_000;

export function ResultsPanel() {
  const catalog = useEditor((s) => s.catalog);
  // A string, so the selector's answer compares equal while the steps are the same.
  const steps = useEditor((s) =>
    resultSteps(s.document.nodes, s.catalog)
      .map((step) => `${step.id}\u0000${step.label}\u0000${step.shows}`)
      .join('\u0001'),
  );
  const list = useMemo(
    () =>
      steps === ''
        ? []
        : steps.split('\u0001').map((s) => {
            const [id, label, shows] = s.split('\u0000') as [string, string, ShownResults];
            return { id, label, shows };
          }),
    [steps],
  );
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const shown = list.find((step) => step.id === chosen) ?? list[0];
  const Results = shown ? RESULTS[shown.shows] : undefined;
  return (
    <section className="results" aria-label="Results">
      <header className="results-head">
        <h2>Results</h2>
        {list.length > 1 && (
          <select
            className="input"
            aria-label="Preview step"
            value={shown?.id}
            onChange={(e) => setChosen(e.target.value)}
          >
            {list.map((step) => (
              <option key={step.id} value={step.id}>
                {step.label}
              </option>
            ))}
          </select>
        )}
      </header>
      {shown && Results ? (
        <Results key={shown.id} nodeId={shown.id} />
      ) : (
        <p className="muted small pad">
          Add a {resultKindLabels(catalog) || 'result'} step to see results here; the records on any
          connection can be seen by choosing it.
        </p>
      )}
    </section>
  );
}

/** How each kind of shown results is drawn. */
const RESULTS: Record<ShownResults, (props: { nodeId: string }) => ReactNode> = {
  rows: PreviewResults,
  lines: ConsoleLines,
};

function usePreview<View extends { total: number }>(
  nodeId: string,
): { view: View | null; problem: string | null } {
  const store = useEditorStore();
  const jobId = useEditor((s) => s.live.job?.id);
  const reading = useEditor((s) => resultsReading(s.live));
  const [view, setView] = useState<View | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!jobId || reading === 'none') return;
    let cancelled = false;
    let inFlight = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const poll = async () => {
      if (inFlight) return;
      inFlight = true;
      try {
        const next = (await api.preview(jobId, nodeId)) as View | null;
        if (cancelled) return;
        // Unchanged results keep their object, so the table and chart skip the render;
        // a server that restarted may have none left of an ended job: the last ones stay.
        setView((old) => (old && (!next || old.total === next.total) ? old : next));
        setProblem(null);
      } catch (cause) {
        if (cancelled) return;
        if (cause instanceof ApiError && cause.status === 404) {
          // Not asked again: the live view finds out whether the job is gone, and says so.
          clearInterval(timer);
          store.getState().live.channel?.verify();
          return;
        }
        setProblem(errorMessage(cause));
      } finally {
        inFlight = false;
      }
    };
    void poll();
    if (reading === 'follow') timer = setInterval(() => void poll(), PREVIEW_POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [store, jobId, nodeId, reading]);
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
  // Pausing means something only while results may still come.
  const running = useEditor((s) => s.live.job?.status === 'running');
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
        live={running}
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
