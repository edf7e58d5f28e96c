// The source loops of a job: each source is asked for batches one after
// another, and each batch goes through the whole graph before the next;
// between batches the loop yields to timers and stop requests, waits while
// the sinks hold too much unwritten (backpressure), and notes the source's
// position for checkpoints. Batches are sized by the time they take.
import { START_OF_TIME } from '../batch.js';
import type { SourceContext } from '../operator.js';
import type { Clock } from './clock.js';
import type { StopRequest } from './job.js';
import type { BusyTimer, RunningNode } from './node.js';

/** The time one source batch should take through the graph; batches shrink to fit it. */
const BATCH_TARGET_MS = 50;
/** Rows a source is first asked for, and at most (sources cap it with their own size too). */
const FIRST_BATCH_ROWS = 64;
const MAX_BATCH_ROWS = 4096;

export interface SourceLoopHost {
  readonly clock: Clock;
  readonly busy: BusyTimer;
  readonly nodes: readonly RunningNode[];
  /** Sinks holding more than this many records unwritten slow the sources down. */
  readonly maxBacklog: number;
  /** A stop asked for between batches (see JobOptions.stopRequested). */
  readonly stopRequested: (() => StopRequest | undefined) | undefined;
  stopping(): boolean;
  failed(): boolean;
  stop(asked: StopRequest): void;
  recordError(node: RunningNode, row: unknown, reason: string): void;
  fail(node: RunningNode, error: unknown): void;
}

export class SourceLoops {
  readonly #host: SourceLoopHost;
  readonly #loops = new Set<Promise<void>>();
  readonly #lastBatchAt = new Map<RunningNode, number>();
  readonly #sleepers = new Set<() => void>();
  #signal!: () => void;
  /** Resolves when the job stops: sources subscribe once. */
  readonly stopped: Promise<void>;

  constructor(host: SourceLoopHost) {
    this.#host = host;
    this.stopped = new Promise((resolve) => {
      this.#signal = resolve;
    });
  }

  /** Tells every source the job is stopping: sleeps end at once. */
  signalStop(): void {
    for (const wake of this.#sleepers) wake();
    this.#sleepers.clear();
    this.#signal();
  }

  run(node: RunningNode): void {
    this.#loops.add(this.#loop(node));
  }

  /** Resolves once every loop has returned (each stops between batches). */
  async exited(): Promise<void> {
    await Promise.all([...this.#loops]);
  }

  async #loop(node: RunningNode): Promise<void> {
    const source = node.source!;
    let maxRows = FIRST_BATCH_ROWS;
    const context: SourceContext = {
      now: () => this.#host.clock.now(),
      sleep: (ms) => this.#sleep(ms),
      stopped: this.stopped,
      error: (row, reason) => this.#host.recordError(node, row, reason),
      get maxRows() {
        return maxRows;
      },
    };
    let lastYield = performance.now();
    this.#lastBatchAt.set(node, this.#host.clock.now());
    try {
      while (!this.#host.stopping()) {
        const asked = this.#host.stopRequested?.();
        if (asked) {
          this.#host.stop(asked);
          return;
        }
        await this.#waitForRoom();
        const batch = await source.next(context);
        if (this.#host.failed()) return;
        if (!batch) {
          if (!this.#host.stopping()) {
            node.position = source.position?.();
            node.finish();
          }
          return;
        }
        if (batch.rows.length > 0) {
          this.#lastBatchAt.set(node, this.#host.clock.now());
          node.sourceIdle(false);
          this.#host.busy.enter(node.counters);
          const began = performance.now();
          try {
            node.emit(batch, batch.port ?? 0);
          } finally {
            this.#host.busy.exit();
          }
          maxRows = nextBatchRows(maxRows, batch.rows.length, performance.now() - began);
        }
        node.sourceWatermark(source.watermark?.() ?? START_OF_TIME);
        // Taken with the batch, so a checkpoint between batches has the position that goes with it.
        if (source.position) node.position = source.position();
        // Let timers, stop requests and other sources run between batches.
        if (performance.now() - lastYield > 10) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
    } catch (error) {
      this.#host.fail(node, error);
    }
  }

  #sleep(ms: number): Promise<boolean> {
    if (this.#host.stopping()) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        cancel();
        resolve(false);
      };
      const cancel = this.#host.clock.schedule(ms, () => {
        this.#sleepers.delete(wake);
        resolve(true);
      });
      this.#sleepers.add(wake);
    });
  }

  /** Waits while the sinks hold too much unwritten; a sink that cannot write fails the job there. */
  async #waitForRoom(): Promise<void> {
    for (const node of this.#host.nodes) {
      const operator = node.operator;
      if (!operator?.backlog || !operator.flush || operator.backlog() <= this.#host.maxBacklog)
        continue;
      try {
        await operator.flush();
      } catch (error) {
        this.#host.fail(node, error);
      }
    }
  }

  /** Sources without a batch for their idle timeout stop holding back the watermark downstream. */
  checkIdle(now: number, sources: readonly RunningNode[]): void {
    for (const node of sources) {
      const timeout = node.source?.idleTimeoutMs;
      if (timeout === undefined || node.finished) continue;
      if (now - (this.#lastBatchAt.get(node) ?? now) >= timeout) node.sourceIdle(true);
    }
  }
}

/**
 * How many rows to ask a source for next, after `rows` took `ms` through the
 * graph: about BATCH_TARGET_MS worth, so a costly expression gives small
 * batches (and a prompt stop) while a cheap graph keeps large ones.
 */
export function nextBatchRows(asked: number, rows: number, ms: number): number {
  if (ms > BATCH_TARGET_MS) return Math.max(1, Math.floor((rows * BATCH_TARGET_MS) / ms));
  if (ms < BATCH_TARGET_MS / 4 && rows >= asked) return Math.min(MAX_BATCH_ROWS, asked * 2);
  return asked;
}
