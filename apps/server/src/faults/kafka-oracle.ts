// Counts what an output topic got wrong against what it must hold: results
// missing, results written more than once, and results with wrong values.
import type { ExpectedUpdates, ExpectedWindows } from './kafka-input.js';

/** One output record: its Kafka key and its JSON value. */
export interface Result {
  readonly key: string;
  readonly row: Record<string, unknown>;
}

export interface Figures {
  lost: number;
  duplicated: number;
  wrong: number;
  /** Updates that come after a later update of their key (only update streams have an order). */
  outOfOrder: number;
}

/** A timestamp field as epoch ms, whether written as a number or as ISO-8601 text. */
const epoch = (v: unknown) => (typeof v === 'number' ? v : Date.parse(String(v)));

/**
 * Window results: each `key|window_start` once, with its count and total. A
 * result for a window that must not exist counts as wrong.
 */
export function compareWindows(got: readonly Result[], expected: ExpectedWindows): Figures {
  const seen = new Set<string>();
  const figures: Figures = { lost: 0, duplicated: 0, wrong: 0, outOfOrder: 0 };
  for (const { row } of got) {
    const id = `${row.key}|${epoch(row.window_start)}`;
    if (seen.has(id)) {
      figures.duplicated++;
      continue;
    }
    seen.add(id);
    if (expected.get(id) !== `${row.records}|${row.total}`) figures.wrong++;
  }
  for (const id of expected.keys()) if (!seen.has(id)) figures.lost++;
  return figures;
}

/** The window results of an uninterrupted run, as expected results. */
export function windowsOf(got: readonly Result[]): ExpectedWindows {
  return new Map(
    got.map(({ row }) => [`${row.key}|${epoch(row.window_start)}`, `${row.records}|${row.total}`]),
  );
}

/**
 * A running aggregate's update stream, read in order (one key lives in one
 * partition). Which updates a run emits depends on how its input fell into
 * batches, so two correct runs may differ; what cannot differ is asserted:
 * each key's counts only grow (a count seen again is an update written
 * twice — a replay; one smaller than an earlier count is out of order, and
 * a consumer keeping the latest row per key would keep a stale one), each
 * update's total is the total of
 * that many first records of the key (a count beyond the key's records is
 * wrong too), and the key's final count is among its updates (else it is lost).
 */
export function compareUpdates(got: readonly Result[], expected: ExpectedUpdates): Figures {
  const figures: Figures = { lost: 0, duplicated: 0, wrong: 0, outOfOrder: 0 };
  const last = new Map<string, number>();
  const seen = new Set<string>();
  const reached = new Set<string>();
  for (const { row } of got) {
    const key = String(row.key);
    const records = Number(row.records);
    if (seen.has(`${key}|${records}`)) {
      figures.duplicated++;
      continue;
    }
    seen.add(`${key}|${records}`);
    if (records < (last.get(key) ?? 0)) figures.outOfOrder++;
    else last.set(key, records);
    const totals = expected.get(key);
    if (totals?.[records - 1] !== row.total) figures.wrong++;
    if (records === totals?.length) reached.add(key);
  }
  for (const key of expected.keys()) if (!reached.has(key)) figures.lost++;
  return figures;
}

/** Each key's last update, as `key|records|total`, sorted. */
export function finalUpdates(got: readonly Result[]): string[] {
  const last = new Map<string, string>();
  for (const { row } of got) last.set(String(row.key), `${row.key}|${row.records}|${row.total}`);
  return [...last.values()].sort();
}
