// Which windows a record belongs to. Windows are aligned to the epoch and
// hold [start, end): a window is complete once time reaches end − 1.
import type { WindowConfig } from '@sluice/shared';
import { validDuration } from '../compile.js';

/**
 * Tumbling and hopping windows, cut into panes of `slide` milliseconds: a
 * window of `size` is the size/slide panes before its end, so overlapping
 * windows share the work done per pane. Tumbling is the case slide = size.
 */
export class PaneAssigner {
  /** Panes in one window. */
  readonly panesPerWindow: number;

  constructor(
    readonly size: number,
    readonly slide: number,
  ) {
    if (!(slide > 0 && size > 0 && Number.isSafeInteger(size) && Number.isSafeInteger(slide))) {
      throw new Error(`window size ${size} and slide ${slide} must be positive whole milliseconds`);
    }
    if (size % slide !== 0) {
      throw new Error(`window size ${size} must be a whole multiple of its slide ${slide}`);
    }
    this.panesPerWindow = size / slide;
  }

  /** Start of the pane holding time `t`; exact for negative times too. */
  paneOf(t: number): number {
    const rest = t % this.slide;
    return rest < 0 ? t - rest - this.slide : t - rest;
  }

  /** End of the earliest window that holds the pane starting at `pane`. */
  firstEnd(pane: number): number {
    return pane + this.slide;
  }

  /** End of the latest window that holds the pane: the pane lives until that window is done. */
  lastEnd(pane: number): number {
    return pane + this.size;
  }

  /** The smallest window end greater than `time` (±Infinity stay as they are). */
  endAfter(time: number): number {
    return Number.isFinite(time) ? this.paneOf(time) + this.slide : time;
  }
}

/**
 * Session windows: a record at t opens [t, t + gap); sessions of a key that
 * overlap or touch merge, as in Flink: a record exactly one gap after the
 * last one continues its session.
 */
export class SessionAssigner {
  constructor(readonly gap: number) {
    if (!(gap > 0 && Number.isSafeInteger(gap))) {
      throw new Error(`session gap ${gap} must be a positive whole number of milliseconds`);
    }
  }

  /** Whether [start, end) overlaps or touches the session a record at `t` opens. */
  merges(start: number, end: number, t: number): boolean {
    return start <= t + this.gap && t <= end;
  }
}

export type WindowAssigner = PaneAssigner | SessionAssigner;

export function assignerFor(window: WindowConfig): WindowAssigner {
  switch (window.type) {
    case 'tumbling':
      return new PaneAssigner(validDuration(window.size), validDuration(window.size));
    case 'hopping':
      return new PaneAssigner(validDuration(window.size), validDuration(window.slide));
    case 'session':
      return new SessionAssigner(validDuration(window.gap));
  }
}
