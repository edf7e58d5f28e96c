// Signing a browser in and out. The printed link carries a one-time code,
// never the token: once used (or a day old) the code is dead, so the browser's
// history keeps nothing that signs in. The code is traded for a session cookie
// holding a random id, and the browser is led to a URL without the code. The
// signed-out page also takes the token itself, in a POST body, never a URL.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { SESSION_COOKIE, sameToken } from '../plugins/auth.js';
import { isOwnOrigin } from '../plugins/origin.js';
import { SESSION_MAX_AGE_S } from '../plugins/sessions.js';

const COOKIE = { path: '/', httpOnly: true, sameSite: 'strict' } as const;
const ended = { 204: Type.Null({ description: 'Done' }), 401: Type.Ref('ErrorResponse') };

/**
 * Why the signed-out page was opened, as `/?sign-in=<reason>`; the page says
 * what happened and how to get a new link. Holds no secret.
 */
export type SignInReason = 'used' | 'expired' | 'unknown' | 'token-link' | 'too-many';

/** The path of a sign-in link for `code`. */
export const signInPath = (code: string) => `/login?code=${encodeURIComponent(code)}`;

export async function sessionRoutes(fastify: FastifyInstance, options: { token: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const signInPage = (reply: FastifyReply, reason: SignInReason) =>
    reply.redirect(`/?sign-in=${reason}`);
  const startSession = (reply: FastifyReply) =>
    reply.setCookie(SESSION_COOKIE, app.sessions.create(), {
      ...COOKIE,
      maxAge: SESSION_MAX_AGE_S,
    });
  /** False (and the failure is not even counted) when the address is blocked. */
  const allowedToTry = (request: FastifyRequest) => {
    try {
      app.authFailures.check(request.ip);
      return true;
    } catch {
      return false;
    }
  };

  app.get(
    '/login',
    {
      config: { public: true },
      schema: {
        summary:
          'Sign in with a one-time link (as the server prints): sets a session cookie and opens the canvas',
        tags: ['system'],
        querystring: Type.Object({
          code: Type.Optional(Type.String({ maxLength: 128 })),
          // Links from before one-time codes: refused, never compared (see docs/decisions.md).
          token: Type.Optional(Type.String({ maxLength: 512 })),
        }),
        response: {
          302: Type.Null({
            description:
              'To the canvas, or to the signed-out page saying why not (?sign-in=reason)',
          }),
        },
      },
    },
    async (request, reply) => {
      // Neither this answer nor the address it came from is kept or passed on.
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const { code, token } = request.query;
      if (code === undefined)
        return signInPage(reply, token === undefined ? 'unknown' : 'token-link');
      if (!allowedToTry(request)) return signInPage(reply, 'too-many');
      const result = app.signInCodes.redeem(code);
      if (result !== 'ok') {
        app.authFailures.fail(request.ip);
        return signInPage(reply, result);
      }
      startSession(reply);
      return reply.redirect('/');
    },
  );

  app.post(
    '/api/session/sign-in',
    {
      config: { public: true },
      schema: {
        summary:
          'Sign this browser in with the token (from <data-dir>/state/token); sets the session cookie',
        tags: ['system'],
        body: Type.Object(
          { token: Type.String({ maxLength: 512 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null({ description: 'Signed in' }), 401: Type.Ref('ErrorResponse') },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      // Only the server's own page may sign a browser in (no login from another site's form).
      const origin = request.headers.origin;
      if (origin !== undefined && !isOwnOrigin(origin, request.headers.host)) {
        throw new AppError(
          'forbidden-origin',
          `Pages from ${origin} may not sign a browser in: use the sign-in page of this server.`,
        );
      }
      // The right token signs in even past the failure limit, so a page that
      // floods the sign-in links cannot keep the user out.
      if (!sameToken(request.body.token.trim(), options.token)) {
        app.authFailures.wrong(request.ip);
        throw new AppError(
          'unauthorized',
          'That is not the token: copy the whole line of <data-dir>/state/token on the machine running Sluice.',
        );
      }
      startSession(reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/session/links',
    {
      schema: {
        summary: 'A new one-time sign-in link (needs the token as Bearer): good once, for 24 hours',
        tags: ['system'],
        response: {
          201: Type.Object({
            url: Type.String({ description: 'The link to open in a browser' }),
            path: Type.String({ description: 'The same link without the server address' }),
            expiresAt: Type.String({ format: 'date-time' }),
          }),
          401: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (request, reply) => {
      // A session could otherwise outlive "sign every browser out" by minting links.
      if (!request.headers.authorization?.startsWith('Bearer ')) {
        throw new AppError(
          'unauthorized',
          'New sign-in links need the token: send it as "Authorization: Bearer <token>".',
        );
      }
      const { code, expiresAt } = app.signInCodes.create();
      const path = signInPath(code);
      reply.header('cache-control', 'no-store');
      return reply.status(201).send({
        url: `${request.protocol}://${request.host}${path}`,
        path,
        expiresAt: new Date(expiresAt).toISOString(),
      });
    },
  );

  app.post(
    '/api/session/sign-out',
    {
      schema: {
        summary: "Sign this browser out: ends the cookie's session",
        tags: ['system'],
        response: ended,
      },
    },
    async (request, reply) => {
      app.sessions.end(request.cookies[SESSION_COOKIE]);
      return reply.clearCookie(SESSION_COOKIE, COOKIE).status(204).send(null);
    },
  );

  app.post(
    '/api/sessions/revoke-all',
    {
      schema: {
        summary:
          'Sign every browser out and end every unused sign-in link (the token still works; to change it, restart with a new one)',
        tags: ['system'],
        response: ended,
      },
    },
    async (_request, reply) => {
      app.sessions.endAll();
      app.signInCodes.endAll();
      return reply.clearCookie(SESSION_COOKIE, COOKIE).status(204).send(null);
    },
  );
}
