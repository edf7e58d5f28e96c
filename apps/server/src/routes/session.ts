// Signing a browser in and out. The printed link's token is traded for a
// session cookie holding a random id, and the browser is led to a URL without
// the token; the token is never set in a cookie nor written to a log.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { SESSION_COOKIE, sameToken } from '../plugins/auth.js';
import { SESSION_MAX_AGE_S } from '../plugins/sessions.js';

const COOKIE = { path: '/', httpOnly: true, sameSite: 'strict' } as const;
const ended = { 204: Type.Null({ description: 'Done' }), 401: Type.Ref('ErrorResponse') };

export async function sessionRoutes(app: FastifyInstance, options: { token: string }) {
  app.get(
    '/login',
    {
      config: { public: true },
      schema: {
        summary:
          'Sign in with the token the server printed; sets a session cookie and opens the canvas',
        tags: ['system'],
        querystring: Type.Object({ token: Type.String({ maxLength: 512 }) }),
      },
    },
    async (request, reply) => {
      // Neither this answer nor the address it came from is kept or passed on.
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      app.authFailures.check(request.ip);
      const { token } = request.query as { token: string };
      if (!sameToken(token, options.token)) {
        app.authFailures.fail(request.ip);
        throw new AppError(
          'unauthorized',
          'This login link is not valid: copy the one the server printed.',
        );
      }
      reply.setCookie(SESSION_COOKIE, app.sessions.create(), {
        ...COOKIE,
        maxAge: SESSION_MAX_AGE_S,
      });
      return reply.redirect('/');
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
      return reply.clearCookie(SESSION_COOKIE, COOKIE).status(204).send();
    },
  );

  app.post(
    '/api/sessions/revoke-all',
    {
      schema: {
        summary:
          'Sign every browser out (the token still works; to change it, restart with a new one)',
        tags: ['system'],
        response: ended,
      },
    },
    async (_request, reply) => {
      app.sessions.endAll();
      return reply.clearCookie(SESSION_COOKIE, COOKIE).status(204).send();
    },
  );
}
