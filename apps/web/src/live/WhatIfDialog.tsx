// What if: the pipeline as edited on the canvas, tried on the records a
// running job of it recorded lately. The server replays them through the
// running version and through this one, in a worker with none of the job's
// sources or sinks; each sink's rows are compared here (added, removed,
// changed). Then the edit is deployed as any other, or the slice saved with
// the running version's rows as a test case for `sluice test`.
import {
  exportFileName,
  type JobSummary,
  type Row,
  rowText,
  TEST_FILE_FORMAT,
  type WhatIfResult,
} from '@sluice/shared';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.js';
import { Dialog } from '../app/Dialog.js';
import { CommandButton } from '../commands/CommandButton.js';
import { downloadJson } from '../pipelines/session.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { formatCount, formatValue } from './format.js';

/** Rows of each kind of difference shown. */
const SHOWN = 20;

const errorText = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

export function WhatIfDialog() {
  const store = useEditorStore();
  const pipelineId = useEditor((s) => s.pipelineId);
  const document = useEditor((s) => s.document);
  const titleOf = (id: string) => document.nodes.find((n) => n.id === id)?.label || id;
  const connectionName = (edgeId: string) => {
    const edge = document.edges.find((e) => e.id === edgeId);
    return edge ? `${titleOf(edge.source)} to ${titleOf(edge.target)}` : edgeId;
  };
  // A disabled button loses the focus, and Escape with it: it comes back once the work is done.
  const replayButton = useRef<HTMLButtonElement>(null);
  const refocus = () => setTimeout(() => replayButton.current?.focus(), 0);
  const [job, setJob] = useState<JobSummary | null | undefined>(undefined);
  const [result, setResult] = useState<WhatIfResult | null>(null);
  const [busy, setBusy] = useState<'replay' | 'case' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const close = () => store.getState().openDialog(null);

  useEffect(() => {
    let cancelled = false;
    api
      .jobs()
      .then((jobs) => {
        if (cancelled) return;
        const running = jobs.find(
          (j) => j.pipelineId === pipelineId && j.status === 'running' && !j.flink,
        );
        setJob(running ?? null);
      })
      .catch((cause) => !cancelled && setProblem(errorText(cause)));
    return () => {
      cancelled = true;
    };
  }, [pipelineId]);

  const replay = async () => {
    if (!job) return;
    setBusy('replay');
    setProblem(null);
    try {
      setResult(await api.whatIf(job.id, document));
    } catch (cause) {
      setProblem(errorText(cause));
    } finally {
      setBusy(null);
      refocus();
    }
  };

  const saveCase = async () => {
    if (!job) return;
    setBusy('case');
    try {
      const testCase = await api.testCase(job.id, `recorded ${new Date().toISOString()}`);
      const name = exportFileName(document.name);
      const file = {
        format: TEST_FILE_FORMAT,
        pipeline: name,
        cases: [testCase],
      };
      downloadJson(`${JSON.stringify(file, null, 2)}\n`, name.replace(/\.json$/, '.tests.json'));
    } catch (cause) {
      setProblem(errorText(cause));
    } finally {
      setBusy(null);
      refocus();
    }
  };

  return (
    <Dialog title="What if" onClose={close} wide>
      {job === undefined && !problem && <p className="muted">Looking for a running job…</p>}
      {job === null && (
        <p className="muted">
          No job of this pipeline runs on Sluice's engine now: deploy it, then come back to try
          edits on the records it sees.
        </p>
      )}
      {job && (
        <p className="small">
          The job of version {job.pipelineVersion ?? '?'} records what passes on each connection
          (the last minute, sampled). Replay it through that version and through the pipeline as it
          is on the canvas now, side by side, with none of the job's sinks written.
        </p>
      )}
      {problem && (
        <p className="tone-error" role="alert">
          {problem}
        </p>
      )}
      {job && (
        <div className="dialog-actions">
          <button
            ref={replayButton}
            type="button"
            className="button primary"
            onClick={() => void replay()}
            disabled={busy !== null}
          >
            {busy === 'replay' ? 'Replaying…' : 'Replay the recorded records'}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void saveCase()}
            disabled={busy !== null}
          >
            {busy === 'case' ? 'Saving…' : 'Save a test case of the running version'}
          </button>
        </div>
      )}
      {result && (
        <section aria-label="What changes" data-testid="what-if-result">
          <p className="small">
            Replayed{' '}
            {Object.entries(result.records)
              .map(([edge, n]) => `${formatCount(n)} records from ${connectionName(edge)}`)
              .join(', ')}
            , with the watermark trailing the newest event time by {result.maxOutOfOrderness}.
          </p>
          {result.warnings.map((w) => (
            <p key={w} className="tone-warning small">
              {w}
            </p>
          ))}
          {result.outputs.map((out) => (
            <SinkDiff key={out.nodeId} title={titleOf(out.nodeId)} output={out} />
          ))}
          <div className="dialog-actions">
            <CommandButton name="deploy" look="button primary">
              {null}
            </CommandButton>
            <span className="muted small">
              Deploys this version as any deploy does, with the upgrade plan for the running job.
            </span>
          </div>
        </section>
      )}
    </Dialog>
  );
}

function SinkDiff({ title, output }: { title: string; output: WhatIfResult['outputs'][number] }) {
  const { diff } = output;
  const columns = output.fields.map((f) => f.name);
  const types = new Map(output.fields.map((f) => [f.name, f.type]));
  const none = diff.added.length + diff.removed.length + diff.changed.length === 0;
  return (
    <div className="what-if-sink" data-testid={`what-if-${output.nodeId}`}>
      <h3>{title}</h3>
      <p className="small" data-testid={`what-if-summary-${output.nodeId}`}>
        {none
          ? `The same ${formatCount(diff.same)} rows: this edit changes nothing here.`
          : `${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.added.length} added, ${diff.same} the same${output.cut ? ' (the first shown)' : ''} · ${formatCount(output.before.total)} rows before, ${formatCount(output.after.total)} after.`}
      </p>
      {!none && (
        <div className="table-scroll">
          <table aria-label={`Changes in ${title}`}>
            <thead>
              <tr>
                <th />
                {columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {keyed(diff.changed.slice(0, SHOWN), (c) => c.after, 'c').flatMap(({ key, item }) => [
                <DiffRow key={`${key}-`} mark="−" tone="removed" row={item.before} types={types} />,
                <DiffRow
                  key={`${key}+`}
                  mark="+"
                  tone="added"
                  row={item.after}
                  types={types}
                  before={item.before}
                />,
              ])}
              {keyed(diff.removed.slice(0, SHOWN), (r) => r, 'r').map(({ key, item }) => (
                <DiffRow key={key} mark="−" tone="removed" row={item} types={types} />
              ))}
              {keyed(diff.added.slice(0, SHOWN), (r) => r, 'a').map(({ key, item }) => (
                <DiffRow key={key} mark="+" tone="added" row={item} types={types} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Keys for rows that may repeat (the diff is of multisets): the row's text and its occurrence. */
function keyed<T>(items: readonly T[], rowOf: (item: T) => Row, prefix: string) {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const text = rowText(rowOf(item));
    const n = (seen.get(text) ?? 0) + 1;
    seen.set(text, n);
    return { key: `${prefix}:${text}:${n}`, item };
  });
}

function DiffRow({
  mark,
  tone,
  row,
  types,
  before,
}: {
  mark: string;
  tone: 'added' | 'removed';
  row: Row;
  types: ReadonlyMap<string, string>;
  before?: Row;
}) {
  return (
    <tr className={`diff-${tone}`}>
      <td>{mark}</td>
      {[...types].map(([c, type]) => (
        <td
          key={c}
          className={
            before && JSON.stringify(before[c]) !== JSON.stringify(row[c]) ? 'diff-cell' : undefined
          }
        >
          {formatValue(row[c], type)}
        </td>
      ))}
    </tr>
  );
}
