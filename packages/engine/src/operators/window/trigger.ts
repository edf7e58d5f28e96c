// When a window fires, apart from which windows there are and what they
// hold. `progress` is the time up to which windows have fired: the
// watermark in event time, the clock of the last timer in processing time.
// It is operator state, kept in a cell of the operator's store.
import type { Cell } from '../../runtime/state.js';

/**
 * A window [start, end) fires once when progress reaches end − 1, fires
 * again at once on every update until progress reaches end − 1 + lateness,
 * and is then cleaned up; a record whose windows are all cleaned up is late.
 */
export class WindowTrigger {
  readonly #progress: Cell<number>;

  constructor(
    readonly lateness: number,
    progress: Cell<number> = { value: Number.NEGATIVE_INFINITY },
  ) {
    if (!(lateness >= 0)) throw new Error(`allowed lateness ${lateness} must not be negative`);
    this.#progress = progress;
  }

  get progress(): number {
    return this.#progress.value;
  }

  set progress(progress: number) {
    this.#progress.value = progress;
  }

  /** Whether the window ending at `end` has fired, so an update re-fires it at once. */
  fired(end: number): boolean {
    return end - 1 <= this.progress;
  }

  /** Whether the window ending at `end` is past its allowed lateness: its state is dropped. */
  expired(end: number): boolean {
    return end - 1 + this.lateness <= this.progress;
  }

  /** Whether the window ending at `end` fires when progress moves on to `upTo`. */
  firesBy(end: number, upTo: number): boolean {
    return end - 1 > this.progress && end - 1 <= upTo;
  }
}
