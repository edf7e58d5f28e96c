import type { ConfigOf, sourceDatagen } from '@sluice/shared';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { type Batch, EMPTY_BATCH, type Row, START_OF_TIME } from '../batch.js';
import { BoundedOutOfOrderness, idleTimeoutOf } from '../io/watermarks.js';
import type { EnvironmentOf, Source, SourceContext } from '../operator.js';
import { validDuration, validTimestamp } from './compile.js';

const BATCH = 1024;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

interface DatagenPosition {
  readonly produced: number;
  readonly rng: readonly number[];
  readonly startedAt: number;
  readonly newest: number;
}

type ValueMaker = (index: number, rng: RandomGenerator) => unknown;
type Generator = ConfigOf<typeof sourceDatagen>['fields'][number]['generator'];

/**
 * Generates records from per-field generators. One seeded generator draws
 * every random value in a fixed order, so the same seed gives the same
 * records whatever the batch sizes or the rate.
 */
export function createDatagen(env: EnvironmentOf<typeof sourceDatagen>): Source {
  const { config } = env;
  let rng: RandomGenerator = xoroshiro128plus(config.seed);
  let startedAt = env.clock.now();
  // +Infinity when no count is set (Unbounded in the declaration).
  const count = config.count;
  const rate = config.rate;
  const names = config.fields.map((f) => f.name);
  let makers = config.fields.map((f) => maker(f.generator, f.type, rate, startedAt));
  /** Since when the rate counts (undefined after a restore, until the first batch). */
  let pacedFrom: number | undefined = startedAt;
  const nullRates = config.fields.map((f) => f.nullRate);
  const timeField = config.eventTime?.field;
  const watermarks = config.eventTime ? BoundedOutOfOrderness.from(config.eventTime) : undefined;
  let produced = 0;

  const make = (n: number, context: SourceContext): Batch => {
    const rows: Row[] = [];
    const times: number[] = [];
    const now = context.now();
    for (let i = 0; i < n; i++) {
      const index = produced + i;
      const row: Row = {};
      for (let f = 0; f < names.length; f++) {
        const nullRate = nullRates[f]!;
        row[names[f]!] =
          nullRate > 0 && uniformFloat64(rng) < nullRate ? null : makers[f]!(index, rng);
      }
      if (timeField === undefined) {
        rows.push(row);
        times.push(now);
      } else if (typeof row[timeField] === 'number') {
        rows.push(row);
        times.push(row[timeField] as number);
      } else {
        context.error(row, `The event time field '${timeField}' is NULL.`);
      }
    }
    produced += n;
    watermarks?.observe(times);
    return { rows, times };
  };

  return {
    idleTimeoutMs: idleTimeoutOf(config.eventTime),
    // Without event time, no watermark: the runtime keeps it at the start of time.
    ...(watermarks ? { watermark: () => watermarks.current() } : {}),
    // The generator's state after the last record: the same records follow a restore.
    position: (): DatagenPosition => ({
      produced,
      rng: rng.getState(),
      startedAt,
      newest: watermarks?.newest ?? START_OF_TIME,
    }),
    restore(position) {
      const saved = position as DatagenPosition;
      produced = saved.produced;
      rng = xoroshiro128plusFromState(saved.rng);
      // Timestamps count from the first start, as if the job had never stopped; the rate goes
      // on at its speed from here (a restore does not catch up on the time it was down).
      startedAt = saved.startedAt;
      pacedFrom = undefined;
      makers = config.fields.map((f) => maker(f.generator, f.type, rate, startedAt));
      if (watermarks) watermarks.newest = saved.newest;
    },
    async next(context) {
      if (produced >= count) return undefined;
      const most = Math.min(BATCH, context.maxRows ?? BATCH);
      if (rate === undefined) return make(Math.min(most, count - produced), context);
      pacedFrom ??= context.now() - (produced * 1000) / rate;
      for (;;) {
        const due = Math.min(count, Math.floor(((context.now() - pacedFrom) * rate) / 1000) + 1);
        if (due > produced) return make(Math.min(most, due - produced), context);
        const wait = Math.max(5, ((produced + 1) * 1000) / rate - (context.now() - pacedFrom));
        if (!(await context.sleep(wait))) return EMPTY_BATCH;
      }
    },
  };
}

function maker(
  generator: Generator,
  type: string,
  rate: number | undefined,
  startedAt: number,
): ValueMaker {
  switch (generator.kind) {
    case 'sequence': {
      const { start, step } = generator;
      return (i) => start + i * step;
    }
    case 'random': {
      const { min, max } = generator;
      if (type === 'long') {
        const lo = Math.ceil(min);
        const hi = Math.floor(max);
        return (_, rng) => uniformInt(rng, lo, hi);
      }
      return (_, rng) => min + uniformFloat64(rng) * (max - min);
    }
    case 'choice': {
      const { values } = generator;
      const weights = generator.weights ?? values.map(() => 1);
      const total = weights.reduce((a, b) => a + b, 0);
      let sum = 0;
      const cumulative = weights.map((w) => (sum += w / total));
      return (_, rng) => {
        const u = uniformFloat64(rng);
        for (let i = 0; i < cumulative.length; i++) if (u < cumulative[i]!) return values[i];
        return values[values.length - 1];
      };
    }
    case 'timestamp': {
      // Without a start, the job's start; without a step, the rate's spacing (1ms without a rate).
      const start = generator.start === undefined ? startedAt : validTimestamp(generator.start);
      const step =
        generator.step === undefined ? (rate ? 1000 / rate : 1) : validDuration(generator.step);
      const maxDelay = validDuration(generator.maxDelay);
      if (maxDelay === 0) return (i) => Math.floor(start + i * step);
      return (i, rng) => Math.floor(start + i * step) - uniformInt(rng, 0, maxDelay);
    }
    case 'text': {
      const { length } = generator;
      return (_, rng) => {
        let text = '';
        for (let i = 0; i < length; i++) text += LETTERS[uniformInt(rng, 0, 25)];
        return text;
      };
    }
  }
}
