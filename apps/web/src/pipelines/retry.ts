// When a save that failed for want of the server is tried again: 1 s after
// the first failure, then 2 s, 4 s … up to 30 s between tries; at once when
// the browser comes back online or the server answers another call.
import { ApiError } from '../api/client.js';
import type { SaveFailure } from '../store/store.js';

export const RETRY_FIRST_MS = 1_000;
export const RETRY_MAX_MS = 30_000;

/** The wait after the `failures`-th failure in a row (1, 2, …). */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_MS);
}

/**
 * What a failed save means. The server unreachable or failing (0, 5xx), or
 * asking to wait (408, 429), is worth trying again; a conflict (409), a
 * refusal (400, 413 …) or a lost session (401) would fail the same way again.
 */
export function saveFailureOf(cause: unknown): SaveFailure {
  if (!(cause instanceof ApiError)) return 'retry';
  const { status } = cause;
  if (status === 0 || status >= 500 || status === 408 || status === 429) return 'retry';
  if (status === 401) return 'signed-out';
  if (status === 409) return 'conflict';
  return 'refused';
}

/** Runs `attempt` again after each failure, waiting longer each time, until `reset()`. */
export class Backoff {
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly attempt: () => void) {}

  /** Another failure: the next try is scheduled. Returns the wait, in ms. */
  failed(): number {
    this.#failures++;
    const delay = retryDelay(this.#failures);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.attempt();
    }, delay);
    return delay;
  }

  /** Whether a try is waiting for its time. */
  get waiting(): boolean {
    return this.#timer !== undefined;
  }

  /** Tries at once instead of waiting; nothing when no try is waiting. */
  now(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.attempt();
  }

  /** Done (it succeeded, or there is nothing to try): the next failure waits the first delay again. */
  reset(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#failures = 0;
  }
}
