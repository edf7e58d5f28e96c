// A step's recent bad records, newest first, each with the reason and the
// record as it arrived: those the server kept before this panel opened,
// then each one the live socket reports. A message that could not be read is
// shown as it came, unescaped; a record field by field, its times as times.
import type { Field } from '@sluice/shared';
import { useEffect, useMemo } from 'react';
import { ApiError, api, errorMessage } from '../api/client.js';
import { inputFields } from '../inspector/input-fields.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { formatTime, formatValue } from './format.js';
import { addErrors } from './live.js';

const SHOWN = 50;

export function NodeErrors({ nodeId }: { nodeId: string }) {
  const store = useEditorStore();
  // Nothing is asked about a job the server no longer knows.
  const jobId = useEditor((s) => (s.live.job?.status === 'gone' ? undefined : s.live.job?.id));
  const all = useEditor((s) => s.live.errors);
  const count = useEditor((s) => s.live.nodes.get(nodeId)?.metrics.errors ?? 0);
  const edges = useEditor((s) => s.document.edges);
  const schemas = useEditor((s) => s.analysis.schemas);
  // The fields a bad record has: the step's input, or a source's own output.
  const fields = useMemo(() => {
    const input = inputFields(edges, schemas, nodeId);
    return input.length > 0 ? input : (schemas.get(nodeId)?.out?.fields ?? []);
  }, [edges, schemas, nodeId]);
  useEffect(() => {
    if (!jobId) return;
    let cancelled = false;
    api.jobErrors(jobId, nodeId).then(
      (errors) => {
        if (!cancelled) store.getState().updateLive((live) => addErrors(live, errors));
      },
      (cause) => {
        if (cancelled) return;
        // A job that is gone is the live view's to say, once, not an error per panel.
        if (cause instanceof ApiError && cause.status === 404)
          store.getState().live.channel?.verify();
        else store.getState().notify({ tone: 'error', message: errorMessage(cause) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [store, jobId, nodeId]);
  const errors = useMemo(
    () =>
      all
        .filter((e) => e.nodeId === nodeId)
        .slice(-SHOWN)
        .reverse(),
    [all, nodeId],
  );
  return (
    <section className="node-errors" aria-label="Bad records">
      <h3>
        Bad records <span className={count > 0 ? 'badge badge-error' : 'badge'}>{count}</span>
      </h3>
      {errors.length === 0 ? (
        <p className="muted small">None so far: every record went through.</p>
      ) : (
        <ol className="error-list">
          {errors.map((e) => (
            <li key={`${e.at}-${e.reason}-${JSON.stringify(e.row)}`}>
              <div className="error-reason">{e.reason}</div>
              <BadRecord row={e.row} fields={fields} />
              <div className="muted small">{formatTime(e.at)}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The record as it arrived: text as text, a record as its fields with their values formatted by type. */
export function BadRecord({ row, fields }: { row: unknown; fields: readonly Field[] }) {
  if (typeof row === 'string') {
    return (
      <pre className="error-row" title="The message as it arrived">
        {row}
      </pre>
    );
  }
  if (row === null || typeof row !== 'object' || Array.isArray(row)) {
    return <code className="error-row">{JSON.stringify(row)}</code>;
  }
  const types = new Map(fields.map((f) => [f.name, f.type]));
  return (
    <dl className="error-row error-fields">
      {Object.entries(row as Record<string, unknown>).map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{formatValue(value, types.get(name))}</dd>
        </div>
      ))}
    </dl>
  );
}
