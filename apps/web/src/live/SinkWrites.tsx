// What a sink that writes outside Sluice (Kafka, PostgreSQL) has written, from
// its kind-specific figures, in the live inspector.
import { Fragment } from 'react';
import { useEditor } from '../store/context.js';
import { formatCount } from './format.js';

/** The figures shown, in this order, with what they are called. */
const FIGURES: readonly (readonly [string, string])[] = [
  ['rowsWritten', 'Rows written'],
  ['messagesSent', 'Messages sent'],
  ['transactionsCommitted', 'Transactions committed'],
  ['awaitingCheckpoint', 'At the next checkpoint'],
  ['unwritten', 'Not yet written'],
  ['unacknowledged', 'Not yet acknowledged'],
];

/** Whether the step reports what it wrote outside (a sink of Kafka or PostgreSQL). */
export function useWritesOutside(nodeId: string): boolean {
  return useEditor((s) => {
    const extra = s.live.nodes.get(nodeId)?.metrics.extra;
    return extra !== undefined && FIGURES.some(([key]) => extra[key] !== undefined);
  });
}

export function SinkWrites({ nodeId }: { nodeId: string }) {
  const extra = useEditor((s) => s.live.nodes.get(nodeId)?.metrics.extra);
  const shown = FIGURES.filter(([key]) => extra?.[key] !== undefined);
  if (!extra || shown.length === 0) return null;
  return (
    <section aria-label="Written">
      <h3>Written outside Sluice</h3>
      <dl className="facts">
        {shown.map(([key, label]) => (
          <Fragment key={key}>
            <dt>{label}</dt>
            <dd>{formatCount(extra[key]!)}</dd>
          </Fragment>
        ))}
      </dl>
      {(extra.awaitingCheckpoint ?? 0) > 0 && (
        <p className="muted small">
          Exactly once: what came since the last checkpoint is written when the next one is durable.
        </p>
      )}
    </section>
  );
}
