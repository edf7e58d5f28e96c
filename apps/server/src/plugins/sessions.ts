// Browser sessions: a random id in the cookie stands for "signed in with the
// token", so the cookie never holds the token. Kept in memory: a restart of
// the server signs every browser out (it prints a fresh login link).
import { createHash, randomBytes } from 'node:crypto';

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

/** A sign-in link left unused this long stops working. */
export const SIGN_IN_CODE_MAX_AGE_S = 24 * 60 * 60;
/** Codes remembered at once (unused, and used ones kept to say so); past it the oldest goes. */
export const MAX_SIGN_IN_CODES = 100;

export type RedeemResult = 'ok' | 'used' | 'expired' | 'unknown';

/**
 * One-time sign-in codes for the printed link, so that browser history keeps
 * only a dead code, never the token. A code is 256 random bits and is kept only
 * as its SHA-256, so a lookup's timing tells nothing about the code.
 */
export class SignInCodes {
  /** SHA-256 of the code → when it expires and whether it was used, oldest first. */
  readonly #codes = new Map<string, { expires: number; used: boolean }>();

  // Read at each call (not `= Date.now`), so a test's clock set on Date reaches it.
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** A new code, good once within SIGN_IN_CODE_MAX_AGE_S. */
  create(): { code: string; expiresAt: number } {
    const code = randomBytes(32).toString('base64url');
    if (this.#codes.size >= MAX_SIGN_IN_CODES) {
      const oldest = this.#codes.keys().next().value;
      if (oldest !== undefined) this.#codes.delete(oldest);
    }
    const expiresAt = this.now() + SIGN_IN_CODE_MAX_AGE_S * 1000;
    this.#codes.set(digest(code), { expires: expiresAt, used: false });
    return { code, expiresAt };
  }

  /** Uses up `code`: 'ok' the first time only; afterwards why it no longer signs in. */
  redeem(code: string): RedeemResult {
    const key = digest(code);
    const entry = this.#codes.get(key);
    if (entry === undefined) return 'unknown';
    if (entry.expires <= this.now()) {
      this.#codes.delete(key);
      return 'expired';
    }
    if (entry.used) return 'used';
    entry.used = true;
    return 'ok';
  }

  /** Every code stops working (used when every browser is signed out). */
  endAll(): void {
    this.#codes.clear();
  }
}

function digest(code: string): string {
  return createHash('sha256').update(code).digest('base64url');
}
