// What `runWithRestore` does not compare: what an operator shows besides its
// output — its metrics, its view for the canvas (`inspect`) and what it
// printed. A restored job must show what the uninterrupted one shows, at the
// cut and at the end. The snapshot crosses v8.serialize, as in checkpoint.ts.
import { deserialize, serialize } from 'node:v8';
import { ManualClock } from '../runtime/clock.js';
import { apply, type Step } from './checkpoint.js';
import {
  type Harness,
  type HarnessOptions,
  type HarnessSnapshot,
  operatorHarness,
} from './harness.js';

export interface Shown {
  readonly metrics: Record<string, number> | undefined;
  readonly view: unknown;
  /** Everything printed to stdout so far (console sinks). */
  readonly printed: string;
}

interface Printing {
  readonly h: Harness;
  readonly printed: () => string;
}

function start(options: HarnessOptions, printedBefore = ''): Printing {
  let printed = printedBefore;
  const h = operatorHarness({
    ...options,
    stdout: (text) => {
      printed += text;
    },
  });
  return { h, printed: () => printed };
}

function shown({ h, printed }: Printing): Shown {
  // The view is cloned: it may share arrays with the operator's state, which moves on.
  return {
    metrics: h.operator.metrics?.(),
    view: structuredClone(h.operator.inspect?.()),
    printed: printed(),
  };
}

/** What the operator shows after all the steps. */
export function shownUninterrupted(options: HarnessOptions, steps: readonly Step[]): Shown {
  const run = start(options);
  for (const step of steps) apply(run.h, step);
  return shown(run);
}

/**
 * Runs steps[0, cut) on one operator, restores its snapshot into a fresh one
 * and runs the rest there: what the first showed at the cut, what the
 * restored one showed right after the restore, and what it shows at the end
 * (`printed` is both operators' output joined).
 */
export function shownWithRestore(
  options: HarnessOptions,
  steps: readonly Step[],
  cut: number,
): { atCut: Shown; restored: Shown; end: Shown } {
  const first = start(options);
  for (const step of steps.slice(0, cut)) apply(first.h, step);
  const snapshot = deserialize(serialize(first.h.snapshot())) as HarnessSnapshot;
  const atCut = shown(first);
  const clock = new ManualClock(first.h.clock.now());
  const second = start({ ...options, clock, restore: snapshot }, atCut.printed);
  const restored = shown(second);
  for (const step of steps.slice(cut)) apply(second.h, step);
  return { atCut, restored, end: shown(second) };
}
