// The right panel while a job is shown: the job at a glance; or, for a chosen
// connection, the records flowing on it; or, for a chosen step, what it sends
// on and the records it set aside, with the reasons.
import type { PipelineEdge } from '@sluice/shared';
import { type CSSProperties, useState } from 'react';
import { useEditor } from '../store/context.js';
import { CheckpointFacts } from './CheckpointNotes.js';
import { EdgeHistory } from './EdgeHistory.js';
import { EdgeRecords } from './EdgeRecords.js';
import { EventTime } from './EventTime.js';
import { formatCount, formatDuration, formatRate, percent } from './format.js';
import { InstanceFacts } from './InstanceFacts.js';
import { NodeErrors } from './NodeErrors.js';
import { listOf, useChainedWith } from './NodeMetrics.js';
import { SinkWrites, useWritesOutside } from './SinkWrites.js';

export function LiveInspector() {
  const edgeId = useEditor((s) =>
    s.selection.edges.size === 1 && s.selection.nodes.size === 0
      ? [...s.selection.edges][0]
      : undefined,
  );
  const nodeId = useEditor((s) =>
    s.selection.nodes.size === 1 ? [...s.selection.nodes][0] : undefined,
  );
  if (nodeId) return <NodePanel key={nodeId} nodeId={nodeId} />;
  if (edgeId) return <EdgePanel key={edgeId} edgeId={edgeId} />;
  return <JobPanel />;
}

function useTitle(nodeId: string | undefined): string {
  return useEditor((s) => {
    const node = s.document.nodes.find((n) => n.id === nodeId);
    if (!node) return nodeId ?? '';
    return node.label || s.catalog.byKind.get(node.kind)?.label || node.kind;
  });
}

function EdgePanel({ edgeId }: { edgeId: string }) {
  const edge = useEditor((s) => s.document.edges.find((e) => e.id === edgeId));
  const from = useTitle(edge?.source);
  const to = useTitle(edge?.target);
  const running = useEditor((s) => s.live.job?.status === 'running');
  const onFlink = useEditor((s) => s.live.job?.flink !== undefined);
  const [back, setBack] = useState(false);
  if (!edge) return null;
  const label = `Records from ${from} to ${to}`;
  const recorded = back && running && !onFlink;
  return (
    <div className="inspector-body live-panel">
      <h2>
        {from} → {to}
      </h2>
      <EdgeFacts edgeId={edge.id} />
      {running && !onFlink && (
        <fieldset className="segmented" aria-label="Which records">
          <button
            type="button"
            className="button"
            aria-pressed={!recorded}
            onClick={() => setBack(false)}
          >
            Live sample
          </button>
          <button
            type="button"
            className="button"
            aria-pressed={recorded}
            onClick={() => setBack(true)}
          >
            Go back in time
          </button>
        </fieldset>
      )}
      {recorded ? (
        <EdgeHistory edge={edge} label={label} />
      ) : (
        <EdgeRecords edge={edge} label={label} />
      )}
    </div>
  );
}

function EdgeFacts({ edgeId }: { edgeId: string }) {
  const live = useEditor((s) => s.live.edges.get(edgeId));
  const running = useEditor((s) => s.live.job?.status === 'running');
  if (!live) return <p className="muted small">No records yet.</p>;
  // Once the job has stopped, its last rate is not a rate any more: what passed in all is.
  if (!running) {
    return <p className="muted small">{formatCount(live.records)} records in all</p>;
  }
  return (
    <p className="muted small">
      {formatRate(live.perSecond)} · {formatCount(live.records)} records so far
      {live.pressure !== 'ok' && (
        <span className={`tone-${live.pressure === 'red' ? 'error' : 'warning'}`}>
          {' '}
          · the next step is held back
        </span>
      )}
    </p>
  );
}

function NodePanel({ nodeId }: { nodeId: string }) {
  const title = useTitle(nodeId);
  const output: PipelineEdge | undefined = useEditor((s) =>
    s.document.edges.find((e) => e.source === nodeId),
  );
  const failure = useEditor((s) =>
    s.live.job?.failure?.nodeId === nodeId ? s.live.job.failure.message : undefined,
  );
  const to = useTitle(output?.target);
  const onFlink = useEditor((s) => s.live.job?.flink !== undefined);
  const writesOutside = useWritesOutside(nodeId);
  return (
    <div className="inspector-body live-panel">
      <h2>{title}</h2>
      {failure && (
        <p className="tone-error" role="alert">
          The job failed here: {failure}
        </p>
      )}
      <FlinkVertex nodeId={nodeId} />
      {!onFlink && <EventTime nodeId={nodeId} />}
      <HotKeys nodeId={nodeId} />
      <NodeErrors nodeId={nodeId} />
      {output ? (
        <section aria-label="Output records">
          <h3>Sent on to {to}</h3>
          <EdgeFacts edgeId={output.id} />
          <EdgeRecords edge={output} label={`Records from ${title} to ${to}`} />
        </section>
      ) : writesOutside ? (
        <SinkWrites nodeId={nodeId} />
      ) : (
        <p className="muted small">This step sends nothing on; its results are below the canvas.</p>
      )}
    </div>
  );
}

/** A keyed step's hottest keys, from the engine's sample, with their share of its records. */
function HotKeys({ nodeId }: { nodeId: string }) {
  const keys = useEditor((s) => s.live.nodes.get(nodeId)?.metrics.hotKeys);
  const running = useEditor((s) => s.live.job?.status === 'running');
  // Recent shares: once the job has ended there is no "recent" to speak of.
  if (!running || !keys || keys.length === 0) return null;
  return (
    <section aria-label="Hottest keys" data-testid="hot-keys">
      <h3>Hottest keys</h3>
      <ol className="hot-keys">
        {keys.map((k) => (
          <li key={k.key} style={{ '--share': `${Math.round(k.share * 100)}%` } as CSSProperties}>
            <span className="hot-key" title={k.key}>
              {k.key}
            </span>
            <span className="hot-share">{percent(k.share)}</span>
          </li>
        ))}
      </ol>
      <p className="muted small">
        Their share of this step's records over the last 30 to 60 s, from a sample of about one
        record in 16.
      </p>
    </section>
  );
}

/** On Flink: the vertex the step runs in, how busy and held back it is, and the steps chained with it. */
function FlinkVertex({ nodeId }: { nodeId: string }) {
  const m = useEditor((s) => s.live.nodes.get(nodeId)?.metrics);
  const chainedWith = useChainedWith(nodeId);
  if (m?.vertex === undefined) return null;
  return (
    <section aria-label="On Flink" data-testid="flink-vertex">
      <h3>On Flink</h3>
      <p className="small">
        {chainedWith.length === 0
          ? 'This step has a Flink vertex of its own'
          : `Flink chains this step with ${listOf(chainedWith)} into one task: they share its figures where Flink counts none of the step's own`}
        . Busy {percent(m.busy)} of the time, held back by the next vertex{' '}
        {percent(m.extra.backpressured ?? 0)}.
      </p>
      <p className="muted small flink-vertex-name" title={m.vertex}>
        {m.vertex}
      </p>
    </section>
  );
}

function JobPanel() {
  const job = useEditor((s) => s.live.job);
  const clock = useEditor((s) => s.live.clock);
  const dropped = useEditor((s) => s.live.dropped);
  const problem = useEditor((s) => s.live.problem);
  const failedAt = useTitle(job?.failure?.nodeId);
  const target = useEditor((s) => s.document.settings?.target);
  if (!job) return null;
  return (
    <div className="inspector-body live-panel">
      <h2>Job</h2>
      {target?.startsWith('flink:') && (
        <p className="small" data-testid="runs-on-flink">
          Runs on the Flink cluster '{target.slice('flink:'.length)}': the figures are Flink's, per
          vertex where steps are chained together; stopping it takes a savepoint there.
        </p>
      )}
      {job.failure && (
        <p className="tone-error" role="alert">
          Failed{job.failure.nodeId ? ` at ${failedAt}` : ''}: {job.failure.message}
        </p>
      )}
      {job.ending && <p className={job.status === 'gone' ? 'tone-error' : ''}>{job.ending}</p>}
      {clock ? (
        <dl className="facts">
          <dt>Up</dt>
          <dd>{formatDuration(clock.uptimeMs)}</dd>
          <dt>Read</dt>
          <dd>{formatCount(clock.recordsIn)} records</dd>
          <dt>Written</dt>
          <dd>{formatCount(clock.recordsOut)} records</dd>
          <dt>Bad</dt>
          <dd className={clock.errors > 0 ? 'tone-error' : ''}>{formatCount(clock.errors)}</dd>
          <dt>Late</dt>
          <dd>{formatCount(clock.late)}</dd>
        </dl>
      ) : (
        <p className="muted small">Waiting for the first metrics…</p>
      )}
      <InstanceFacts />
      <CheckpointFacts />
      {dropped > 0 && (
        <p className="muted small">
          {dropped} updates were skipped because this browser fell behind.
        </p>
      )}
      {problem && <p className="tone-warning small">{problem}</p>}
      <p className="muted small">
        Choose a connection to see the records flowing on it and go back in time, or a step to see
        its event time, hottest keys and bad records.
      </p>
    </div>
  );
}
