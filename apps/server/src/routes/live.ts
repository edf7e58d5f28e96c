// The live view of a job over a WebSocket. The upgrade needs the token (the
// auth hook) and a trusted Origin, checked before any socket is opened: a
// page on another site must not be able to watch or tap a job through a
// browser that holds the session cookie.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { WebSocket } from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { allowedOriginSet, isTrustedOrigin } from '../plugins/origin.js';
import { LiveSession } from './live-session.js';

export interface LiveRoutesOptions {
  /** Origins besides the server's own that may open the live view. */
  readonly allowedOrigins: readonly string[];
}

// Kept here too: the live view's tests and callers import it from this module.
export { isOwnOrigin } from '../plugins/origin.js';

export async function liveRoutes(fastify: FastifyInstance, options: LiveRoutesOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const allowed = allowedOriginSet(options.allowedOrigins);

  const checkOrigin = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    // Browsers always send Origin on a WebSocket handshake; other clients need the token anyway.
    if (origin === undefined) return;
    if (isTrustedOrigin(origin, request.headers.host, allowed)) return;
    throw new AppError(
      'forbidden-origin',
      `Pages from ${origin} may not open the live view. Add it to SLUICE_ALLOWED_ORIGINS to allow it.`,
    );
  };

  app.get(
    '/api/jobs/:id/live',
    {
      websocket: true,
      schema: {
        summary: 'Watch a job live (WebSocket): status, metrics every second, bad records, taps',
        description: LIVE_PROTOCOL,
        tags: ['jobs'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: {
          101: Type.Null({ description: 'Switching to the WebSocket protocol' }),
          401: Type.Ref('ErrorResponse'),
          403: Type.Ref('ErrorResponse'),
          404: Type.Ref('ErrorResponse'),
        },
      },
      // The websocket plugin hides its routes from the OpenAPI description; this one belongs in it.
      config: {
        swaggerTransform: ({ schema, url }) => ({ schema: { ...schema, hide: false }, url }),
      },
      preValidation: async (request) => {
        checkOrigin(request);
        // An unknown job is a 404 before the upgrade, not an open socket that closes.
        app.jobs.get(request.params.id);
      },
    },
    (socket: WebSocket, request) => {
      const job = app.jobs.get(request.params.id);
      new LiveSession(socket, job);
    },
  );
}

const LIVE_PROTOCOL = [
  'Upgrade to a WebSocket (needs the token, as a cookie or `Authorization: Bearer`, and an `Origin` that is the server itself or one of SLUICE_ALLOWED_ORIGINS; client messages are capped at 64 KiB).',
  '',
  'Server → client (JSON): `{type:"status", status, failure?}` on connect and on change; `{type:"metrics", metrics, dropped}` about once a second (per operator and per edge); `{type:"error", error:{nodeId, reason, row, at}}` for bad records (at most 20 a second); `{type:"tap", edgeId, rows, times}` for open taps; `{type:"problem", message}` after an invalid client message.',
  '',
  'Client → server: `{type:"tap", edgeId, open:true, perSecond?}` and `{type:"tap", edgeId, open:false}`, at most 50 and 256 KiB a second; invalid ones get a `problem` answer, at most 10 a second.',
  '',
  'The server pings every client each second. A client that falls behind (over 1 MiB unsent, or a ping unanswered for 1 s) loses droppable messages (counted in `dropped`) instead of slowing the job; one behind for 3 s or by 4 MiB, or sending more than 50 messages or 256 KiB a second, is closed with code 1008 (policy violation). The web app reconnects.',
].join('\n');
