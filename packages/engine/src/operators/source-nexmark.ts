import { NEXMARK_EVENT_TYPES, type sourceNexmark } from '@sluice/shared';
import { EMPTY_BATCH, START_OF_TIME } from '../batch.js';
import {
  type Auction,
  type Bid,
  type EventSink,
  NexmarkGenerator,
  type Person,
} from '../nexmark/generator.js';
import type { EnvironmentOf, Source, SourceBatch } from '../operator.js';
import { validDuration, validTimestamp } from './compile.js';

interface NexmarkPosition {
  readonly produced: number;
  readonly newest: number;
  readonly pending: SourceBatch[];
  readonly pendingNewest: number;
}

/** Events per step: the watermark moves after each step, as it does after a file source's batch. */
const STEP = 1024;

/**
 * The Nexmark generator as a source: each step makes the next 1 024 events
 * and sends each type out of its own port (person, auction, bid), one batch
 * per port. The watermark moves only once every batch of a step has left, so
 * no port sees a watermark ahead of records still to come on another.
 */
export function createNexmarkSource(env: EnvironmentOf<typeof sourceNexmark>): Source {
  const { config } = env;
  const generator = new NexmarkGenerator({
    baseTime: validTimestamp(config.baseTime),
    rate: config.rate,
    seed: config.seed,
  });
  // +Infinity when no count is set (Unbounded in the declaration).
  const count = config.count;
  const delay = validDuration(config.maxOutOfOrderness);
  const emit = new Set(config.emit);
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
    // The batches of a step still to hand out go into the checkpoint as they are: at most two.
    position: () => ({ produced, newest, pending: [...pending], pendingNewest }),
    restore(position) {
      const saved = position as NexmarkPosition;
      produced = saved.produced;
      newest = saved.newest;
      pending.push(...saved.pending);
      pendingNewest = saved.pendingNewest;
    },
  };
}
