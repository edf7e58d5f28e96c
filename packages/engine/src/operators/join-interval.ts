// The interval join: a left record at tl and a right record at tr with equal
// keys match when tl + lower ≤ tr ≤ tl + upper. Both sides are buffered per
// key; each arriving record probes the other side at once, and the watermark
// drops records no on-time record can still match.
import type { IntervalJoinConfig } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import { ExpressionError } from '../expression/index.js';
import type { Operator, OperatorContext, OperatorEnvironment } from '../operator.js';
import { validDuration } from './compile.js';
import { joinedRows } from './join/joined-rows.js';
import { KeptRows } from './join/kept-rows.js';
import { type JoinKey, type KeyReader, keyReader } from './join/keys.js';
import type { TimeOrderedRows } from './join/time-ordered-rows.js';

/** One input's buffers and how it relates to the other input. */
interface Side {
  readonly isLeft: boolean;
  readonly readKey: KeyReader;
  /** Its records, each kept while the watermark is below its time + the side's retention. */
  readonly buffered: KeptRows;
  /** A record at t matches the other side's records in [t + from, t + to]. */
  readonly from: number;
  readonly to: number;
}

export function createJoinInterval(env: OperatorEnvironment): Operator {
  const config = env.node.config as unknown as IntervalJoinConfig;
  const lower = validDuration(config.lower);
  const upper = validDuration(config.upper);
  const joined = joinedRows(env);
  const side = (isLeft: boolean, port: number, name: string): Side => ({
    isLeft,
    readKey: keyReader(
      config.on.map((p) => (isLeft ? p.left : p.right)),
      env.inputs[port]?.[0]?.fields ?? [],
    ),
    // No future right record (tr > W) matches a left one once W ≥ tl + upper,
    // and no future left record matches a right one once W ≥ tr − lower.
    buffered: new KeptRows(env.state.map<JoinKey, TimeOrderedRows>(name), isLeft ? upper : -lower),
    from: isLeft ? lower : -upper,
    to: isLeft ? upper : -lower,
  });
  const left = side(true, 0, 'left');
  const right = side(false, 1, 'right');

  function process(batch: Batch, input: number, context: OperatorContext): void {
    const own = input === 0 ? left : right;
    const other = input === 0 ? right : left;
    const watermark = context.watermark;
    const rows: Row[] = [];
    const times: number[] = [];
    const lateRows: Row[] = [];
    const lateTimes: number[] = [];
    const n = batch.rows.length;
    for (let i = 0; i < n; i++) {
      const row = batch.rows[i]!;
      const time = batch.times[i]!;
      // As Flink's interval join: behind the watermark is late, even if a match is still buffered.
      if (time <= watermark) {
        lateRows.push(row);
        lateTimes.push(time);
        continue;
      }
      let key: JoinKey | undefined;
      try {
        key = own.readKey(row);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        context.error(row, error.message);
        continue;
      }
      if (key === undefined) continue;
      const candidates = other.buffered.of(key);
      if (candidates !== undefined) probe(own, row, time, candidates, rows, times, context);
      // With a negative bound a record can be useless on arrival: it only probes.
      if (time + own.buffered.retention > watermark) own.buffered.keep(key, time, row);
    }
    if (lateRows.length > 0) context.late({ rows: lateRows, times: lateTimes });
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
    for (let j = candidates.from(time + own.from); j < end; j++) {
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
    process,
    onWatermark(watermark) {
      left.buffered.expire(watermark);
      right.buffered.expire(watermark);
    },
    finish() {
      // An inner join has nothing left to emit: every match was emitted when it arrived.
      left.buffered.clear();
      right.buffered.clear();
    },
    // Matches still to come carry a buffered record's time or later: a source may commit before it.
    heldSince: () => Math.min(left.buffered.since(), right.buffered.since()),
    metrics: () => ({ bufferedLeft: left.buffered.count, bufferedRight: right.buffered.count }),
  };
}
