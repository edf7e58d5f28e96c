// Every route but the public ones needs the token (`Authorization: Bearer …`)
// or a session cookie from a one-time sign-in link or the token form. A state-changing call that carries the
// cookie must come from the server's own pages (or an allowed origin): any
// page of 127.0.0.1 is same-site, so SameSite=Strict alone does not stop
// another local app from sending the cookie. Failed attempts are limited per
// address: past the limit, wrong tokens and sign-in codes get 429; the right
// token still passes.
import { timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import { SignInStore } from '../storage/sign-in-store.js';
import { allowedOriginSet, isTrustedOrigin } from './origin.js';
import { SessionStore, SignInCodes, tokenDigest } from './sessions.js';
import { DATABASE_FILE } from './storage.js';

export const SESSION_COOKIE = 'sluice_session';
export const MAX_FAILURES = 20;
const FAILURE_WINDOW_MS = 60_000;
/** Methods that change nothing; every other one is checked for its origin. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route needs no token. */
    public?: boolean;
  }
  interface FastifyInstance {
    /** True when the request carries the right token or a live session. */
    isAuthorized(request: FastifyRequest): boolean;
    /** The browsers' sessions. */
    sessions: SessionStore;
    /** One-time codes for sign-in links. */
    signInCodes: SignInCodes;
    /** Failed attempts per address: sign-in routes record theirs here too. */
    authFailures: FailureLimiter;
  }
}

/** Compares in constant time, so the token cannot be guessed a character at a time. */
export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Counts failed attempts per address in a fixed window; small and bounded in memory. */
export class FailureLimiter {
  readonly #failures = new Map<string, { since: number; count: number }>();

  /** Throws 429 when `address` has failed too often of late. */
  check(address: string, now = Date.now()): void {
    const entry = this.#failures.get(address);
    if (!entry || now - entry.since > FAILURE_WINDOW_MS) return;
    if (entry.count >= MAX_FAILURES) {
      throw new AppError(
        'too-many-requests',
        'Too many failed sign-ins from this address. Wait a minute and try again.',
      );
    }
  }

  /** Records a wrong guess: 429 once `address` has failed too often of late, else nothing. */
  wrong(address: string, now = Date.now()): void {
    this.check(address, now);
    this.fail(address, now);
  }

  fail(address: string, now = Date.now()): void {
    const entry = this.#failures.get(address);
    if (!entry || now - entry.since > FAILURE_WINDOW_MS) {
      if (this.#failures.size > 10_000) this.#failures.clear();
      this.#failures.set(address, { since: now, count: 1 });
    } else entry.count++;
  }
}

export interface AuthOptions {
  readonly token: string;
  /** Origins besides the server's own whose pages may act with the cookie. */
  readonly allowedOrigins: readonly string[];
  /** The server's private folder, whose database keeps the sessions. */
  readonly stateDir: string;
}

export const authPlugin = fp(async (app: FastifyInstance, options: AuthOptions) => {
  const limiter = new FailureLimiter();
  const records = new SignInStore(
    join(options.stateDir, DATABASE_FILE),
    tokenDigest(options.token),
  );
  app.addHook('onClose', async () => records.close());
  const sessions = new SessionStore(records);
  const allowed = allowedOriginSet(options.allowedOrigins);
  const bearerOf = (request: FastifyRequest): string | undefined => {
    const header = request.headers.authorization;
    return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  };
  app.decorate('sessions', sessions);
  app.decorate('signInCodes', new SignInCodes(records));
  app.decorate('authFailures', limiter);
  app.decorate('isAuthorized', (request: FastifyRequest) => {
    const bearer = bearerOf(request);
    if (bearer !== undefined) return sameToken(bearer, options.token);
    return sessions.has(request.cookies[SESSION_COOKIE]);
  });

  /** A call that changes something and carries the cookie must come from a trusted page. */
  const checkOrigin = (request: FastifyRequest) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (request.cookies[SESSION_COOKIE] === undefined) return;
    const origin = request.headers.origin;
    if (origin === undefined) {
      // Browsers send Origin on every state-changing fetch; Sec-Fetch-Site stands in for old ones.
      if (request.headers['sec-fetch-site'] === 'same-origin') return;
      throw new AppError(
        'forbidden-origin',
        'A request with the session cookie that changes something must say where it comes from (an Origin header); send the token as "Authorization: Bearer <token>" from scripts instead of the cookie.',
      );
    }
    if (isTrustedOrigin(origin, request.headers.host, allowed)) return;
    throw new AppError(
      'forbidden-origin',
      `Pages from ${origin} may not change anything on this server. Add it to SLUICE_ALLOWED_ORIGINS to allow it.`,
    );
  };

  app.addHook('onRequest', async (request) => {
    checkOrigin(request);
    if (request.routeOptions.config.public) return;
    const bearer = bearerOf(request);
    // A live session is never slowed down: the signed-in browser keeps working.
    if (bearer === undefined && sessions.has(request.cookies[SESSION_COOKIE])) return;
    // The right token always passes, even from an address past the failure
    // limit: any page can make the browser send wrong sign-ins from 127.0.0.1,
    // and that must not lock the command line and scripts out. Guessing gains
    // nothing by it: the token has at least 32 characters of a strong secret.
    if (app.isAuthorized(request)) return;
    // Only a guess counts as a failure: a call with no credential at all (the
    // signed-out page, a CORS preflight) guesses nothing.
    if (bearer !== undefined || request.cookies[SESSION_COOKIE] !== undefined) {
      limiter.wrong(request.ip);
    }
    throw new AppError(
      'unauthorized',
      'Sign in first: open the sign-in link the server printed, or send the token as "Authorization: Bearer <token>".',
    );
  });
});
