// Session windows: per key, sessions that neither overlap nor touch, in time
// order. A record at t opens [t, t + gap) and merges with every session it
// overlaps or touches, so a record between two sessions bridges them into one.
import type { Row } from '../../batch.js';
import type { StateStore } from '../../runtime/state.js';
import type { Accumulator, Aggregates } from './accumulators.js';
import type { SessionAssigner } from './assigners.js';
import type { GroupKey } from './keys.js';
import type { WindowOutput } from './output.js';
import type { WindowStore } from './store.js';
import type { WindowTrigger } from './trigger.js';

interface Session {
  start: number;
  end: number;
  /** Arrival of the session's first record: sessions ending together are emitted in this order. */
  seq: number;
  readonly accumulators: Accumulator[];
}

interface KeySessions {
  readonly values: readonly unknown[];
  /** By start; never overlapping or touching. */
  readonly sessions: Session[];
}

interface DueSession {
  readonly values: readonly unknown[];
  readonly session: Session;
}

export class SessionStore implements WindowStore {
  /** Key → its sessions. */
  readonly #keys: Map<unknown, KeySessions>;
  #open = 0;
  // Lower bounds that let a watermark skip the scan of every key when nothing is due.
  /** No session ends before this. */
  #earliestEnd = Number.POSITIVE_INFINITY;
  /** No session that has not fired yet ends before this. */
  #earliestUnfiredEnd = Number.POSITIVE_INFINITY;

  constructor(
    readonly assigner: SessionAssigner,
    readonly trigger: WindowTrigger,
    readonly aggregates: Aggregates,
    readonly key: GroupKey,
    state: StateStore,
  ) {
    this.#keys = state.map<unknown, KeySessions>('sessions');
  }

  isLate(t: number): boolean {
    return this.trigger.expired(t + this.assigner.gap);
  }

  add(row: Row, t: number, order: number, arrival: number, out: WindowOutput): number {
    const key = this.key.of(row);
    let group = this.#keys.get(key);
    if (group === undefined) {
      group = { values: this.key.values(row), sessions: [] };
      this.#keys.set(key, group);
    }
    const session = this.#sessionFor(group.sessions, t, arrival);
    this.aggregates.add(session.accumulators, order, arrival);
    const { end } = session;
    if (end < this.#earliestEnd) this.#earliestEnd = end;
    if (this.trigger.fired(end)) out.push(group.values, session.start, end, session.accumulators);
    else if (end < this.#earliestUnfiredEnd) this.#earliestUnfiredEnd = end;
    return end - 1;
  }

  /** The session a record at `t` belongs to: new, extended, or merged from those it meets. */
  #sessionFor(sessions: Session[], t: number, arrival: number): Session {
    const { assigner } = this;
    let first = -1;
    let last = -1;
    let at = sessions.length;
    for (let i = 0; i < sessions.length; i++) {
      const s = sessions[i]!;
      if (assigner.merges(s.start, s.end, t)) {
        if (first < 0) first = i;
        last = i;
      } else if (s.start > t) {
        at = i;
        break;
      }
    }
    if (first < 0) {
      const session = {
        start: t,
        end: t + assigner.gap,
        seq: arrival,
        accumulators: this.aggregates.create(),
      };
      sessions.splice(at, 0, session);
      this.#open++;
      return session;
    }
    const session = sessions[first]!;
    for (let i = first + 1; i <= last; i++) {
      const other = sessions[i]!;
      this.aggregates.merge(session.accumulators, other.accumulators);
      if (other.seq < session.seq) session.seq = other.seq;
      if (other.end > session.end) session.end = other.end;
    }
    if (last > first) {
      sessions.splice(first + 1, last - first);
      this.#open -= last - first;
    }
    if (t < session.start) session.start = t;
    if (t + assigner.gap > session.end) session.end = t + assigner.gap;
    return session;
  }

  fire(upTo: number, out: WindowOutput): void {
    if (this.#earliestUnfiredEnd - 1 > upTo) return;
    const due: DueSession[] = [];
    let earliestUnfired = Number.POSITIVE_INFINITY;
    for (const group of this.#keys.values()) {
      for (const session of group.sessions) {
        if (this.trigger.firesBy(session.end, upTo)) due.push({ values: group.values, session });
        else if (session.end - 1 > upTo && session.end < earliestUnfired)
          earliestUnfired = session.end;
      }
    }
    this.#earliestUnfiredEnd = earliestUnfired;
    due.sort((a, b) => a.session.end - b.session.end || a.session.seq - b.session.seq);
    for (const { values, session } of due)
      out.push(values, session.start, session.end, session.accumulators);
  }

  cleanUp(): void {
    if (!this.trigger.expired(this.#earliestEnd)) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [key, group] of this.#keys) {
      const sessions = group.sessions;
      let kept = 0;
      for (const session of sessions) {
        if (this.trigger.expired(session.end)) continue;
        sessions[kept++] = session;
        if (session.end < earliest) earliest = session.end;
      }
      this.#open -= sessions.length - kept;
      sessions.length = kept;
      if (kept === 0) this.#keys.delete(key);
    }
    this.#earliestEnd = earliest;
  }

  nextFiring(): number {
    return this.#earliestUnfiredEnd - 1;
  }

  heldSince(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const group of this.#keys.values()) {
      for (const session of group.sessions) if (session.start < earliest) earliest = session.start;
    }
    return earliest;
  }

  openWindows(): number {
    return this.#open;
  }
}
