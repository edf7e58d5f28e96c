// The regular join: every left and right record with equal keys match,
// whatever their times, as SQL's inner join over streams. Each side keeps its
// records per key for its retention in event time: a record at t is kept
// while the watermark is below t + retention. Each arriving record probes the
// other side's kept records at once. There is no lateness: a record behind
// the watermark still probes, and is kept if its retention has not run out.
import { parseDuration, type RegularJoinConfig } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import { ExpressionError } from '../expression/index.js';
import type { Operator, OperatorContext, OperatorEnvironment } from '../operator.js';
import { ExpiryQueue } from './join/expiry-queue.js';
import { joinedRows } from './join/joined-rows.js';
import { type JoinKey, type KeyReader, keyReader } from './join/keys.js';
import { TimeOrderedRows } from './join/time-ordered-rows.js';

/** One input's kept records. */
interface Side {
  readonly isLeft: boolean;
  readonly readKey: KeyReader;
  readonly kept: Map<JoinKey, TimeOrderedRows>;
  readonly expiry: ExpiryQueue;
  /** A record at t is kept while the watermark is below t + retention. */
  readonly retention: number;
  count: number;
}

export function createJoinRegular(env: OperatorEnvironment): Operator {
  const config = env.node.config as unknown as RegularJoinConfig;
  const joined = joinedRows(env);
  const side = (isLeft: boolean, port: number, retention: string): Side => ({
    isLeft,
    readKey: keyReader(
      config.on.map((p) => (isLeft ? p.left : p.right)),
      env.inputs[port]?.[0]?.fields ?? [],
    ),
    kept: env.state.map<JoinKey, TimeOrderedRows>(isLeft ? 'left' : 'right'),
    expiry: new ExpiryQueue(),
    retention: duration(retention),
    count: 0,
  });
  const left = side(true, 0, config.leftRetention);
  const right = side(false, 1, config.rightRetention);

  function process(batch: Batch, input: number, context: OperatorContext): void {
    const own = input === 0 ? left : right;
    const other = input === 0 ? right : left;
    const watermark = context.watermark;
    const rows: Row[] = [];
    const times: number[] = [];
    const n = batch.rows.length;
    for (let i = 0; i < n; i++) {
      const row = batch.rows[i]!;
      const time = batch.times[i]!;
      let key: JoinKey | undefined;
      try {
        key = own.readKey(row);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        context.error(row, error.message);
        continue;
      }
      if (key === undefined) continue;
      const candidates = other.kept.get(key);
      if (candidates !== undefined) probe(own, row, time, candidates, rows, times, context);
      // A record whose retention has already run out only probes.
      // 0s: the side only looks up; otherwise kept while its retention lasts.
      if (own.retention > 0 && time + own.retention > watermark) keep(own, key, time, row);
    }
    if (rows.length > 0) context.emit({ rows, times });
  }

  /** Emits the pairs of an arriving record with every kept record of its key, in their time order. */
  function probe(
    own: Side,
    row: Row,
    time: number,
    candidates: TimeOrderedRows,
    rows: Row[],
    times: number[],
    context: OperatorContext,
  ): void {
    const end = candidates.times.length;
    for (let j = candidates.head; j < end; j++) {
      const otherRow = candidates.rows[j]!;
      const out = own.isLeft
        ? joined.match(null, row, otherRow, context)
        : joined.match(null, otherRow, row, context);
      if (out === undefined) continue;
      rows.push(out);
      times.push(Math.max(time, candidates.times[j]!));
    }
  }

  function keep(own: Side, key: JoinKey, time: number, row: Row): void {
    let rows = own.kept.get(key);
    if (rows === undefined) {
      rows = new TimeOrderedRows();
      own.kept.set(key, rows);
    }
    rows.insert(time, row);
    own.count++;
    const expiresAt = time + own.retention;
    // One queue entry per key, for its earliest record; an earlier arrival
    // supersedes it and the old entry is skipped when it comes up.
    if (expiresAt < rows.scheduled) {
      rows.scheduled = expiresAt;
      own.expiry.push(expiresAt, key);
    }
  }

  /** Drops the records with t + retention ≤ watermark, key by key in expiry order. */
  function expire(own: Side, watermark: number): void {
    const queue = own.expiry;
    while (queue.size > 0 && queue.peekTime() <= watermark) {
      const at = queue.peekTime();
      const key = queue.pop();
      const rows = own.kept.get(key);
      if (rows === undefined || rows.scheduled !== at) continue;
      own.count -= rows.dropThrough(watermark - own.retention);
      if (rows.size === 0) {
        own.kept.delete(key);
      } else {
        rows.scheduled = rows.first + own.retention;
        queue.push(rows.scheduled, key);
      }
    }
  }

  /**
   * The earliest time of a kept record, or a time before it: records from it
   * on must be read again after a restart to meet the other side's later ones.
   * The queue's head may be a superseded entry, which is only earlier.
   */
  function keptSince(own: Side): number {
    if (own.count === 0) return Number.POSITIVE_INFINITY;
    return own.expiry.peekTime() - own.retention;
  }

  return {
    process,
    onWatermark(watermark) {
      expire(left, watermark);
      expire(right, watermark);
    },
    finish() {
      // An inner join has nothing left to emit: every match was emitted when it arrived.
      for (const own of [left, right]) {
        own.kept.clear();
        own.expiry.clear();
        own.count = 0;
      }
    },
    heldSince: () => Math.min(keptSince(left), keptSince(right)),
    metrics: () => ({ bufferedLeft: left.count, bufferedRight: right.count }),
  };
}

function duration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`'${text}' is not a duration.`);
  return ms;
}
