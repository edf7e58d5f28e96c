// A step's recent bad records, newest first, each with the reason and the
// record as it arrived: those the server kept before this panel opened,
// then each one the live socket reports.
import { useEffect, useMemo } from 'react';
import { ApiError, api, errorMessage } from '../api/client.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { formatTime } from './format.js';
import { addErrors } from './live.js';

const SHOWN = 50;

export function NodeErrors({ nodeId }: { nodeId: string }) {
  const store = useEditorStore();
  // Nothing is asked about a job the server no longer knows.
  const jobId = useEditor((s) => (s.live.job?.status === 'gone' ? undefined : s.live.job?.id));
  const all = useEditor((s) => s.live.errors);
  const count = useEditor((s) => s.live.nodes.get(nodeId)?.metrics.errors ?? 0);
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
              <code className="error-row">{JSON.stringify(e.row)}</code>
              <div className="muted small">{formatTime(e.at)}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
