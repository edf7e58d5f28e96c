// The job's error output: bad records with the operator and the reason,
// counted, the latest kept, and an optional budget that fails the job.

import { RECORD_ERRORS_KEPT, type RecordError } from '@sluice/shared';
import { preview } from '../io/decode.js';

export type { RecordError } from '@sluice/shared';

export interface ErrorBudget {
  readonly maxErrors: number;
  readonly perMs: number;
}

/**
 * How much of a bad record is kept and sent to the browser, in characters of
 * its JSON. The latest RECORD_ERRORS_KEPT are kept: without a bound, records
 * of a few MB each held the server's memory by the GB.
 */
export const MAX_KEPT_ROW_CHARS = 16 * 1024;

/** The record as kept: whole when small, else the start of its text, said to be cut. */
export function keptRow(row: unknown): unknown {
  if (typeof row === 'string') {
    return row.length <= MAX_KEPT_ROW_CHARS
      ? row
      : `${row.slice(0, MAX_KEPT_ROW_CHARS)}… (cut: ${row.length} characters in all)`;
  }
  if (typeof row !== 'object' || row === null) return row;
  const text = preview(row, MAX_KEPT_ROW_CHARS + 1);
  return text.length <= MAX_KEPT_ROW_CHARS
    ? row
    : `${text.slice(0, MAX_KEPT_ROW_CHARS)}… (cut: the record is longer than ${MAX_KEPT_ROW_CHARS} characters)`;
}

export class ErrorOutput {
  readonly #recent: RecordError[] = [];
  readonly #capacity: number;
  readonly #budget?: ErrorBudget;
  #total = 0;
  #periodStart = 0;
  #inPeriod = 0;
  readonly #listeners = new Set<(error: RecordError) => void>();

  constructor(capacity = RECORD_ERRORS_KEPT, budget?: ErrorBudget) {
    this.#capacity = capacity;
    this.#budget = budget;
  }

  /** Records one bad record; returns a message when the error budget is now exceeded. */
  add(whole: RecordError): string | undefined {
    const error = { ...whole, row: keptRow(whole.row) };
    this.#total++;
    this.#recent.push(error);
    if (this.#recent.length > this.#capacity) this.#recent.shift();
    for (const listener of this.#listeners) listener(error);
    const budget = this.#budget;
    if (!budget) return undefined;
    if (error.at - this.#periodStart >= budget.perMs) {
      this.#periodStart = error.at;
      this.#inPeriod = 0;
    }
    this.#inPeriod++;
    if (this.#inPeriod > budget.maxErrors) {
      return `More than ${budget.maxErrors} bad records within ${budget.perMs / 1000}s (the error budget). The last: ${error.reason}`;
    }
    return undefined;
  }

  get total(): number {
    return this.#total;
  }

  /** The latest errors, oldest first; of one node when `nodeId` is given. */
  recent(nodeId?: string): RecordError[] {
    return nodeId === undefined
      ? [...this.#recent]
      : this.#recent.filter((e) => e.nodeId === nodeId);
  }

  subscribe(listener: (error: RecordError) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
