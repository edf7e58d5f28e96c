// Every route but the public ones needs the token: `Authorization: Bearer …`
// or the session cookie set by /login. Repeated failures from one address are
// slowed down with 429s.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';

export const SESSION_COOKIE = 'sluice_session';
const MAX_FAILURES = 20;
const FAILURE_WINDOW_MS = 60_000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route needs no token. */
    public?: boolean;
  }
  interface FastifyInstance {
    /** True when the request carries the right token. */
    isAuthorized(request: FastifyRequest): boolean;
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
class FailureLimiter {
  readonly #failures = new Map<string, { since: number; count: number }>();

  blocked(address: string, now: number): boolean {
    const entry = this.#failures.get(address);
    if (!entry || now - entry.since > FAILURE_WINDOW_MS) return false;
    return entry.count >= MAX_FAILURES;
  }

  fail(address: string, now: number): void {
    const entry = this.#failures.get(address);
    if (!entry || now - entry.since > FAILURE_WINDOW_MS) {
      if (this.#failures.size > 10_000) this.#failures.clear();
      this.#failures.set(address, { since: now, count: 1 });
    } else entry.count++;
  }
}

export const authPlugin = fp(async (app: FastifyInstance, options: { token: string }) => {
  const limiter = new FailureLimiter();
  const tokenOf = (request: FastifyRequest): string | undefined => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) return header.slice(7).trim();
    return request.cookies[SESSION_COOKIE];
  };
  app.decorate('isAuthorized', (request: FastifyRequest) =>
    sameToken(tokenOf(request), options.token),
  );
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public) return;
    if (app.isAuthorized(request)) return;
    const now = Date.now();
    if (limiter.blocked(request.ip, now)) {
      throw new AppError(
        'too-many-requests',
        'Too many failed sign-ins from this address. Wait a minute and try again.',
      );
    }
    limiter.fail(request.ip, now);
    throw new AppError(
      'unauthorized',
      'Sign in first: open the login URL the server printed, or send the token as "Authorization: Bearer <token>".',
    );
  });
});
