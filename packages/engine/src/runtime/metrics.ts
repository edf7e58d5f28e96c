// Metrics: plain counters on the hot path, snapshots with rates on demand.

// The snapshot types are the wire's, declared once in @sluice/shared.
export type { EdgeMetrics, JobMetrics, JobStatus, OperatorMetrics } from '@sluice/shared';

/** Counters one operator keeps; incremented per batch, never per record. */
export class OperatorCounters {
  recordsIn = 0;
  recordsOut = 0;
  bytesIn = 0;
  errors = 0;
  late = 0;
  busyMs = 0;
}

/** Turns counter readings into per-second rates over the last interval. */
export class RateMeter {
  #lastAt: number;
  #last = new Map<string, number>();
  #rates = new Map<string, number>();

  constructor(startAt: number) {
    this.#lastAt = startAt;
  }

  /** Takes a reading of every counter; rates become the change since the previous reading. */
  sample(at: number, readings: Iterable<[string, number]>): void {
    const seconds = (at - this.#lastAt) / 1000;
    if (seconds <= 0) return;
    const next = new Map<string, number>();
    for (const [key, value] of readings) {
      next.set(key, value);
      this.#rates.set(key, Math.max(0, (value - (this.#last.get(key) ?? 0)) / seconds));
    }
    this.#last = next;
    this.#lastAt = at;
  }

  rate(key: string): number {
    return this.#rates.get(key) ?? 0;
  }
}
