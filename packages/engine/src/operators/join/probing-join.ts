// The joins whose records meet on arrival: the interval join and the regular
// join. Each side keeps its records per key for a retention in event time; an
// arriving record probes the other side's kept records of its key at once,
// over a range of their times, and the watermark drops what has expired.
import type { PendingWindow } from '@sluice/shared';
import type { Batch, Row } from '../../batch.js';
import type { Operator, OperatorContext } from '../../operator.js';
import type { StateStore } from '../../runtime/state.js';
import { reportBadValue } from '../compile.js';
import type { JoinedRows } from './joined-rows.js';
import { KeptRows } from './kept-rows.js';
import type { JoinKey, KeyReader } from './keys.js';
import type { TimeOrderedRows } from './time-ordered-rows.js';

/** How one input keeps its records and which of the other side's it meets. */
export interface ProbingSide {
  readonly readKey: KeyReader;
  /** A record at t is kept while the watermark is below t + retention. */
  readonly retention: number;
  /** Whether the side keeps records at all (a regular join's 0s retention only looks up). */
  readonly keeps: boolean;
  /** A record at t meets the other side's records in [t + from, t + to] (±Infinity: all). */
  readonly from: number;
  readonly to: number;
}

export interface ProbingJoinOptions {
  readonly left: ProbingSide;
  readonly right: ProbingSide;
  readonly joined: JoinedRows;
  /** A record at or behind the watermark is late and does not join (the interval join, as Flink's). */
  readonly lateBehindWatermark: boolean;
  /** The operator's store: each side's kept records are all of its state. */
  readonly state: StateStore;
  /** The key fields of the left and right inputs, for the hottest keys. */
  readonly keyFields: readonly (readonly string[])[];
}

interface Side extends ProbingSide {
  readonly isLeft: boolean;
  readonly kept: KeptRows;
}

export function probingJoin(options: ProbingJoinOptions): Operator {
  const { joined, lateBehindWatermark } = options;
  const side = (isLeft: boolean, spec: ProbingSide): Side => ({
    ...spec,
    isLeft,
    kept: new KeptRows(options.state, isLeft ? 'left' : 'right', spec.retention),
  });
  const left = side(true, options.left);
  const right = side(false, options.right);

  function process(batch: Batch, input: number, context: OperatorContext): void {
    const own = input === 0 ? left : right;
    const other = input === 0 ? right : left;
    const watermark = context.watermark;
    const rows: Row[] = [];
    const times: number[] = [];
    let late: { rows: Row[]; times: number[] } | undefined;
    const n = batch.rows.length;
    for (let i = 0; i < n; i++) {
      const row = batch.rows[i]!;
      const time = batch.times[i]!;
      if (lateBehindWatermark && time <= watermark) {
        late ??= { rows: [], times: [] };
        late.rows.push(row);
        late.times.push(time);
        continue;
      }
      let key: JoinKey | undefined;
      try {
        key = own.readKey(row);
      } catch (error) {
        reportBadValue(error, row, context);
        continue;
      }
      if (key === undefined) continue;
      const candidates = other.kept.of(key);
      if (candidates !== undefined) probe(own, row, time, candidates, rows, times, context);
      // A record whose retention has already run out only probes.
      if (own.keeps && time + own.retention > watermark) own.kept.keep(key, time, row);
    }
    if (late !== undefined) context.late(late);
    if (rows.length > 0) context.emit({ rows, times });
  }

  /** Emits the pairs of an arriving record with the other side's records in its range, in their time order. */
  function probe(
    own: Side,
    row: Row,
    time: number,
    candidates: TimeOrderedRows,
    rows: Row[],
    times: number[],
    context: OperatorContext,
  ): void {
    const last = time + own.to;
    const end = candidates.times.length;
    const first =
      own.from === Number.NEGATIVE_INFINITY ? candidates.head : candidates.from(time + own.from);
    for (let j = first; j < end; j++) {
      const otherTime = candidates.times[j]!;
      if (otherTime > last) break;
      const otherRow = candidates.rows[j]!;
      const out = own.isLeft
        ? joined.match(null, row, otherRow, context)
        : joined.match(null, otherRow, row, context);
      if (out === undefined) continue;
      rows.push(out);
      times.push(Math.max(time, otherTime));
    }
  }

  return {
    keyFields: options.keyFields,
    process,
    // For the event-time view: each side's rows kept, and when its oldest is dropped.
    pending: () => {
      const earliest: PendingWindow[] = [];
      for (const s of [left, right]) {
        const since = s.kept.since();
        const dropsAt = since + s.kept.retention;
        if (s.kept.count === 0 || !Number.isFinite(dropsAt)) continue;
        earliest.push({
          start: since,
          end: dropsAt,
          firesAt: dropsAt,
          key: s.isLeft ? 'left' : 'right',
          keys: s.kept.keys,
        });
      }
      earliest.sort((a, b) => a.firesAt - b.firesAt);
      return {
        kind: 'rows',
        time: 'event',
        total: left.kept.count + right.kept.count,
        earliest,
      };
    },
    onWatermark(watermark) {
      left.kept.expire(watermark);
      right.kept.expire(watermark);
    },
    finish() {
      // An inner join has nothing left to emit: every match was emitted when it arrived.
      left.kept.clear();
      right.kept.clear();
    },
    // Matches still to come carry a kept record's time or later, and records from the
    // earliest kept one on must be read again after a restart: a source may commit before it.
    heldSince: () => Math.min(left.kept.since(), right.kept.since()),
    metrics: () => ({ bufferedLeft: left.kept.count, bufferedRight: right.kept.count }),
  };
}
