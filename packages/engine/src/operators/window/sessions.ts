// Session windows: per key, sessions that neither overlap nor touch, in time
// order. A record at t opens [t, t + gap) and merges with every session it
// overlaps or touches, so a record between two sessions bridges them into one.
//
// Two queues of (session end, key) find the keys with a session to fire or to
// drop, so a watermark touches those keys only, not every key. Each key has
// one live entry per queue (its `firingAt`, `expiringAt`); an entry that no
// longer matches is stale and skipped. A session that is extended does not
// move its key's entry: when the entry comes up, the key is put back at its
// session's new end. The queues are an index over the sessions map, so a
// restore from that map can rebuild them.
import type { PendingWindow } from '@sluice/shared';
import type { Row } from '../../batch.js';
import type { StateStore } from '../../runtime/state.js';
import { ExpiryQueue } from '../join/expiry-queue.js';
import type { Accumulator, Aggregates } from './accumulators.js';
import type { SessionAssigner } from './assigners.js';
import type { GroupKey } from './keys.js';
import type { WindowOutput } from './output.js';
import { earliestEnds, type WindowStore } from './store.js';
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
  /** By start, hence by end too; never overlapping or touching. */
  readonly sessions: Session[];
  /** The key's live entry in the firing queue: no unfired session ends before it; +Infinity when none. */
  firingAt: number;
  /** The key's live entry in the expiry queue: no session ends before it. */
  expiringAt: number;
}

interface DueSession {
  readonly values: readonly unknown[];
  readonly session: Session;
}

export class SessionStore implements WindowStore {
  /** Key → its sessions. */
  readonly #keys: Map<unknown, KeySessions>;
  /** Keys by the end of their earliest session still to fire (or earlier: see `firingAt`). */
  readonly #firing = new ExpiryQueue<unknown>();
  /** Keys by the end of their earliest session (or earlier: see `expiringAt`). */
  readonly #expiring = new ExpiryQueue<unknown>();
  #open = 0;

  constructor(
    readonly assigner: SessionAssigner,
    readonly trigger: WindowTrigger,
    readonly aggregates: Aggregates,
    readonly key: GroupKey,
    state: StateStore,
  ) {
    this.#keys = state.map<unknown, KeySessions>('sessions', {
      encode: (group) => [
        group.values,
        group.sessions.map((s) => [s.start, s.end, s.seq, aggregates.save(s.accumulators)]),
        group.firingAt,
        group.expiringAt,
      ],
      decode(plain) {
        const [values, sessions, firingAt, expiringAt] = plain as [
          unknown[],
          [number, number, number, unknown[]][],
          number,
          number,
        ];
        return {
          values,
          sessions: sessions.map(([start, end, seq, saved]) => ({
            start,
            end,
            seq,
            accumulators: aggregates.load(saved),
          })),
          firingAt,
          expiringAt,
        };
      },
    });
    // The queues and the count of open sessions are an index over the sessions map.
    state.afterRestore(() => {
      this.#firing.clear();
      this.#expiring.clear();
      this.#open = 0;
      for (const [key, group] of this.#keys) {
        this.#open += group.sessions.length;
        if (group.firingAt !== Number.POSITIVE_INFINITY) this.#firing.push(group.firingAt, key);
        if (group.expiringAt !== Number.POSITIVE_INFINITY)
          this.#expiring.push(group.expiringAt, key);
      }
    });
  }

  isLate(t: number): boolean {
    return this.trigger.expired(t + this.assigner.gap);
  }

  add(row: Row, t: number, order: number, arrival: number, out: WindowOutput): number {
    const key = this.key.of(row);
    let group = this.#keys.get(key);
    if (group === undefined) {
      group = {
        values: this.key.values(row),
        sessions: [],
        firingAt: Number.POSITIVE_INFINITY,
        expiringAt: Number.POSITIVE_INFINITY,
      };
      this.#keys.set(key, group);
    }
    const session = this.#sessionFor(group.sessions, t, arrival);
    this.aggregates.add(session.accumulators, order, arrival);
    const { end } = session;
    // Ends only grow, but a new session may end before the key's entries.
    if (end < group.expiringAt) {
      group.expiringAt = end;
      this.#expiring.push(end, key);
    }
    if (this.trigger.fired(end)) out.push(group.values, session.start, end, session.accumulators);
    else if (end < group.firingAt) {
      group.firingAt = end;
      this.#firing.push(end, key);
    }
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
    const due: DueSession[] = [];
    if (upTo === Number.POSITIVE_INFINITY) this.#fireAll(due);
    else this.#fireDue(upTo, due);
    if (due.length === 0) return;
    due.sort((a, b) => a.session.end - b.session.end || a.session.seq - b.session.seq);
    for (const { values, session } of due)
      out.push(values, session.start, session.end, session.accumulators);
  }

  /** Collects the sessions due by `upTo` of the keys whose firing entry is due. */
  #fireDue(upTo: number, due: DueSession[]): void {
    const queue = this.#firing;
    // Entries due by `upTo` leave the queue, so a key is visited once per call.
    while (queue.size > 0 && queue.peekTime() - 1 <= upTo) {
      const at = queue.peekTime();
      const key = queue.pop();
      const group = this.#keys.get(key);
      if (group === undefined || group.firingAt !== at) continue;
      group.firingAt = Number.POSITIVE_INFINITY;
      for (const session of group.sessions) {
        if (this.trigger.firesBy(session.end, upTo)) due.push({ values: group.values, session });
        else if (session.end - 1 > upTo) {
          // Sessions are in end order: this is the key's earliest one still to fire.
          group.firingAt = session.end;
          queue.push(session.end, key);
          break;
        }
      }
    }
  }

  /** At the end of time every key is due: one pass over them beats popping each. */
  #fireAll(due: DueSession[]): void {
    this.#firing.clear();
    for (const group of this.#keys.values()) {
      group.firingAt = Number.POSITIVE_INFINITY;
      for (const session of group.sessions) {
        if (this.trigger.firesBy(session.end, Number.POSITIVE_INFINITY))
          due.push({ values: group.values, session });
      }
    }
  }

  cleanUp(): void {
    const queue = this.#expiring;
    if (this.trigger.progress === Number.POSITIVE_INFINITY) {
      // Every session has expired: drop them all at once rather than key by key.
      this.#keys.clear();
      this.#firing.clear();
      queue.clear();
      this.#open = 0;
      return;
    }
    while (queue.size > 0 && this.trigger.expired(queue.peekTime())) {
      const at = queue.peekTime();
      const key = queue.pop();
      const group = this.#keys.get(key);
      if (group === undefined || group.expiringAt !== at) continue;
      const { sessions } = group;
      // Sessions are in end order: the expired ones come first.
      let expired = 0;
      while (expired < sessions.length && this.trigger.expired(sessions[expired]!.end)) expired++;
      this.#open -= expired;
      if (expired === sessions.length) {
        this.#keys.delete(key);
        continue;
      }
      if (expired > 0) sessions.splice(0, expired);
      group.expiringAt = sessions[0]!.end;
      queue.push(group.expiringAt, key);
    }
  }

  /** Early if the head's session was extended; `fire` pops every entry due, so no timer repeats. */
  nextFiring(): number {
    return this.#firing.size > 0 ? this.#firing.peekTime() - 1 : Number.POSITIVE_INFINITY;
  }

  // A scan of every key, but it runs only when a source commits.
  heldSince(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const group of this.#keys.values()) {
      const start = group.sessions[0]!.start;
      if (start < earliest) earliest = start;
    }
    return earliest;
  }

  openWindows(): number {
    return this.#open;
  }

  pending(limit: number): { total: number; earliest: PendingWindow[] } {
    const trigger = this.trigger;
    let total = 0;
    function* unfired(keys: Map<unknown, KeySessions>) {
      for (const group of keys.values()) {
        for (const s of group.sessions) {
          if (trigger.fired(s.end)) continue;
          total++;
          yield { group, start: s.start, end: s.end };
        }
      }
    }
    const earliest = earliestEnds(unfired(this.#keys), limit).map(
      ({ group, start, end }): PendingWindow => ({
        start,
        end,
        firesAt: end - 1,
        key: group.values.map((v) => (v === null ? 'null' : String(v))).join(', '),
      }),
    );
    return { total, earliest };
  }
}
