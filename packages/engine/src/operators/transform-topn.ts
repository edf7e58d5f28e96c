// transform.topn: SQL's `ROW_NUMBER() OVER (PARTITION BY k ORDER BY x) <= N`
// over an unbounded stream. Each key keeps its N first records in the order,
// over all its records so far; after each input batch, every key the batch
// changed emits one row per rank whose record changed, in rank order. The
// output is an update stream keyed by the key and the rank: a row replaces
// the earlier row with the same key and rank (see docs/engine.md).
//
// Order: by the first term, ties by the next; NULL ranks after every value in
// both directions; NaN above every number (as Java's Double.compare; an expression
// cannot give NaN, see limits.ts, but a value handed in might); text by
// UTF-16 code unit, as min/max. Records equal in every term rank in arrival
// order, the earlier first: a new record goes after the ones it ties with.
import type { transformTopN } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import type { EnvironmentOf, Operator, OperatorContext } from '../operator.js';
import { compileChecked, reportBadValue, validDuration } from './compile.js';
import { ExpiryQueue } from './join/expiry-queue.js';
import { groupKey } from './window/keys.js';

/** A record in a key's top N, with its order values. */
interface Entry {
  readonly row: Row;
  readonly values: readonly unknown[];
}

/** One key's ranking. */
interface Partition {
  /** At most N, first-ranked first. */
  readonly entries: Entry[];
  /** The greatest event time of a record of this key. */
  lastUpdate: number;
  /** Its entry in the expiry queue; +Infinity when none. */
  scheduled: number;
  /** The input batch that last changed it; from which index its ranks changed there, and when. */
  changedIn: number;
  changedFrom: number;
  batchTime: number;
}

export function createTransformTopN(env: EnvironmentOf<typeof transformTopN>): Operator {
  const { config } = env;
  const input = env.inputs[0]![0]!;
  const output = env.outputs[0];
  if (!output) throw new Error('transform.topn has no output schema; was the pipeline validated?');
  const n = config.n;
  const retention =
    input.time === 'event' && config.retention !== undefined
      ? validDuration(config.retention)
      : undefined;
  const terms = config.orderBy.map((term) => compileChecked(term.expr, input.fields));
  const order = new RankOrder(config.orderBy.map((term) => (term.direction === 'asc' ? 1 : -1)));
  const key = groupKey(config.partitionBy);
  const build = rowBuilder(
    output.fields.map((f) => f.name),
    config.rankField,
  );
  // Plain data: a partition holds input rows and their order values, no class instances.
  const partitions = env.state.map<unknown, Partition>('partitions');
  const expiry = new ExpiryQueue<unknown>();
  // The expiry queue is an index over the partitions' `scheduled` times.
  env.state.afterRestore(() => {
    expiry.clear();
    for (const [k, partition] of partitions) {
      if (partition.scheduled !== Number.POSITIVE_INFINITY) expiry.push(partition.scheduled, k);
    }
  });
  /** The order values of the record at hand; copied only when the record enters a top N. */
  const values: unknown[] = terms.map(() => null);
  /** Records kept over all keys. */
  const rows = env.state.cell('rows', 0);
  /** Input batches so far: tells the partitions a batch changed. */
  const batches = env.state.cell('batches', 0);

  function evaluate(row: Row): void {
    for (let i = 0; i < terms.length; i++) values[i] = terms[i]!(row) ?? null;
  }

  function createPartition(k: unknown, t: number): Partition {
    const partition: Partition = {
      entries: [],
      lastUpdate: t,
      scheduled: Number.POSITIVE_INFINITY,
      changedIn: -1,
      changedFrom: 0,
      batchTime: t,
    };
    partitions.set(k, partition);
    if (retention !== undefined) {
      partition.scheduled = t + retention;
      expiry.push(partition.scheduled, k);
    }
    return partition;
  }

  /** Where the record at hand ranks among the entries: after every one it does not precede. */
  function rankOf(entries: readonly Entry[]): number {
    const size = entries.length;
    // Most records of a long stream miss a full top N: one comparison settles them.
    if (size === n && order.compare(values, entries[size - 1]!.values) >= 0) return n;
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order.compare(values, entries[mid]!.values) < 0) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  function process(batch: Batch, _input: number, context: OperatorContext): void {
    const { rows: records, times } = batch;
    const count = records.length;
    const batchNo = batches.value++;
    const changed: Partition[] = [];
    for (let i = 0; i < count; i++) {
      const row = records[i]!;
      const t = times[i]!;
      try {
        evaluate(row);
      } catch (error) {
        reportBadValue(error, row, context);
        continue;
      }
      const k = key.of(row);
      const partition = partitions.get(k) ?? createPartition(k, t);
      if (t > partition.lastUpdate) partition.lastUpdate = t;
      const { entries } = partition;
      const rank = rankOf(entries);
      if (rank >= n) continue;
      entries.splice(rank, 0, { row, values: values.slice() });
      if (entries.length > n) entries.pop();
      else rows.value++;
      // Every rank from the insertion down now holds another record.
      if (partition.changedIn !== batchNo) {
        partition.changedIn = batchNo;
        partition.changedFrom = rank;
        partition.batchTime = t;
        changed.push(partition);
      } else {
        if (rank < partition.changedFrom) partition.changedFrom = rank;
        if (t > partition.batchTime) partition.batchTime = t;
      }
    }
    if (changed.length === 0) return;
    const out: Row[] = [];
    const outTimes: number[] = [];
    for (const partition of changed) {
      const { entries, batchTime } = partition;
      for (let r = partition.changedFrom; r < entries.length; r++) {
        out.push(build(entries[r]!.row, r + 1));
        outTimes.push(batchTime);
      }
    }
    context.emit({ rows: out, times: outTimes });
  }

  /** Forgets the keys without a record for `span` ms up to `watermark`. */
  function forget(watermark: number, span: number): void {
    while (expiry.size > 0 && expiry.peekTime() <= watermark) {
      const at = expiry.peekTime();
      const k = expiry.pop();
      const partition = partitions.get(k);
      if (partition === undefined || partition.scheduled !== at) continue;
      const expiresAt = partition.lastUpdate + span;
      if (expiresAt <= watermark) {
        partitions.delete(k);
        rows.value -= partition.entries.length;
      } else {
        partition.scheduled = expiresAt;
        expiry.push(expiresAt, k);
      }
    }
  }

  return {
    keyFields: [config.partitionBy],
    process,
    onWatermark(watermark: number) {
      if (retention !== undefined) forget(watermark, retention);
    },
    finish() {
      // Every change was emitted with its batch: nothing is left to say, so the state can go.
      partitions.clear();
      expiry.clear();
      rows.value = 0;
    },
    metrics: () => ({ partitions: partitions.size, rows: rows.value }),
  };
}

/** Compares records by their order values: negative when the first ranks before the second. */
class RankOrder {
  /** Per term: 1 ascending, −1 descending. */
  readonly #signs: readonly number[];

  constructor(signs: readonly number[]) {
    this.#signs = signs;
  }

  compare(a: readonly unknown[], b: readonly unknown[]): number {
    const signs = this.#signs;
    for (let i = 0; i < signs.length; i++) {
      const x = a[i];
      const y = b[i];
      if (x === y) continue;
      // NULL last whatever the direction: a missing value never outranks a real one.
      if (x === null) return 1;
      if (y === null) return -1;
      const c = ascending(x, y);
      if (c !== 0) return c * signs[i]!;
    }
    return 0;
  }
}

/** Two different non-NULL values of one type (numbers, timestamps or text), smallest first. */
function ascending(x: unknown, y: unknown): number {
  if ((x as number) < (y as number)) return -1;
  if ((x as number) > (y as number)) return 1;
  // Neither is smaller: NaN against a number, or two NaNs. NaN goes above every number.
  const xNaN = Number.isNaN(x);
  return xNaN === Number.isNaN(y) ? 0 : xNaN ? 1 : -1;
}

/** Builds output rows: the input fields in the output schema's order, then the rank; one shape. */
function rowBuilder(names: readonly string[], rankField: string): (row: Row, rank: number) => Row {
  const fields = names.filter((name) => name !== rankField);
  return (row, rank) => {
    const out: Row = {};
    for (let f = 0; f < fields.length; f++) out[fields[f]!] = row[fields[f]!] ?? null;
    out[rankField] = rank;
    return out;
  };
}
