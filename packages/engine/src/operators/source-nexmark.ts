import {
  NEXMARK_EVENT_TYPES,
  type NexmarkSourceConfig,
  parseDuration,
  parseTimestamp,
} from '@sluice/shared';
import { EMPTY_BATCH, START_OF_TIME } from '../batch.js';
import {
  type Auction,
  type Bid,
  type EventSink,
  NexmarkGenerator,
  type Person,
} from '../nexmark/generator.js';
import type { OperatorEnvironment, Source, SourceBatch } from '../operator.js';

/** Events per step: the watermark moves after each step, as it does after a file source's batch. */
const STEP = 1024;
const DEFAULT_BASE_TIME = '2026-01-01T00:00:00Z';

/**
 * The Nexmark generator as a source: each step makes the next 1 024 events
 * and sends each type out of its own port (person, auction, bid), one batch
 * per port. The watermark moves only once every batch of a step has left, so
 * no port sees a watermark ahead of records still to come on another.
 */
export function createNexmarkSource(env: OperatorEnvironment): Source {
  const config = env.node.config as NexmarkSourceConfig;
  const generator = new NexmarkGenerator({
    baseTime: parseTimestamp(config.baseTime ?? DEFAULT_BASE_TIME) ?? 0,
    rate: config.rate ?? 10_000,
    seed: config.seed ?? 0,
  });
  const count = config.count ?? Number.POSITIVE_INFINITY;
  const delay = parseDuration(config.maxOutOfOrderness ?? '0s') ?? 0;
  const emit = new Set(config.emit ?? NEXMARK_EVENT_TYPES);
  const [person, auction, bid] = NEXMARK_EVENT_TYPES.map((t) => emit.has(t));
  let produced = 0;
  let newest = START_OF_TIME;
  const pending: SourceBatch[] = [];
  let pendingNewest = START_OF_TIME;

  const sink = <T>(wanted: boolean | undefined): EventSink<T> | undefined =>
    wanted ? { rows: [], times: [] } : undefined;

  return {
    watermark: () => (newest === START_OF_TIME ? START_OF_TIME : newest - delay - 1),
    async next() {
      if (pending.length === 0) {
        if (produced >= count) return undefined;
        const end = Math.min(count, produced + STEP);
        const sinks = [sink<Person>(person), sink<Auction>(auction), sink<Bid>(bid)] as const;
        generator.fill(produced, end, sinks[0], sinks[1], sinks[2]);
        pendingNewest = generator.time(end - 1);
        produced = end;
        // Last port first, so that pop() hands them out in port order.
        for (let port = sinks.length - 1; port >= 0; port--) {
          const s = sinks[port];
          if (s && s.rows.length > 0) pending.push({ rows: s.rows, times: s.times, port });
        }
        if (pending.length === 0) {
          newest = pendingNewest;
          return EMPTY_BATCH;
        }
      }
      const batch = pending.pop()!;
      if (pending.length === 0) newest = pendingNewest;
      return batch;
    },
    metrics: () => ({ events: produced }),
  };
}
