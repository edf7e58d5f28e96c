// window.over: each record with aggregates over its key's records before it
// and itself (SQL's OVER (PARTITION BY … ORDER BY time ROWS/RANGE … PRECEDING
// AND CURRENT ROW)). In event time a record waits until the watermark has
// passed it, so a key's records leave in time order, each aggregated with the
// frame before it; in processing time, at once, in arrival order.
import { parseDuration, type windowOver } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import type { EnvironmentOf, Operator, OperatorContext } from '../operator.js';
import { ExpiryQueue } from './join/expiry-queue.js';
import { Aggregates } from './window/accumulators.js';
import { groupKey } from './window/keys.js';

/** A record the frame may still reach: its time, arrival, and what it adds to each aggregate. */
type Kept = [time: number, arrival: number, values: unknown[]];
/** A record waiting for the watermark: as Kept, and the record. */
type Waiting = [time: number, arrival: number, values: unknown[], row: Row];

interface KeyState {
  /** Left already, oldest first: what a later record's frame reaches back to. */
  kept: Kept[];
  /** Not yet passed by the watermark, in arrival order. */
  waiting: Waiting[];
}

export function createWindowOver(env: EnvironmentOf<typeof windowOver>): Operator {
  const { config } = env;
  const input = env.inputs[0]![0]!;
  const eventTime = input.time === 'event';
  const aggregates = new Aggregates(config.aggregates, input.fields);
  const names = config.aggregates.map((a) => a.name);
  const key = groupKey(config.partitionBy);
  const rows = config.frame.type === 'rows' ? config.frame.preceding : undefined;
  const range = config.frame.type === 'range' ? parseDuration(config.frame.preceding)! : undefined;
  const keys = env.state.map<unknown, KeyState>('keys');
  const arrivals = env.state.cell('arrivals', 0);
  /** The watermark the records have left up to. */
  const progress = env.state.cell('progress', Number.NEGATIVE_INFINITY);
  /** Keys with records waiting: the only ones a watermark looks at (rebuilt after a restore). */
  const due = new Set<unknown>();
  /**
   * A frame of time: when each key's newest kept record falls out of every later frame, so
   * a key gone quiet is forgotten (stale entries are skipped). Rebuilt after a restore.
   */
  const expiry = new ExpiryQueue<unknown>();
  env.state.afterRestore(() => {
    due.clear();
    expiry.clear();
    for (const [k, state] of keys) {
      if (state.waiting.length > 0) due.add(k);
      const newest = state.kept.at(-1);
      if (range !== undefined && newest) expiry.push(newest[0] + range, k);
    }
  });

  /** The record with its aggregates over `frame` (kept records, then these of the same time). */
  const withAggregates = (row: Row, frame: readonly (Kept | Waiting)[]): Row => {
    const accumulators = aggregates.create();
    for (const [t, arrival, values] of frame)
      aggregates.addContribution(accumulators, values, t, arrival);
    const out: Row = { ...row };
    for (let a = 0; a < names.length; a++) out[names[a]!] = accumulators[a]!.result();
    return out;
  };

  /** Drops what no later frame reaches: beyond the last `rows`, or before `newest − range`. */
  const trim = (state: KeyState, newest: number) => {
    const { kept } = state;
    if (rows !== undefined) {
      if (kept.length > rows) state.kept = kept.slice(kept.length - rows);
    } else if (range !== undefined) {
      let drop = 0;
      while (drop < kept.length && kept[drop]![0] < newest - range) drop++;
      if (drop > 0) state.kept = kept.slice(drop);
    }
  };

  /** Sends on `state`'s records that are at or before `upTo`, in time order. */
  /** Released records, [time, arrival, row], to be sent in time order across keys. */
  type Out = [number, number, Row][];
  const release = (k: unknown, state: KeyState, upTo: number, out: Out) => {
    const ready = state.waiting.filter((w) => w[0] <= upTo);
    if (ready.length === 0) return;
    state.waiting = state.waiting.filter((w) => w[0] > upTo);
    // Time order; records of the same time in arrival order.
    ready.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let i = 0; i < ready.length; ) {
      const t = ready[i]![0];
      let j = i;
      while (j < ready.length && ready[j]![0] === t) j++;
      const peers = ready.slice(i, j);
      if (rows !== undefined) {
        // ROWS: each record with the `rows` before it, its peers in arrival order included.
        for (const w of peers) {
          const frame = [...state.kept.slice(Math.max(0, state.kept.length - rows)), w];
          out.push([w[0], w[1], withAggregates(w[3], frame)]);
          state.kept.push([w[0], w[1], w[2]]);
          trim(state, t);
        }
      } else {
        // RANGE: every record of one time shares its frame, peers included, as in SQL.
        const from = t - range!;
        const frame = [...state.kept.filter((k) => k[0] >= from), ...peers];
        for (const w of peers) out.push([w[0], w[1], withAggregates(w[3], frame)]);
        for (const w of peers) state.kept.push([w[0], w[1], w[2]]);
        trim(state, t);
      }
      i = j;
    }
    if (range !== undefined) expiry.push(state.kept.at(-1)![0] + range, k);
  };

  const stateOf = (row: Row): [unknown, KeyState] => {
    const k = key.of(row);
    let state = keys.get(k);
    if (state === undefined) {
      state = { kept: [], waiting: [] };
      keys.set(k, state);
    }
    return [k, state];
  };

  /** Sends the released records in time order (ties in arrival order), whatever their keys. */
  const send = (out: Out, context: OperatorContext) => {
    if (out.length === 0) return;
    out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    context.emit({ rows: out.map((o) => o[2]), times: out.map((o) => o[0]) });
  };

  const advance = (upTo: number, context: OperatorContext) => {
    if (upTo <= progress.value) return;
    progress.value = upTo;
    const out: Out = [];
    for (const k of [...due]) {
      const state = keys.get(k);
      if (!state) {
        due.delete(k);
        continue;
      }
      release(k, state, upTo, out);
      if (state.waiting.length === 0) due.delete(k);
    }
    send(out, context);
    // Keys whose kept records no frame can reach any more, and with none waiting, go.
    while (expiry.size > 0 && expiry.peekTime() < upTo) {
      const k = expiry.pop();
      const state = keys.get(k);
      if (!state || state.waiting.length > 0) continue;
      const newest = state.kept.at(-1);
      if (newest === undefined || newest[0] + range! < upTo) keys.delete(k);
    }
  };

  return {
    keyFields: [config.partitionBy],
    process(batch: Batch, _input: number, context: OperatorContext) {
      const out: Out = [];
      let late: { rows: Row[]; times: number[] } | undefined;
      for (let i = 0; i < batch.rows.length; i++) {
        const row = batch.rows[i]!;
        const t = batch.times[i]!;
        // Its key's records up to the watermark have left: one at or before it cannot be ordered in.
        if (eventTime && t <= progress.value) {
          late ??= { rows: [], times: [] };
          late.rows.push(row);
          late.times.push(t);
          continue;
        }
        if (!aggregates.readOrReport(row, context)) continue;
        const values = aggregates.contribution();
        const arrival = arrivals.value++;
        const [k, state] = stateOf(row);
        state.waiting.push([t, arrival, values, row]);
        if (eventTime) due.add(k);
        else release(k, state, Number.POSITIVE_INFINITY, out);
      }
      if (late !== undefined) context.late(late);
      send(out, context);
    },
    onWatermark(watermark: number, context: OperatorContext) {
      if (eventTime) advance(watermark, context);
    },
    finish(context: OperatorContext) {
      advance(Number.POSITIVE_INFINITY, context);
    },
    metrics: () => {
      let waiting = 0;
      for (const k of due) waiting += keys.get(k)?.waiting.length ?? 0;
      return { waiting };
    },
    heldSince: () => {
      let earliest = Number.POSITIVE_INFINITY;
      for (const k of due)
        for (const w of keys.get(k)?.waiting ?? []) if (w[0] < earliest) earliest = w[0];
      return earliest;
    },
  };
}
