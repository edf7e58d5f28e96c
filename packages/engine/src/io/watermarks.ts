import { type EventTimeConfig, parseDuration } from '@sluice/shared';
import { START_OF_TIME } from '../batch.js';

/**
 * Flink's bounded-out-of-orderness watermarks: the largest event time seen,
 * minus the bound, minus 1 ms (a watermark W promises no more records at or
 * before W, so a record exactly `bound` behind the newest is still on time).
 */
export class BoundedOutOfOrderness {
  #max = START_OF_TIME;
  readonly #bound: number;

  constructor(boundMs: number) {
    this.#bound = boundMs;
  }

  static from(config: EventTimeConfig): BoundedOutOfOrderness {
    return new BoundedOutOfOrderness(parseDuration(config.maxOutOfOrderness) ?? 0);
  }

  observe(times: readonly number[]): void {
    let max = this.#max;
    for (let i = 0; i < times.length; i++) if (times[i]! > max) max = times[i]!;
    this.#max = max;
  }

  current(): number {
    return this.#max === START_OF_TIME ? START_OF_TIME : this.#max - this.#bound - 1;
  }

  /** The largest event time seen: all a checkpoint needs to go on. */
  get newest(): number {
    return this.#max;
  }

  set newest(max: number) {
    this.#max = max;
  }
}

/** The idle timeout of a source's event-time config, in ms. */
export function idleTimeoutOf(config: EventTimeConfig | undefined): number | undefined {
  return config?.idleTimeout === undefined ? undefined : parseDuration(config.idleTimeout);
}
