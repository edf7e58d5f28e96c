// The job's error output: bad records with the operator and the reason,
// counted, the latest kept, and an optional budget that fails the job.

import { RECORD_ERRORS_KEPT, type RecordError } from '@sluice/shared';

export type { RecordError } from '@sluice/shared';

export interface ErrorBudget {
  readonly maxErrors: number;
  readonly perMs: number;
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
  add(error: RecordError): string | undefined {
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
