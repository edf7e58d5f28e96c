// What the window.aggregate tests share: a harness over (user, amount)
// records grouped by user, with a count and a sum, and compact output rows.
import type { Row } from '../batch.js';
import type { ManualClock } from '../runtime/clock.js';
import { operatorHarness, stream } from './harness.js';

const FIELDS: Parameters<typeof stream>[0] = [
  ['user', 'string'],
  ['amount', 'long'],
];

export function windowAggregate(config: Record<string, unknown> = {}, clock?: ManualClock) {
  return operatorHarness({
    kind: 'window.aggregate',
    config: {
      window: { type: 'tumbling', size: '10ms' },
      groupBy: ['user'],
      aggregates: [
        { name: 'n', fn: 'count' },
        { name: 'total', fn: 'sum', expr: 'amount' },
      ],
      ...config,
    },
    inputs: [stream(FIELDS, config.time === 'processing' ? 'processing' : 'event')],
    ...(clock ? { clock } : {}),
  });
}

/** Rows as compact tuples: user, start, end, n, total. */
export function tuples(rows: Row[]) {
  return rows.map((r) => [r.user, r.window_start, r.window_end, r.n, r.total]);
}

export const rec = (user: string | null, amount: number | null = 1): Row => ({ user, amount });
