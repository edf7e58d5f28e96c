// Deterministic inputs for the golden tests: seeded records with NULLs,
// bounded disorder and some clearly late records, written as JSON Lines.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Field } from '@sluice/shared';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type Value = string | number | boolean | null;
/** A record: timestamps as epoch ms, as the engine holds them. */
export type Row = { [field: string]: Value };

/** The file source reads 1024 records a batch and moves the watermark after each batch. */
export const SOURCE_BATCH = 1024;

/** 2024-05-01T10:00:00Z: far from the epoch, aligned to every window size used here. */
export const START = Date.UTC(2024, 4, 1, 10);

export class Random {
  readonly #rng: RandomGenerator;

  constructor(seed: number) {
    this.#rng = xoroshiro128plus(seed);
  }

  /** An integer in [from, to]. */
  int(from: number, to: number): number {
    return uniformInt(this.#rng, from, to);
  }

  chance(p: number): boolean {
    return uniformFloat64(this.#rng) < p;
  }

  pick<T>(values: readonly T[]): T {
    return values[this.int(0, values.length - 1)]!;
  }

  /** NULL with probability `p`, otherwise `make()`. */
  maybe<T>(p: number, make: () => T): T | null {
    return this.chance(p) ? null : make();
  }
}

export interface TimelineOptions {
  readonly count: number;
  readonly start?: number;
  /** The newest time advances by 0..maxStep ms per record. */
  readonly maxStep: number;
  /** Every time is a multiple of this (coarse times make ties for first/last). */
  readonly granularity: number;
  /** Records arrive up to this far behind the newest (inclusive); multiple of granularity. */
  readonly maxDisorder: number;
  /** Share of records made late: after the first two batches, or only in the tails of holds. */
  readonly lateShare?: number;
  /** How far behind the watermark a late record is placed, ms. */
  readonly lateBy?: readonly [number, number];
  /**
   * After every `every` records, `length` records during which the newest
   * time stands still. A hold longer than a batch gives its tail a watermark
   * that no batch boundary can change, so records there can be only a little
   * late (within allowed lateness, or in some of their hopping windows).
   */
  readonly holds?: Holds;
}

export interface Holds {
  readonly every: number;
  readonly length: number;
  /** Moves each hold's newest time up to `phase` modulo `period`, to put a window edge where a test wants it. */
  readonly align?: { readonly period: number; readonly phase: number };
}

/**
 * Event times in arrival order. Every on-time record is at most `maxDisorder`
 * behind the newest so far; with `lateShare`, some records are placed
 * `lateBy` further behind instead. Whether those are really late for a given
 * window is settled by `settleLateness`.
 */
export function timeline(random: Random, options: TimelineOptions): number[] {
  const { count, maxStep, granularity: g, maxDisorder } = options;
  const start = options.start ?? START;
  const [lateMin, lateMax] = options.lateBy ?? [0, 0];
  const holds = options.holds;
  const times: number[] = [];
  let newest = start;
  let advancing = 0;
  let held = 0;
  for (let i = 0; i < count; i++) {
    if (holds && held === 0 && advancing === holds.every) {
      advancing = 0;
      held = holds.length;
      if (holds.align) newest += mod(holds.align.phase - newest, holds.align.period);
    }
    const holding = held > 0;
    if (holding) held--;
    else {
      advancing++;
      newest += Math.round(random.int(0, maxStep) / g) * g;
    }
    // Position in the hold, from 1; the first record of a hold sets the newest time it holds.
    const position = holding ? holds!.length - held : 0;
    const mayBeLate = holds ? position > SOURCE_BATCH : i >= 2 * SOURCE_BATCH;
    if (position === 1) {
      times.push(newest);
    } else if (mayBeLate && options.lateShare && random.chance(options.lateShare)) {
      times.push(newest - maxDisorder - Math.round(random.int(lateMin, lateMax) / g) * g);
    } else {
      times.push(newest - Math.round(random.int(0, maxDisorder) / g) * g);
    }
  }
  return times;
}

/** The windows [start, end) a record at `time` is assigned to. */
export type Assign = (time: number) => readonly (readonly [number, number])[];

export const tumbling =
  (size: number): Assign =>
  (time) => {
    const start = time - mod(time, size);
    return [[start, start + size]];
  };

export const hopping =
  (size: number, slide: number): Assign =>
  (time) => {
    const last = time - mod(time, slide);
    const windows: [number, number][] = [];
    for (let start = last; start > time - size; start -= slide) windows.push([start, start + size]);
    return windows;
  };

/**
 * Moves records whose lateness could depend on batch boundaries further into
 * the past, until it cannot. A record joins window w iff w.end − 1 +
 * lateness > the watermark at its arrival; that watermark lies between the
 * one after the previous record (the per-record value the SQL uses) and the
 * one `SOURCE_BATCH` records earlier (the worst a batch can lag). A record
 * must join the same windows under both. Returns how many were moved.
 */
export function settleLateness(
  times: number[],
  options: { bound: number; lateness: number; assign: Assign; step: number },
): number {
  const { bound, lateness, assign, step } = options;
  const prefixMax: number[] = [];
  let max = Number.NEGATIVE_INFINITY;
  for (const t of times) {
    max = Math.max(max, t);
    prefixMax.push(max);
  }
  const watermarkBefore = (i: number) =>
    i <= 0 ? Number.NEGATIVE_INFINITY : prefixMax[i - 1]! - bound - 1;
  const joins = (t: number, watermark: number) =>
    assign(t)
      .filter(([, end]) => end - 1 + lateness > watermark)
      .map(([start]) => start)
      .join();
  let moved = 0;
  for (let i = 0; i < times.length; i++) {
    const early = watermarkBefore(i - SOURCE_BATCH + 1);
    const perRecord = watermarkBefore(i);
    if (joins(times[i]!, early) === joins(times[i]!, perRecord)) continue;
    moved++;
    while (joins(times[i]!, early) !== joins(times[i]!, perRecord)) times[i]! -= step;
  }
  return moved;
}

/** The remainder with the sign of the divisor, as window alignment needs for negative times. */
function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Writes records as JSON Lines with timestamps as ISO-8601 strings; returns the path. */
export async function writeJsonl(
  dir: string,
  name: string,
  fields: readonly Field[],
  records: readonly Row[],
): Promise<string> {
  const times = fields.filter((f) => f.type === 'timestamp').map((f) => f.name);
  const lines = records.map((r) => {
    const out: Row = { ...r };
    for (const name of times) {
      const value = r[name];
      if (typeof value === 'number') out[name] = new Date(value).toISOString();
    }
    return JSON.stringify(out);
  });
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}
