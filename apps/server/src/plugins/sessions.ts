// Browser sessions: a random id in the cookie stands for "signed in with the
// token", so the cookie never holds the token. Kept in the database as SHA-256
// digests (see storage/sign-in-store.ts): a restart keeps browsers signed in,
// and nothing on disk signs anyone in.
import { createHash, randomBytes } from 'node:crypto';
import type { SignInStore } from '../storage/sign-in-store.js';

/** A week; the login link signs in again. */
export const SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;
/** Enough for many browsers; past it the oldest session ends. */
export const MAX_SESSIONS = 1000;

/** What the database keeps of the token sessions are made under: its SHA-256, labelled. */
export function tokenDigest(token: string): string {
  return digest(`sluice token\0${token}`);
}

export class SessionStore {
  // Read at each call (not `= Date.now`), so a test's clock set on Date reaches it.
  constructor(
    private readonly store: SignInStore,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** A new session; its id is 256 random bits, kept only as its SHA-256. */
  create(): string {
    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    this.store.addSession(digest(id), now + SESSION_MAX_AGE_S * 1000, now, MAX_SESSIONS);
    return id;
  }

  /** True when `id` is a session that has not ended. */
  has(id: string | undefined): boolean {
    if (id === undefined) return false;
    // Looked up by digest, so the lookup's timing tells nothing about the id.
    const key = digest(id);
    const expiry = this.store.sessionExpiry(key);
    if (expiry === undefined) return false;
    if (expiry > this.now()) return true;
    this.store.removeSession(key);
    return false;
  }

  /** Ends one session. */
  end(id: string | undefined): void {
    if (id !== undefined) this.store.removeSession(digest(id));
  }

  /** Ends every session; returns how many there were. */
  endAll(): number {
    return this.store.removeAllSessions();
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
  constructor(
    private readonly store: SignInStore,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** A new code, good once within SIGN_IN_CODE_MAX_AGE_S. */
  create(): { code: string; expiresAt: number } {
    const code = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + SIGN_IN_CODE_MAX_AGE_S * 1000;
    this.store.addCode(digest(code), expiresAt, MAX_SIGN_IN_CODES);
    return { code, expiresAt };
  }

  /** Uses up `code`: 'ok' the first time only; afterwards why it no longer signs in. */
  redeem(code: string): RedeemResult {
    const key = digest(code);
    const entry = this.store.code(key);
    if (entry === undefined) return 'unknown';
    if (entry.expiresAt <= this.now()) {
      this.store.removeCode(key);
      return 'expired';
    }
    return this.store.useCode(key) ? 'ok' : 'used';
  }

  /** Every code stops working (used when every browser is signed out). */
  endAll(): void {
    this.store.removeAllCodes();
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
