// Tumbling and hopping windows, kept as accumulators per pane (a slice of
// `slide` ms) per key. A window is the merge of its size/slide panes, so a
// record is accumulated once however many windows overlap it.
import type { PendingWindow } from '@sluice/shared';
import type { Row } from '../../batch.js';
import type { StateStore } from '../../runtime/state.js';
import type { Accumulator, Aggregates, DistinctPool } from './accumulators.js';
import type { PaneAssigner } from './assigners.js';
import type { GroupKey } from './keys.js';
import type { WindowOutput } from './output.js';
import { earliestEnds, type WindowStore } from './store.js';
import type { WindowTrigger } from './trigger.js';

interface PaneEntry {
  readonly values: readonly unknown[];
  /** Arrival of the key's first record in the pane: keys are emitted in first-seen order. */
  seq: number;
  readonly accumulators: Accumulator[];
}

/**
 * One pane: key → its accumulators, in first-seen order. Its keys' distinct
 * values share the pane's tables, which go with it when it is cleaned up.
 */
class Pane extends Map<unknown, PaneEntry> {
  constructor(readonly pool: DistinctPool) {
    super();
  }
}

export class PaneStore implements WindowStore {
  /** Pane start → pane. */
  readonly #panes: Map<number, Pane>;
  // Consecutive records mostly fall in the same pane: skip its lookup.
  #cachedStart = Number.NaN;
  #cached: Pane | undefined;

  constructor(
    readonly assigner: PaneAssigner,
    readonly trigger: WindowTrigger,
    readonly aggregates: Aggregates,
    readonly key: GroupKey,
    state: StateStore,
  ) {
    this.#panes = state.map<number, Pane>('panes', {
      // A pane as key, group-by values, first seen, accumulators… (flat, for a cheap snapshot).
      encode(pane) {
        const flat = new Array<unknown>(pane.size * 4);
        let i = 0;
        for (const [key, entry] of pane) {
          flat[i++] = key;
          flat[i++] = entry.values;
          flat[i++] = entry.seq;
          flat[i++] = aggregates.save(entry.accumulators);
        }
        return flat;
      },
      decode(plain) {
        const flat = plain as unknown[];
        const pane = new Pane(aggregates.pool());
        for (let i = 0; i < flat.length; i += 4) {
          pane.set(flat[i], {
            values: flat[i + 1] as unknown[],
            seq: flat[i + 2] as number,
            accumulators: aggregates.load(flat[i + 3] as unknown[], pane.pool),
          });
        }
        return pane;
      },
    });
    // The pane cache points into the maps replaced by a restore.
    state.afterRestore(() => {
      this.#cachedStart = Number.NaN;
      this.#cached = undefined;
    });
  }

  isLate(t: number): boolean {
    return this.trigger.expired(this.assigner.lastEnd(this.assigner.paneOf(t)));
  }

  add(row: Row, t: number, order: number, arrival: number, out: WindowOutput): number {
    const start = this.assigner.paneOf(t);
    let pane = start === this.#cachedStart ? this.#cached : undefined;
    if (pane === undefined) {
      pane = this.#panes.get(start);
      if (pane === undefined) {
        pane = new Pane(this.aggregates.pool());
        this.#panes.set(start, pane);
      }
      this.#cachedStart = start;
      this.#cached = pane;
    }
    const key = this.key.of(row);
    let entry = pane.get(key);
    if (entry === undefined) {
      entry = {
        values: this.key.values(row),
        seq: arrival,
        accumulators: this.aggregates.create(pane.pool),
      };
      pane.set(key, entry);
    }
    this.aggregates.add(entry.accumulators, order, arrival);
    const firstEnd = this.assigner.firstEnd(start);
    if (this.trigger.fired(firstEnd)) this.#refire(start, key, out);
    return firstEnd - 1;
  }

  /** Fires again, for one key, the windows holding the pane that fired and are not yet cleaned up. */
  #refire(start: number, key: unknown, out: WindowOutput): void {
    const { slide } = this.assigner;
    const last = this.assigner.lastEnd(start);
    for (
      let end = this.assigner.firstEnd(start);
      end <= last && this.trigger.fired(end);
      end += slide
    ) {
      if (!this.trigger.expired(end)) this.#emitKey(end, key, out);
    }
  }

  #emitKey(end: number, key: unknown, out: WindowOutput): void {
    const { size, slide } = this.assigner;
    const start = end - size;
    let values: readonly unknown[] | undefined;
    let merged: Accumulator[] | undefined;
    for (let pane = start; pane < end; pane += slide) {
      const entry = this.#panes.get(pane)?.get(key);
      if (entry === undefined) continue;
      if (values === undefined) values = entry.values;
      // Pane accumulators are shared by the windows that overlap: merge into a fresh set.
      merged ??= this.aggregates.create();
      this.aggregates.merge(merged, entry.accumulators);
    }
    if (values !== undefined) out.push(values, start, end, merged!);
  }

  fire(upTo: number, out: WindowOutput): void {
    const { slide } = this.assigner;
    // The smallest window end that has not fired yet.
    const unfired = this.assigner.endAfter(this.trigger.progress + 1);
    const ends = new Set<number>();
    for (const start of this.#panes.keys()) {
      const last = this.assigner.lastEnd(start);
      for (
        let end = Math.max(this.assigner.firstEnd(start), unfired);
        end <= last && end - 1 <= upTo;
        end += slide
      ) {
        ends.add(end);
      }
    }
    if (ends.size === 0) return;
    for (const end of [...ends].sort((a, b) => a - b)) this.#emitWindow(end, out);
  }

  #emitWindow(end: number, out: WindowOutput): void {
    const { size, slide } = this.assigner;
    const start = end - size;
    const panes: Pane[] = [];
    for (let p = start; p < end; p += slide) {
      const pane = this.#panes.get(p);
      if (pane !== undefined) panes.push(pane);
    }
    if (panes.length === 1) {
      // A pane's keys are already in first-seen order, and nothing needs merging.
      for (const entry of panes[0]!.values())
        out.push(entry.values, start, end, entry.accumulators);
      return;
    }
    const merged = new Map<unknown, PaneEntry>();
    for (const pane of panes) {
      for (const [key, entry] of pane) {
        let sum = merged.get(key);
        if (sum === undefined) {
          sum = { values: entry.values, seq: entry.seq, accumulators: this.aggregates.create() };
          merged.set(key, sum);
        } else if (entry.seq < sum.seq) sum.seq = entry.seq;
        this.aggregates.merge(sum.accumulators, entry.accumulators);
      }
    }
    const entries = [...merged.values()].sort((a, b) => a.seq - b.seq);
    for (const entry of entries) out.push(entry.values, start, end, entry.accumulators);
  }

  cleanUp(): void {
    for (const start of this.#panes.keys()) {
      if (this.trigger.expired(this.assigner.lastEnd(start))) this.#panes.delete(start);
    }
    this.#cachedStart = Number.NaN;
    this.#cached = undefined;
  }

  nextFiring(): number {
    const unfired = this.assigner.endAfter(this.trigger.progress + 1);
    let next = Number.POSITIVE_INFINITY;
    for (const start of this.#panes.keys()) {
      const end = Math.max(this.assigner.firstEnd(start), unfired);
      if (end <= this.assigner.lastEnd(start) && end - 1 < next) next = end - 1;
    }
    return next;
  }

  heldSince(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const start of this.#panes.keys()) if (start < earliest) earliest = start;
    return earliest;
  }

  pending(limit: number): { total: number; earliest: PendingWindow[] } {
    const { size, slide } = this.assigner;
    const unfired = this.assigner.endAfter(this.trigger.progress + 1);
    // Every window end yet to fire that some pane holds records of.
    const ends = new Set<number>();
    for (const start of this.#panes.keys()) {
      for (
        let end = Math.max(this.assigner.firstEnd(start), unfired);
        end <= this.assigner.lastEnd(start);
        end += slide
      )
        ends.add(end);
    }
    const windows = earliestEnds(
      [...ends].map((end) => ({ end })),
      limit,
    ).map(({ end }): PendingWindow => {
      const keys = new Set<unknown>();
      for (let pane = end - size; pane < end; pane += slide)
        for (const key of this.#panes.get(pane)?.keys() ?? []) keys.add(key);
      return { start: end - size, end, firesAt: end - 1, keys: keys.size };
    });
    return { total: ends.size, earliest: windows };
  }

  openWindows(): number {
    const { slide } = this.assigner;
    const { progress, lateness } = this.trigger;
    // The smallest window end not yet cleaned up.
    const alive = this.assigner.endAfter(progress + 1 - lateness);
    // Per key, the last window end counted: panes in time order, so each window is counted once.
    const counted = new Map<unknown, number>();
    let open = 0;
    for (const start of [...this.#panes.keys()].sort((a, b) => a - b)) {
      const last = this.assigner.lastEnd(start);
      for (const key of this.#panes.get(start)!.keys()) {
        const from = Math.max(
          this.assigner.firstEnd(start),
          alive,
          (counted.get(key) ?? -Infinity) + slide,
        );
        if (from <= last) open += (last - from) / slide + 1;
        counted.set(key, last);
      }
    }
    return open;
  }
}
