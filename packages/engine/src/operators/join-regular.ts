// The regular join: every left and right record with equal keys match,
// whatever their times, as SQL's inner join over streams. Each side keeps its
// records per key for its retention in event time: a record at t is kept
// while the watermark is below t + retention. Each arriving record probes the
// other side's kept records at once. There is no lateness: a record behind
// the watermark still probes, and is kept if its retention has not run out.
import type { RegularJoinConfig } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import { ExpressionError } from '../expression/index.js';
import type { Operator, OperatorContext, OperatorEnvironment } from '../operator.js';
import { validDuration } from './compile.js';
import { joinedRows } from './join/joined-rows.js';
import { KeptRows } from './join/kept-rows.js';
import { type JoinKey, type KeyReader, keyReader } from './join/keys.js';
import type { TimeOrderedRows } from './join/time-ordered-rows.js';

/** One input's kept records. */
interface Side {
  readonly isLeft: boolean;
  readonly readKey: KeyReader;
  /** Its records, each kept while the watermark is below its time + the side's retention. */
  readonly kept: KeptRows;
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
    kept: new KeptRows(
      env.state.map<JoinKey, TimeOrderedRows>(isLeft ? 'left' : 'right'),
      validDuration(retention),
    ),
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
      const candidates = other.kept.of(key);
      if (candidates !== undefined) probe(own, row, time, candidates, rows, times, context);
      // A record whose retention has already run out only probes.
      // 0s: the side only looks up; otherwise kept while its retention lasts.
      const { retention } = own.kept;
      if (retention > 0 && time + retention > watermark) own.kept.keep(key, time, row);
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

  return {
    process,
    onWatermark(watermark) {
      left.kept.expire(watermark);
      right.kept.expire(watermark);
    },
    finish() {
      // An inner join has nothing left to emit: every match was emitted when it arrived.
      left.kept.clear();
      right.kept.clear();
    },
    // Records from the earliest kept one on must be read again after a restart to meet the
    // other side's later records.
    heldSince: () => Math.min(left.kept.since(), right.kept.since()),
    metrics: () => ({ bufferedLeft: left.kept.count, bufferedRight: right.kept.count }),
  };
}
