// What an operator still holds after a run, cut and restored or not: the
// output alone does not show state that only costs memory or holds input
// back (records kept past their use, a lost expiry index), so a checkpoint
// test compares this too. The snapshot crosses v8.serialize, as on disk.
import { deserialize, serialize } from 'node:v8';
import { ManualClock } from '../runtime/clock.js';
import type { Step } from './checkpoint.js';
import {
  type Harness,
  type HarnessOptions,
  type HarnessSnapshot,
  operatorHarness,
} from './harness.js';

export interface Held {
  /** The operator's snapshot as plain data (its store, input watermark and timer). */
  readonly snapshot: HarnessSnapshot;
  readonly metrics: Record<string, number> | undefined;
}

function apply(h: Harness, step: Step): void {
  if ('push' in step) h.push(step.push.rows, step.push.times, step.push.port);
  else if ('watermark' in step) h.watermark(step.watermark);
  else if ('advance' in step) h.advance(step.advance);
  else h.finish();
}

function roundTrip(h: Harness): HarnessSnapshot {
  return deserialize(serialize(h.snapshot())) as HarnessSnapshot;
}

/** Runs the steps, restoring into a fresh operator at `cut` when given, and returns what is held at the end. */
export function heldAfter(options: HarnessOptions, steps: readonly Step[], cut?: number): Held {
  let h = operatorHarness(options);
  const at = cut ?? steps.length;
  for (const step of steps.slice(0, at)) apply(h, step);
  if (cut !== undefined) {
    const clock = new ManualClock(h.clock.now());
    h = operatorHarness({ ...options, clock, restore: roundTrip(h) });
    for (const step of steps.slice(at)) apply(h, step);
  }
  return { snapshot: roundTrip(h), metrics: h.operator.metrics?.() };
}
