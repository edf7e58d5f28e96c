// How the Kafka reader and writer tell a broker that is away from a request
// that can never succeed, and how long they keep trying.

/** How long Kafka may stay out of reach before a source or sink fails. */
export const DEFAULT_UNREACHABLE_TIMEOUT_MS = 120_000;
/** Delays between attempts double from the first to the last. */
export const FIRST_RETRY_MS = 250;
export const MAX_RETRY_MS = 5_000;

interface ClientError {
  code?: unknown;
  canRetry?: unknown;
  errors?: unknown[];
  cause?: unknown;
}

/** Every error in the tree a client error wraps (its `errors` and `cause`). */
function* errorTree(error: unknown, depth = 0): Iterable<ClientError> {
  if (typeof error !== 'object' || error === null || depth > 5) return;
  const e = error as ClientError;
  yield e;
  for (const inner of Array.isArray(e.errors) ? e.errors : []) yield* errorTree(inner, depth + 1);
  yield* errorTree(e.cause, depth + 1);
}

/** Whether a later attempt cannot help: the client or the broker refused the request itself. */
export function refused(error: unknown): boolean {
  for (const e of errorTree(error)) {
    if (e.code === 'PLT_KFK_USER' || e.code === 'PLT_KFK_AUTHENTICATION') return true;
  }
  return false;
}

/**
 * Whether a failed produce request may succeed later: the connection failed
 * or timed out, or the broker answered with an error it calls retriable (no
 * leader yet, coordinator loading). A refused message (too large, not
 * authorized) is not.
 */
export function unreachable(error: unknown): boolean {
  if (refused(error)) return false;
  for (const e of errorTree(error)) {
    if (e.code === 'PLT_KFK_NETWORK' || e.code === 'PLT_KFK_TIMEOUT') return true;
    if (e.code === 'PLT_KFK_PROTOCOL' && e.canRetry === true) return true;
  }
  return false;
}

/** "2 min" or "3.5 s". */
export function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

/** The message of a client error, with the causes it wraps. */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const causes = (error as { errors?: unknown[] }).errors;
  const first = Array.isArray(causes) && causes.length > 0 ? describe(causes[0]) : undefined;
  return first && !error.message.includes(first) ? `${error.message} (${first})` : error.message;
}
