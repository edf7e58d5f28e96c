// Per-partition bookkeeping of a Kafka source: each partition's watermark,
// whether it is idle, and which of its records are done (so their offsets
// may be committed).
import type { PartitionTime } from '@sluice/shared';
import { START_OF_TIME } from '../../batch.js';
import type { PartitionOffset, TopicPartition } from './client.js';

/** A run of consecutive offsets read in one batch, and the latest event time among its records. */
interface Chunk {
  /** One past the last offset of the run. */
  end: bigint;
  maxTime: number;
}

interface PartitionState extends TopicPartition {
  /** Largest event time seen, for the watermark. */
  maxTime: number;
  /** Processing time of the last record, or of the assignment. */
  lastRecordAt: number;
  /** Whether this member reads it now: one it does not own is never idle (see the constructor). */
  owned: boolean;
  /** Runs read but not yet committed, oldest first. */
  readonly chunks: Chunk[];
  /** The offset last committed (or noted for commit). */
  committed: bigint | undefined;
}

/**
 * What the watermark needs to go on after a restore, as plain data: per
 * partition [topic, partition, largest event time], and the watermark so far.
 */
export interface TrackerState {
  readonly partitions: readonly (readonly [string, number, number])[];
  readonly emitted: number;
}

export class PartitionTracker {
  readonly #partitions = new Map<string, PartitionState>();
  readonly #boundMs: number;
  readonly #idleMs: number;
  readonly #keepRuns: boolean;
  readonly #forgetRevoked: boolean;
  #emitted = START_OF_TIME;

  /**
   * With checkpoints (`keepRuns: false`, `forgetRevoked: false`), no runs are
   * kept for commits, and a partition this member does not own (yet) holds
   * the watermark back until it is assigned here again, however long that
   * takes: after a restore the killed process stays in the group until its
   * session times out, and the partitions it held come back here from the
   * checkpoint's offsets, so their records must not be made late by the
   * partitions read meanwhile. Idleness counts only once a partition is
   * read here. (One Sluice job per consumer group, then.)
   */
  constructor(options: {
    boundMs: number;
    idleMs: number;
    keepRuns?: boolean;
    forgetRevoked?: boolean;
  }) {
    this.#boundMs = options.boundMs;
    this.#idleMs = options.idleMs;
    this.#keepRuns = options.keepRuns ?? true;
    this.#forgetRevoked = options.forgetRevoked ?? true;
  }

  /** The watermark's state now (a copy). */
  save(): TrackerState {
    const partitions: [string, number, number][] = [];
    for (const p of this.#partitions.values()) partitions.push([p.topic, p.partition, p.maxTime]);
    return { partitions, emitted: this.#emitted };
  }

  /**
   * Goes on from `save`'s state. Idleness is processing time, so it counts
   * afresh from `now`, as for a newly assigned partition.
   */
  restore(saved: TrackerState, now: number): void {
    this.#partitions.clear();
    for (const [topic, partition, maxTime] of saved.partitions) {
      this.#partitions.set(`${topic}:${partition}`, {
        topic,
        partition,
        maxTime,
        lastRecordAt: now,
        owned: false,
        chunks: [],
        committed: undefined,
      });
    }
    this.#emitted = saved.emitted;
  }

  /** Makes the owned partitions `owned`: new ones start, revoked ones are forgotten (unless told not to). */
  own(owned: readonly TopicPartition[], now: number): void {
    const keys = new Set<string>();
    for (const tp of owned) {
      const key = `${tp.topic}:${tp.partition}`;
      keys.add(key);
      const known = this.#partitions.get(key);
      if (!known) {
        this.#partitions.set(key, {
          ...tp,
          maxTime: START_OF_TIME,
          lastRecordAt: now,
          owned: true,
          chunks: [],
          committed: undefined,
        });
      } else if (!known.owned) {
        // Back here: its idle time counts from now.
        known.owned = true;
        known.lastRecordAt = now;
      }
    }
    if (!this.#forgetRevoked) {
      for (const [key, p] of this.#partitions) if (!keys.has(key)) p.owned = false;
      return;
    }
    for (const key of this.#partitions.keys()) if (!keys.has(key)) this.#partitions.delete(key);
  }

  /**
   * Records offsets `first`..`last` of a partition as read; `maxTime` is the
   * latest event time among the records emitted from them (-Infinity when none was).
   */
  read(tp: TopicPartition, first: bigint, last: bigint, maxTime: number, now: number): void {
    const key = `${tp.topic}:${tp.partition}`;
    let state = this.#partitions.get(key);
    if (!state) {
      // Read before the assignment was seen: start tracking it now.
      this.own([...this.#owned(), tp], now);
      state = this.#partitions.get(key)!;
    }
    if (this.#keepRuns) {
      const tail = state.chunks.at(-1);
      if (tail && tail.end === first && tail.maxTime >= maxTime) tail.end = last + 1n;
      else state.chunks.push({ end: last + 1n, maxTime });
    }
    if (maxTime > state.maxTime) state.maxTime = maxTime;
    state.lastRecordAt = now;
  }

  /**
   * The combined watermark: the minimum over the owned partitions that are not
   * idle; it never goes back. When every partition is idle it stays put.
   */
  watermark(now: number): number {
    let min = Number.POSITIVE_INFINITY;
    for (const p of this.#partitions.values()) {
      if (this.#isIdle(p, now)) continue;
      const w = p.maxTime === START_OF_TIME ? START_OF_TIME : p.maxTime - this.#boundMs - 1;
      if (w < min) min = w;
    }
    if (Number.isFinite(min) && min > this.#emitted) this.#emitted = min;
    return this.#emitted;
  }

  /** Each partition's watermark and idleness now, in topic and partition order (for the event-time view). */
  view(now: number): PartitionTime[] {
    const out: PartitionTime[] = [];
    let holding: PartitionTime | undefined;
    for (const p of this.#partitions.values()) {
      const watermark = p.maxTime === START_OF_TIME ? null : p.maxTime - this.#boundMs - 1;
      const idle = this.#isIdle(p, now);
      const entry: PartitionTime = {
        topic: p.topic,
        partition: p.partition,
        watermark,
        idleForMs: p.owned ? Math.max(0, now - p.lastRecordAt) : null,
        idle,
        owned: p.owned,
        holding: false,
      };
      out.push(entry);
      // Not idle, and the lowest: a partition with no record yet is the lowest of all.
      if (
        !idle &&
        (holding === undefined || (entry.watermark ?? -Infinity) < (holding.watermark ?? -Infinity))
      )
        holding = entry;
    }
    if (holding) holding.holding = true;
    return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  /** After how long without records a partition stops holding the watermark back. */
  get idleMs(): number {
    return this.#idleMs;
  }

  /** Per partition, whether it is idle now (for the metrics). */
  idle(now: number): number {
    let n = 0;
    for (const p of this.#partitions.values()) if (this.#isIdle(p, now)) n++;
    return n;
  }

  #isIdle(p: PartitionState, now: number): boolean {
    return p.owned && now - p.lastRecordAt >= this.#idleMs;
  }

  /**
   * The offsets that may be committed: per partition, past the runs whose
   * records all have event times before `doneBefore`. Forgets those runs.
   */
  takeCommittable(doneBefore: number): PartitionOffset[] {
    const out: PartitionOffset[] = [];
    for (const p of this.#partitions.values()) {
      let done = 0;
      while (done < p.chunks.length && p.chunks[done]!.maxTime < doneBefore) done++;
      if (done === 0) continue;
      const offset = p.chunks[done - 1]!.end;
      p.chunks.splice(0, done);
      if (p.committed !== undefined && p.committed >= offset) continue;
      p.committed = offset;
      out.push({ topic: p.topic, partition: p.partition, offset });
    }
    return out;
  }

  *#owned(): Iterable<TopicPartition> {
    for (const p of this.#partitions.values()) yield { topic: p.topic, partition: p.partition };
  }
}
