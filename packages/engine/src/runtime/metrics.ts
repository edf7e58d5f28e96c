// Metrics: plain counters on the hot path, snapshots with rates on demand.

export type JobStatus = 'running' | 'finished' | 'failed' | 'stopped';

/** Counters one operator keeps; incremented per batch, never per record. */
export class OperatorCounters {
  recordsIn = 0;
  recordsOut = 0;
  bytesIn = 0;
  errors = 0;
  late = 0;
  busyMs = 0;
}

export interface OperatorMetrics {
  readonly nodeId: string;
  readonly kind: string;
  readonly recordsIn: number;
  readonly recordsOut: number;
  /** Bytes read, for sources that know it. */
  readonly bytesIn: number;
  readonly inPerSecond: number;
  readonly outPerSecond: number;
  readonly errors: number;
  readonly late: number;
  /** The event-time watermark (epoch ms); null before the first one and once the input has ended. */
  readonly watermark: number | null;
  /** How far the watermark is behind processing time, in ms, or null. */
  readonly watermarkLagMs: number | null;
  readonly stateKeys: number;
  readonly stateBytes: number;
  /** Share of the last interval spent in this operator's own code, 0 to 1. */
  readonly busy: number;
  /** Records or bytes waiting to be written (sinks), a sign of backpressure. */
  readonly backlog: number;
  /** Whether the source is idle and not holding back the watermark. */
  readonly idle: boolean;
  /** Kind-specific figures, such as a window's open windows. */
  readonly extra: Readonly<Record<string, number>>;
  /** What is wrong while the operator keeps going (such as Kafka unreachable); absent when all is well. */
  readonly condition?: string;
}

export interface EdgeMetrics {
  readonly edgeId: string;
  readonly source: string;
  readonly target: string;
  readonly records: number;
  readonly perSecond: number;
}

export interface JobMetrics {
  readonly status: JobStatus;
  /** Processing time of this snapshot. */
  readonly at: number;
  readonly startedAt: number;
  readonly uptimeMs: number;
  /** Records read by all sources. */
  readonly recordsIn: number;
  /** Records received by all sinks. */
  readonly recordsOut: number;
  readonly errors: number;
  readonly late: number;
  readonly operators: readonly OperatorMetrics[];
  readonly edges: readonly EdgeMetrics[];
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
