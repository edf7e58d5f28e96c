// Why a step's event time stands where it does, in words: when its first open
// window fires at the watermark's current pace, or which source (and Kafka
// partition) it waits for and why that one does not move. And, for the canvas,
// whether the source the whole job waits for deserves a mark.
import type { EventTimeView, HeldBy, PendingWindow } from '@sluice/shared';
import { formatClock, formatDuration } from './format.js';

/** A partition silent this long, or a job this old with no event time, is worth a mark on the canvas. */
export const HOLD_MARK_MS = 5_000;

/**
 * How long, in processing time, until the watermark reaches `firesAt` at the
 * pace it moved over the last interval; null when it is not moving.
 */
export function firesInMs(window: PendingWindow, view: EventTimeView): number | null {
  if (view.watermark === null || view.speed === null || view.speed <= 0) return null;
  return Math.max(0, ((window.firesAt - view.watermark) / view.speed) * 1000);
}

/** A window as its start and end on the clock: `12:00:00–12:00:10`. */
export function windowSpan(window: PendingWindow, now = Date.now()): string {
  return `${formatClock(window.start, now)}–${formatClock(window.end, window.start)}`;
}

/** The sentence the panel opens with: what the step waits for, and until when. */
export function eventTimeSummary(
  view: EventTimeView,
  titleOf: (nodeId: string) => string,
  now = Date.now(),
): string {
  const held = heldSentence(view, titleOf);
  const pending = view.pending;
  if (pending && pending.total > 0) {
    const what = openWhat(pending.kind, pending.total);
    if (pending.time === 'processing') {
      return `${what}; they close on the clock, not on the watermark.`;
    }
    const first = pending.earliest[0];
    if (!first) return `${what}.`;
    if (pending.kind === 'rows') return keptSentence(view, first, what, held, now);
    const opening = `${what}; the first, ${windowSpan(first, now)}, fires when the watermark reaches ${formatClock(first.firesAt + 1, now)}`;
    if (view.watermark === null) return `${opening}. No watermark has arrived yet.${held}`;
    const wait = firesInMs(first, view);
    if (wait !== null) {
      return `${opening}: in about ${formatDuration(wait)} at the current pace.${held}`;
    }
    return `${opening}, but the watermark has not moved over the last interval.${held}`;
  }
  if (pending) return `Nothing is open here: no ${pendingNoun(pending.kind)} waits to fire.`;
  if (view.watermark === null) return `No watermark has arrived yet.${held}`;
  return `The watermark is at ${formatClock(view.watermark, now)}.${held}`;
}

/** A join's kept rows: when the oldest is dropped, at the watermark's pace. */
function keptSentence(
  view: EventTimeView,
  first: PendingWindow,
  what: string,
  held: string,
  now: number,
): string {
  const opening = `${what}; the oldest on the ${first.key ?? ''} side, from ${formatClock(first.start, now)}, is dropped when the watermark reaches ${formatClock(first.firesAt, now)}`;
  if (view.watermark === null) return `${opening}. No watermark has arrived yet.${held}`;
  const wait = firesInMs(first, view);
  if (wait !== null)
    return `${opening}: in about ${formatDuration(wait)} at the current pace.${held}`;
  return `${opening}, but the watermark has not moved over the last interval.${held}`;
}

function openWhat(kind: 'window' | 'session' | 'rows', total: number): string {
  if (kind === 'rows')
    return total === 1 ? '1 row is kept to join' : `${total} rows are kept to join`;
  const noun = pendingNoun(kind);
  return total === 1 ? `1 ${noun} is open` : `${total} ${noun}s are open`;
}

function pendingNoun(kind: 'window' | 'session' | 'rows'): string {
  return kind === 'rows' ? 'kept row' : kind;
}

/** " It waits for …": the source (and partition) upstream the step's event time comes from. */
function heldSentence(view: EventTimeView, titleOf: (nodeId: string) => string): string {
  const held = view.heldBy;
  if (!held) return '';
  const here = held.nodeId === view.nodeId;
  // A source without partitions is where event time starts: it waits for nothing.
  if (here && held.partition === undefined) return '';
  // A healthy chain is said plainly; "waits for" is kept for what holds it up.
  if (
    held.partition === undefined &&
    held.watermark !== null &&
    view.speed !== null &&
    view.speed > 0
  ) {
    return ` Its event time follows ${titleOf(held.nodeId)}'s (${formatClock(held.watermark)}).`;
  }
  return ` ${here ? 'Its event time' : 'It'} waits for ${holderText(held, titleOf, here)}.`;
}

/** `partition 2 of 'orders' (read by Orders), silent for 1 min 5 s; …` */
export function holderText(
  held: HeldBy,
  titleOf: (nodeId: string) => string,
  here = false,
): string {
  const by = here ? '' : ` (read by ${titleOf(held.nodeId)})`;
  if (held.partition === undefined) {
    const at =
      held.watermark === null
        ? 'which has no event time yet'
        : `whose watermark is at ${formatClock(held.watermark)}`;
    return `${here ? 'this source' : titleOf(held.nodeId)}, ${at}`;
  }
  const which = `partition ${held.partition} of '${held.topic}'${by}`;
  const silent = held.idleForMs ?? 0;
  if (silent < HOLD_MARK_MS) return `${which}, the one furthest behind in event time`;
  if (!held.behind) {
    return `${which}, silent for ${formatDuration(silent)}; no other partition is further on: the topic has nothing newer yet`;
  }
  const timeout =
    held.idleTimeoutMs === undefined
      ? ': with no idle timeout, a silent partition holds event time back until it has records'
      : `: it stops holding event time back once silent for ${formatDuration(held.idleTimeoutMs)} (the source's idle timeout)`;
  return `${which}, silent for ${formatDuration(silent)}${timeout}`;
}

/**
 * The mark the canvas puts on the source the job's event time waits for:
 * only where it tells something — a partition silent for a while while
 * others are further on, a job with
 * no event time yet after a while, or a job with several sources, where
 * naming the one behind is the point. Undefined otherwise.
 */
export function holdMark(
  held: HeldBy | null,
  sourcesWithEventTime: number,
  uptimeMs: number,
): string | undefined {
  if (!held) return undefined;
  if (held.partition !== undefined) {
    // Silent and behind the others: they wait for it. Silent like the others: the input ran dry.
    return held.behind && (held.idleForMs ?? 0) >= HOLD_MARK_MS
      ? `waits for partition ${held.partition}`
      : undefined;
  }
  if (held.watermark === null && uptimeMs >= HOLD_MARK_MS) return 'no event time yet';
  if (sourcesWithEventTime >= 2) return 'furthest behind';
  return undefined;
}
