// Checks that an operator's checkpoint is complete: a run cut anywhere,
// snapshotted, and continued in a fresh operator restored from the snapshot
// gives exactly what the uninterrupted run gives, and holds the same state at
// the end (the output alone does not show state that only costs memory or
// holds input back: records kept past their use, a lost expiry index). The
// snapshot crosses v8.serialize on the way, as it does to disk.
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Row } from '../batch.js';
import { ManualClock } from '../runtime/clock.js';
import {
  type Harness,
  type HarnessOptions,
  type HarnessSnapshot,
  operatorHarness,
} from './harness.js';

/** One call into an operator, as a job makes it. */
export type Step =
  | { readonly push: { readonly rows: Row[]; readonly times: number[]; readonly port?: number } }
  | { readonly watermark: number }
  | { readonly advance: number }
  | { readonly finish: true };

export interface RunOutput {
  /** Per output port, what was emitted. */
  readonly emitted: { rows: Row[]; times: number[] }[];
  readonly late: Row[];
  readonly errors: { row: unknown; reason: string }[];
  /** What the operator holds at the end: its snapshot, and its own figures. */
  readonly held: { snapshot: HarnessSnapshot; metrics: Record<string, number> | undefined };
}

/** Makes one call into the operator a harness drives. */
export function apply(h: Harness, step: Step): void {
  if ('push' in step) h.push(step.push.rows, step.push.times, step.push.port);
  else if ('watermark' in step) h.watermark(step.watermark);
  else if ('advance' in step) h.advance(step.advance);
  else h.finish();
}

function outputOf(h: Harness): RunOutput {
  const emitted = h.outputs.map((_, port) => {
    const { rows, times } = h.emitted(port);
    return { rows: [...rows], times: [...times] };
  });
  return {
    emitted,
    late: [...h.late],
    errors: [...h.errors],
    held: { snapshot: roundTrip(h), metrics: h.operator.metrics?.() },
  };
}

function roundTrip(h: Harness): HarnessSnapshot {
  return deserialize(serialize(h.snapshot())) as HarnessSnapshot;
}

/** Runs the steps on one operator. */
export function runUninterrupted(options: HarnessOptions, steps: readonly Step[]): RunOutput {
  const h = operatorHarness(options);
  for (const step of steps) apply(h, step);
  return outputOf(h);
}

/**
 * Runs steps[0, cut) on one operator, snapshots it, restores the snapshot
 * into a fresh operator (its processing clock where the first one's was), and
 * runs the rest there. Returns the two halves' output joined.
 */
export function runWithRestore(
  options: HarnessOptions,
  steps: readonly Step[],
  cut: number,
): RunOutput {
  const first = operatorHarness(options);
  for (const step of steps.slice(0, cut)) apply(first, step);
  const snapshot = roundTrip(first);
  const before = outputOf(first);
  const clock = new ManualClock(first.clock.now());
  const second = operatorHarness({ ...options, clock, restore: snapshot });
  for (const step of steps.slice(cut)) apply(second, step);
  const after = outputOf(second);
  return {
    emitted: before.emitted.map((b, port) => ({
      rows: [...b.rows, ...after.emitted[port]!.rows],
      times: [...b.times, ...after.emitted[port]!.times],
    })),
    late: [...before.late, ...after.late],
    errors: [...before.errors, ...after.errors],
    held: after.held,
  };
}

/**
 * Random calls into an operator: batches of records from `record` (with an
 * event time each), watermarks that mostly move on, processing time passing,
 * and the end of input last when `finish` is set.
 */
export function stepsOf<R extends Row>(
  record: fc.Arbitrary<{ row: R; t: number }>,
  options: { ports?: number; finish?: boolean; maxSteps?: number } = {},
): fc.Arbitrary<Step[]> {
  const ports = options.ports ?? 1;
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .record({
          records: fc.array(record, { minLength: 1, maxLength: 5 }),
          port: fc.integer({ min: 0, max: ports - 1 }),
        })
        .map(({ records, port }) => ({
          push: { rows: records.map((r) => r.row), times: records.map((r) => r.t), port },
        })),
    },
    {
      weight: 2,
      arbitrary: fc.integer({ min: -60, max: 260 }).map((watermark) => ({ watermark })),
    },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }).map((advance) => ({ advance })) },
  );
  return fc
    .array(step, { maxLength: options.maxSteps ?? 30 })
    .map((steps) => (options.finish === false ? steps : [...steps, { finish: true as const }]));
}

/** Steps and where to cut them. */
export function cutSteps(
  steps: fc.Arbitrary<Step[]>,
): fc.Arbitrary<{ steps: Step[]; cut: number }> {
  return steps.chain((s) =>
    fc.integer({ min: 0, max: s.length }).map((cut) => ({ steps: s, cut })),
  );
}

/** Runs of `record` that end with the end of input or without it (what is still held shows then). */
export function stepsEndingOrNot<R extends Row>(
  record: fc.Arbitrary<{ row: R; t: number }>,
  options: { ports?: number } = {},
): fc.Arbitrary<Step[]> {
  return fc.boolean().chain((finish) => stepsOf(record, { ...options, finish }));
}

/**
 * Asserts that random runs, cut at a random step and restored into a fresh
 * operator, give the uninterrupted run's output and final state.
 */
export function checkRestores(
  options: HarnessOptions,
  steps: fc.Arbitrary<Step[]>,
  numRuns: number,
): void {
  fc.assert(
    fc.property(cutSteps(steps), ({ steps, cut }) => {
      expect(runWithRestore(options, steps, cut)).toEqual(runUninterrupted(options, steps));
    }),
    { numRuns },
  );
}
