// Browser sessions: a random id in the cookie stands for "signed in with the
// token", so the cookie never holds the token. Kept in memory: a restart of
// the server signs every browser out (it prints a fresh login link).
import { randomBytes } from 'node:crypto';

/** A week; the login link signs in again. */
export const SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;
/** Enough for many browsers; past it the oldest session ends. */
const MAX_SESSIONS = 1000;

export class SessionStore {
  /** Session id → when it expires (ms since the epoch), oldest first. */
  readonly #expiries = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new session; its id is 256 random bits. */
  create(): string {
    const id = randomBytes(32).toString('base64url');
    if (this.#expiries.size >= MAX_SESSIONS) {
      const oldest = this.#expiries.keys().next().value;
      if (oldest !== undefined) this.#expiries.delete(oldest);
    }
    this.#expiries.set(id, this.now() + SESSION_MAX_AGE_S * 1000);
    return id;
  }

  /** True when `id` is a session that has not ended. */
  has(id: string | undefined): boolean {
    if (id === undefined) return false;
    const expiry = this.#expiries.get(id);
    if (expiry === undefined) return false;
    if (expiry > this.now()) return true;
    this.#expiries.delete(id);
    return false;
  }

  /** Ends one session. */
  end(id: string | undefined): void {
    if (id !== undefined) this.#expiries.delete(id);
  }

  /** Ends every session; returns how many there were. */
  endAll(): number {
    const count = this.#expiries.size;
    this.#expiries.clear();
    return count;
  }
}
