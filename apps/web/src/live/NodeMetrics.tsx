// What a step shows while its job runs, in two lines of a node whose size does
// not change in live mode (so rows laid out while editing never overlap): its
// rates with a sparkline, then its bad and late records before what its kind
// is about (a source's watermark lag, a window's open windows and state); the
// line gives way at its end, whole in its tooltip. A condition or the failure
// hangs below the node rather than make it taller. Subscribes to its own
// node's slice only.
import type { OperatorMetrics } from '@sluice/shared';
import { memo } from 'react';
import { useEditor } from '../store/context.js';
import { formatBytes, formatCount, formatDuration, percent } from './format.js';
import { type Figure, flowFigures, sourcePosition } from './node-figures.js';
import { Sparkline } from './Sparkline.js';

interface Fact {
  readonly text: string;
  readonly title: string;
  readonly tone?: 'error' | 'warning';
}

/**
 * A node's facts, most wanted first: bad and late records are never the ones
 * cut short. `position` is where a source stands (its lag, or the event time
 * it reached: see sourcePosition); its watermark lag when not given.
 */
export function nodeFacts(
  m: OperatorMetrics,
  category: string,
  position?: Figure,
  chainedWith: readonly string[] = [],
): Fact[] {
  const facts: Fact[] = [
    {
      text: `${formatCount(m.errors)} error${m.errors === 1 ? '' : 's'}`,
      title: 'Bad records, set aside with the reason',
      ...(m.errors > 0 && { tone: 'error' as const }),
    },
    {
      text: `${formatCount(m.late)} late`,
      title: 'Records that arrived after their window had closed',
      ...(m.late > 0 && { tone: 'warning' as const }),
    },
  ];
  const written = m.extra.rowsWritten;
  if (category === 'sink' && written !== undefined) {
    // A sink into a database: what is in its table; an exactly-once one holds what came since
    // the last checkpoint until the next is durable.
    const awaiting = m.extra.awaitingCheckpoint ?? 0;
    facts.push({
      text: `${formatCount(written)} written`,
      title: `${formatCount(m.recordsIn)} received${awaiting > 0 ? `; ${formatCount(awaiting)} to be written at the next checkpoint (exactly once)` : ''}`,
    });
  } else if (category === 'sink') {
    facts.push({
      text: `${formatCount(m.recordsIn)} received`,
      title: 'Records received since the job started',
    });
  }
  if (category === 'source' && position) facts.push(position);
  else if (category === 'source') {
    facts.push({
      text: m.idle
        ? 'idle'
        : `lag ${m.watermarkLagMs === null ? '–' : formatDuration(m.watermarkLagMs)}`,
      title: 'How far event time is behind the clock',
    });
  }
  const openWindows = m.extra.openWindows;
  if (openWindows !== undefined) {
    facts.push({
      text: `${formatCount(openWindows)} open window${openWindows === 1 ? '' : 's'}`,
      title: 'Windows collecting records now',
    });
  }
  // On Flink: the vertex it runs in, which the nodes chained with it share.
  if (m.vertex !== undefined) {
    facts.push(flinkFact(m, chainedWith));
    return facts;
  }
  if (category === 'window' || category === 'join' || m.stateBytes > 0) {
    facts.push({
      text: `state ${formatBytes(m.stateBytes)}`,
      title: `${m.stateKeys} ${m.stateKeys === 1 ? 'key' : 'keys'} in state`,
    });
  }
  return facts;
}

/** Where a step runs on Flink, and the steps Flink chained into the same task with it. */
function flinkFact(m: OperatorMetrics, chainedWith: readonly string[]): Fact {
  const load = `busy ${percent(m.busy)}, backpressured ${percent(m.extra.backpressured ?? 0)}`;
  if (chainedWith.length === 0) {
    return {
      text: `on Flink: ${m.vertex?.split(' -> ')[0]}${m.vertex?.includes(' -> ') ? ' …' : ''}`,
      title: `Runs in the Flink vertex “${m.vertex}” (${load})`,
    };
  }
  return {
    text: `on Flink, chained with ${chainedWith.length}`,
    title: `Runs in one Flink vertex with ${listOf(chainedWith)} (${load}): Flink chains them into one task, so they share its busy time and backpressure, and show its records where Flink counts none of the step's own. The vertex: “${m.vertex}”`,
  };
}

/** `A`, `A and B`, `A, B and C`. */
export function listOf(names: readonly string[]): string {
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The titles of the other steps that run in the same Flink vertex as this one, joined by NUL (a stable selector value). */
export function useChainedWith(nodeId: string): readonly string[] {
  const joined = useEditor((s) => {
    const vertex = s.live.nodes.get(nodeId)?.metrics.vertex;
    if (vertex === undefined) return '';
    return s.document.nodes
      .filter((n) => n.id !== nodeId && s.live.nodes.get(n.id)?.metrics.vertex === vertex)
      .map((n) => n.label || s.catalog.byKind.get(n.kind)?.label || n.kind)
      .join('\u0000');
  });
  return joined === '' ? [] : joined.split('\u0000');
}

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
  const m = live?.metrics;
  const position = m && category === 'source' ? sourcePosition(m, running, startedAt) : undefined;
  const chainedWith = useChainedWith(nodeId);
  const facts = m ? nodeFacts(m, category, position, chainedWith) : [];
  // Rates while it runs; once it has ended, its totals.
  const flow = live && flowFigures(live, category, running);
  return (
    <div className="op-live" data-testid={`live-${nodeId}`}>
      {m ? (
        <>
          <div className="op-live-rates">
            {flow?.in && <span title={flow.in.title}>{flow.in.text}</span>}
            {flow?.out && <span title={flow.out.title}>{flow.out.text}</span>}
            {running && <Sparkline values={live.history} />}
          </div>
          <div
            className="op-live-facts"
            title={facts.map((f) => `${f.text}: ${f.title.toLowerCase()}`).join('\n')}
          >
            {facts.map((f) => (
              <span key={f.title} className={f.tone ? `fact fact-${f.tone}` : 'fact'}>
                {f.text}
              </span>
            ))}
          </div>
        </>
      ) : (
        !failure && <div className="muted">Waiting for metrics…</div>
      )}
      {m?.condition && !failure && (
        <p className="op-callout op-condition" role="status" data-testid={`condition-${nodeId}`}>
          {m.condition}
        </p>
      )}
      {failure && (
        <p className="op-callout op-failure" role="alert">
          {failure}
        </p>
      )}
    </div>
  );
});
