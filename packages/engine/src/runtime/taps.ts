// A tap samples the records flowing on an edge of a running job, bounded in
// rate and batch size, without redeploying.
import type { TapSample } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';

export interface TapOptions {
  /** At most this many records per second reach the listener (default 20). */
  readonly perSecond?: number;
}

export type { TapSample } from '@sluice/shared';

export class Tap {
  readonly #edgeId: string;
  readonly #perSecond: number;
  readonly #listener: (sample: TapSample) => void;
  #second = Number.NEGATIVE_INFINITY;
  #taken = 0;

  constructor(edgeId: string, options: TapOptions, listener: (sample: TapSample) => void) {
    this.#edgeId = edgeId;
    this.#perSecond = Math.max(1, Math.min(1000, Math.floor(options.perSecond ?? 20)));
    this.#listener = listener;
  }

  /** Takes what the rate allows from a batch; cheap when the budget is spent. */
  offer(batch: Batch, now: number): void {
    const second = Math.floor(now / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#taken = 0;
    }
    const room = this.#perSecond - this.#taken;
    if (room <= 0) return;
    const n = batch.rows.length;
    const take = Math.min(room, n);
    // Spread the sample over the batch rather than taking only its head.
    const step = n / take;
    const rows: Row[] = [];
    const times: number[] = [];
    for (let i = 0; i < take; i++) {
      const at = Math.floor(i * step);
      rows.push(batch.rows[at]!);
      times.push(batch.times[at]!);
    }
    this.#taken += take;
    this.#listener({ edgeId: this.#edgeId, rows, times });
  }
}
