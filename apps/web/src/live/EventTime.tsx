// A running step's place in event time, asked of the job every second while
// the step is chosen: why its windows have not fired (the input, source and
// Kafka partition it waits for, and for how long that has been silent), when
// the first will fire at the current pace, and its latest late records.
import type { EventTimeView } from '@sluice/shared';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../api/client.js';
import { useEditor } from '../store/context.js';
import { eventTimeSummary, firesInMs, windowSpan } from './event-time.js';
import { formatClock, formatCount, formatDuration } from './format.js';

/** How often the view is asked for while shown. */
export const EVENT_TIME_POLL_MS = 1_000;
/** Open windows listed; the view holds up to 20. */
const WINDOWS_SHOWN = 8;
/** Late records listed; the view holds the latest 20. */
const LATE_SHOWN = 8;

function useEventTime(nodeId: string): { view: EventTimeView | null; problem: string | null } {
  const jobId = useEditor((s) => (s.live.job?.status === 'running' ? s.live.job.id : undefined));
  const [view, setView] = useState<EventTimeView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!jobId) return;
    let cancelled = false;
    let inFlight = false;
    const poll = async () => {
      if (inFlight) return;
      inFlight = true;
      try {
        const next = await api.eventTime(jobId, nodeId);
        if (cancelled) return;
        setView(next);
        setProblem(null);
      } catch (cause) {
        if (cancelled) return;
        // Ended or gone: the live view says so; the last view stays as it was.
        if (cause instanceof ApiError && (cause.status === 409 || cause.status === 404)) return;
        setProblem(cause instanceof Error ? cause.message : String(cause));
      } finally {
        inFlight = false;
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), EVENT_TIME_POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [jobId, nodeId]);
  return { view, problem };
}

/** Whether a view has anything to say: a step with no event time about it shows nothing. */
function hasEventTime(view: EventTimeView): boolean {
  return (
    view.watermark !== null ||
    view.pending !== undefined ||
    view.partitions !== undefined ||
    view.late.total > 0 ||
    view.heldBy !== undefined
  );
}

export function EventTime({ nodeId }: { nodeId: string }) {
  const { view, problem } = useEventTime(nodeId);
  const titles = useEditor((s) => s.document.nodes);
  const catalog = useEditor((s) => s.catalog);
  const titleOf = (id: string) => {
    const node = titles.find((n) => n.id === id);
    return node?.label || catalog.byKind.get(node?.kind ?? '')?.label || id;
  };
  if (problem && !view) return <p className="tone-error small">{problem}</p>;
  if (!view || !hasEventTime(view)) return null;
  const now = view.at;
  return (
    <section aria-label="Event time" data-testid="event-time" className="event-time">
      <h3>Event time</h3>
      <p className="small" data-testid="event-time-summary">
        {eventTimeSummary(view, titleOf, now)}
      </p>
      <dl className="facts">
        <dt>Watermark</dt>
        <dd>{view.watermark === null ? 'none yet' : formatClock(view.watermark, now)}</dd>
        <dt>Pace</dt>
        <dd>{pace(view.speed)}</dd>
        {view.idleTimeoutMs !== undefined && (
          <>
            <dt>Idle after</dt>
            <dd>{formatDuration(view.idleTimeoutMs)} without records</dd>
          </>
        )}
      </dl>
      {view.inputs.length > 1 && <Inputs view={view} titleOf={titleOf} />}
      {view.partitions && view.partitions.length > 0 && <Partitions view={view} />}
      {view.pending && view.pending.total > 0 && <Windows view={view} />}
      <Late view={view} />
    </section>
  );
}

function pace(speed: number | null): string {
  if (speed === null) return '–';
  if (speed <= 0) return 'not moving';
  const times = speed / 1000;
  return `${times >= 10 ? formatCount(times) : times.toFixed(times >= 1 ? 1 : 2)}× the clock`;
}

function Inputs({ view, titleOf }: { view: EventTimeView; titleOf: (id: string) => string }) {
  return (
    <div className="table-scroll">
      <table aria-label="Inputs">
        <thead>
          <tr>
            <th>Input from</th>
            <th>Watermark</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {view.inputs.map((input) => (
            <tr key={input.edgeId} className={input.holding ? 'holding' : undefined}>
              <td>{titleOf(input.from)}</td>
              <td>{input.watermark === null ? '–' : formatClock(input.watermark, view.at)}</td>
              <td>
                {input.ended ? 'ended' : input.idle ? 'idle' : input.holding ? 'holds it back' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Partitions({ view }: { view: EventTimeView }) {
  const partitions = view.partitions ?? [];
  const topics = new Set(partitions.map((p) => p.topic));
  // One topic: named once, in the header, so the rows stay narrow.
  const only = topics.size === 1 ? [...topics][0] : undefined;
  return (
    <div className="table-scroll">
      <table aria-label="Partitions" data-testid="event-time-partitions">
        <thead>
          <tr>
            <th>{only === undefined ? 'Partition' : `Partition of ${only}`}</th>
            <th>Watermark</th>
            <th>Silent for</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {partitions.map((p) => (
            <tr key={`${p.topic}/${p.partition}`} className={p.holding ? 'holding' : undefined}>
              <td>{only === undefined ? `${p.topic}/${p.partition}` : p.partition}</td>
              <td>{p.watermark === null ? '–' : formatClock(p.watermark, view.at)}</td>
              <td>{p.idleForMs === null ? '–' : formatDuration(p.idleForMs)}</td>
              <td>
                {!p.owned ? 'not read here' : p.holding ? 'holds it back' : p.idle ? 'idle' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Windows({ view }: { view: EventTimeView }) {
  const pending = view.pending;
  if (!pending) return null;
  const shown = pending.earliest.slice(0, WINDOWS_SHOWN);
  const noun =
    pending.kind === 'rows' ? 'Kept rows' : pending.kind === 'session' ? 'Session' : 'Window';
  return (
    <div className="table-scroll">
      <table aria-label="Open windows" data-testid="event-time-windows">
        <thead>
          <tr>
            <th>{noun}</th>
            <th>
              {pending.kind === 'session' ? 'Key' : pending.kind === 'rows' ? 'Side' : 'Keys'}
            </th>
            <th>{pending.kind === 'rows' ? 'Oldest dropped in' : 'Fires in'}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((w) => {
            const wait = pending.time === 'event' ? firesInMs(w, view) : null;
            return (
              <tr key={`${w.start}/${w.end}/${w.key ?? ''}`}>
                <td>{windowSpan(w, view.at)}</td>
                <td>{w.key ?? (w.keys === undefined ? '' : formatCount(w.keys))}</td>
                <td>
                  {pending.time === 'processing'
                    ? `at ${formatClock(w.end, view.at)}`
                    : wait === null
                      ? 'when the watermark moves'
                      : `≈ ${formatDuration(wait)}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {pending.total > shown.length && (
        <p className="muted small">and {formatCount(pending.total - shown.length)} more</p>
      )}
    </div>
  );
}

function Late({ view }: { view: EventTimeView }) {
  if (view.late.total === 0) {
    return <p className="muted small">No late records.</p>;
  }
  const recent = view.late.recent.slice(-LATE_SHOWN).reverse();
  return (
    <div data-testid="event-time-late">
      <p className="small">
        {formatCount(view.late.total)} late record{view.late.total === 1 ? '' : 's'} in all: their
        window had already fired, so they left by the late port (if connected) instead. The latest:
      </p>
      <div className="table-scroll">
        <table aria-label="Late records">
          <thead>
            <tr>
              <th>Event time</th>
              <th>Late by</th>
              <th>Arrived</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((late, i) => (
              // The latest records, newest first: their place in the list is who they are.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <tr key={i}>
                <td>{formatClock(late.time, view.at)}</td>
                <td>{formatDuration(late.byMs)}</td>
                <td>{formatClock(late.at, view.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
