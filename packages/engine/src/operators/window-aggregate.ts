// window.aggregate: groups records into tumbling, hopping or session windows
// per key and aggregates each window incrementally. Which windows a record
// belongs to (window/assigners), when they fire (window/trigger) and what
// they accumulate (window/accumulators) are separate pieces; panes and
// sessions keep the state.
import type { windowAggregate } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import type { EnvironmentOf, Operator, OperatorContext } from '../operator.js';
import { validDuration } from './compile.js';
import { Aggregates } from './window/accumulators.js';
import { assignerFor, PaneAssigner } from './window/assigners.js';
import { groupKey } from './window/keys.js';
import { WindowOutput } from './window/output.js';
import { PaneStore } from './window/panes.js';
import { SessionStore } from './window/sessions.js';
import type { WindowStore } from './window/store.js';
import { WindowTrigger } from './window/trigger.js';

export function createWindowAggregate(env: EnvironmentOf<typeof windowAggregate>): Operator {
  const { config } = env;
  const input = env.inputs[0]![0]!;
  const output = env.outputs[0];
  if (!output)
    throw new Error('window.aggregate has no output schema; was the pipeline validated?');
  const { groupBy } = config;
  const eventTime = config.time === 'event';
  // In processing time a record always lands in an open window: nothing is late.
  const lateness = eventTime && config.allowedLateness ? validDuration(config.allowedLateness) : 0;

  const aggregates = new Aggregates(config.aggregates, input.fields);
  const trigger = new WindowTrigger(lateness, env.state.cell('progress', Number.NEGATIVE_INFINITY));
  const assigner = assignerFor(config.window);
  const key = groupKey(groupBy);
  const store: WindowStore =
    assigner instanceof PaneAssigner
      ? new PaneStore(assigner, trigger, aggregates, key, env.state)
      : new SessionStore(assigner, trigger, aggregates, key, env.state);
  const out = new WindowOutput(output.fields, groupBy, config.aggregates);
  /** Records accepted so far: orders first/last ties and first-seen keys. */
  const arrivals = env.state.cell('arrivals', 0);
  /** The processing-time timer asked for, +Infinity when none. */
  const timerAt = env.state.cell('timerAt', Number.POSITIVE_INFINITY);

  /** Fires what is due up to `upTo`, then drops what is past its lateness. */
  function advance(upTo: number, context: OperatorContext): void {
    if (upTo > trigger.progress) {
      store.fire(upTo, out);
      trigger.progress = upTo;
      store.cleanUp();
    }
    out.drain(context);
  }

  function requestTimer(at: number, context: OperatorContext): void {
    if (at >= timerAt.value || !Number.isFinite(at)) return;
    timerAt.value = at;
    context.setTimer(at);
  }

  return {
    keyFields: [groupBy],
    process(batch: Batch, _input: number, context: OperatorContext) {
      const { rows, times } = batch;
      const n = rows.length;
      // Processing time: the whole batch is processed now. A record never joins a window
      // that has already fired, even at the very millisecond it fired.
      const now = eventTime ? 0 : Math.max(context.now(), trigger.progress + 1);
      let late: { rows: Row[]; times: number[] } | undefined;
      let due = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const row = rows[i]!;
        const t = eventTime ? times[i]! : now;
        if (eventTime && store.isLate(t)) {
          late ??= { rows: [], times: [] };
          late.rows.push(row);
          late.times.push(t);
          continue;
        }
        if (!aggregates.readOrReport(row, context)) continue;
        const arrival = arrivals.value++;
        // In processing time, first/last follow arrival order, whatever the clock does.
        const fires = store.add(row, t, eventTime ? t : arrival, arrival, out);
        if (fires < due) due = fires;
      }
      if (late !== undefined) context.late(late);
      out.drain(context);
      if (!eventTime) requestTimer(due, context);
    },

    onWatermark(watermark: number, context: OperatorContext) {
      if (eventTime) advance(watermark, context);
    },

    onTimer(time: number, context: OperatorContext) {
      timerAt.value = Number.POSITIVE_INFINITY;
      if (eventTime) return;
      advance(time, context);
      requestTimer(store.nextFiring(), context);
    },

    finish(context: OperatorContext) {
      // Event time has normally fired everything at the watermark +Infinity; fire what is left anyway.
      advance(Number.POSITIVE_INFINITY, context);
    },

    metrics: () => ({ openWindows: store.openWindows() }),

    pending: (limit) => ({
      kind: store instanceof SessionStore ? 'session' : 'window',
      time: eventTime ? 'event' : 'processing',
      ...store.pending(limit),
    }),

    // In processing time a window's time is the operator's clock, not the records' times:
    // hold everything back while any window is open.
    heldSince: () =>
      eventTime
        ? store.heldSince()
        : store.openWindows() > 0
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY,
  };
}
