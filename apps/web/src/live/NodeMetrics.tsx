// What a step shows while its job runs: rates with a sparkline, bad and late
// records, and what its kind is about (a source's watermark lag, a window's
// open windows and state). Subscribes to its own node's slice only.
import { memo } from 'react';
import { useEditor } from '../store/context.js';
import { formatBytes, formatCount } from './format.js';
import { flowFigures, sourcePosition } from './node-figures.js';
import { Sparkline } from './Sparkline.js';

export const NodeMetrics = memo(function NodeMetrics({
  nodeId,
  category,
}: {
  nodeId: string;
  category: string;
}) {
  const live = useEditor((s) => s.live.nodes.get(nodeId));
  const failure = useEditor((s) =>
    s.live.job?.failure?.nodeId === nodeId ? s.live.job.failure.message : undefined,
  );
  const running = useEditor((s) => s.live.job?.status === 'running');
  const startedAt = useEditor((s) => s.live.clock?.startedAt);
  if (!live && !failure) return <div className="op-live muted">Waiting for metrics…</div>;
  const m = live?.metrics;
  const flow = live && flowFigures(live, category, running);
  const position = m && category === 'source' ? sourcePosition(m, running, startedAt) : null;
  const openWindows = m?.extra.openWindows;
  return (
    <div className="op-live" data-testid={`live-${nodeId}`}>
      {m && (
        <>
          <div className="op-live-rates">
            <span title={flow?.in?.title}>{flow?.in?.text ?? ''}</span>
            <span title={flow?.out?.title}>{flow?.out?.text ?? ''}</span>
            {running && <Sparkline values={live.history} />}
          </div>
          <div className="op-live-facts">
            <span
              className={m.errors > 0 ? 'fact fact-error' : 'fact'}
              title="Bad records, set aside with the reason"
            >
              {formatCount(m.errors)} error{m.errors === 1 ? '' : 's'}
            </span>
            <span
              className={m.late > 0 ? 'fact fact-warning' : 'fact'}
              title="Records that arrived after their window had closed"
            >
              {formatCount(m.late)} late
            </span>
            {category === 'sink' && (
              <span className="fact" title="Records received since the job started">
                {formatCount(m.recordsIn)} received
              </span>
            )}
            {category === 'source' && (
              <span className="fact" title={position?.title}>
                {position?.text}
              </span>
            )}
            {openWindows !== undefined && (
              <span className="fact" title="Windows collecting records now">
                {formatCount(openWindows)} open window{openWindows === 1 ? '' : 's'}
              </span>
            )}
            {(category === 'window' || category === 'join' || m.stateBytes > 0) && (
              <span className="fact" title={`${m.stateKeys} keys in state`}>
                state {formatBytes(m.stateBytes)}
              </span>
            )}
          </div>
        </>
      )}
      {m?.condition && !failure && (
        <p className="op-condition" role="status" data-testid={`condition-${nodeId}`}>
          {m.condition}
        </p>
      )}
      {failure && (
        <p className="op-failure" role="alert">
          {failure}
        </p>
      )}
    </div>
  );
});
