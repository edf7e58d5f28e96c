// The live view of a job over a WebSocket. The upgrade needs the token (the
// auth hook) and a trusted Origin, checked before any socket is opened: a
// page on another site must not be able to watch or tap a job through a
// browser that holds the session cookie.
import type { WebSocket } from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { LiveSession } from './live-session.js';

export interface LiveRoutesOptions {
  /** Origins besides the server's own that may open the live view. */
  readonly allowedOrigins: readonly string[];
}

/** True when `origin` is the origin this request was addressed to (same scheme-normalised host and port). */
export function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const from = new URL(origin);
    if (from.protocol !== 'http:' && from.protocol !== 'https:') return false;
    // Read the Host header with the origin's scheme, so default ports compare equal.
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

function originOf(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

export async function liveRoutes(app: FastifyInstance, options: LiveRoutesOptions) {
  const allowed = new Set(options.allowedOrigins.map(originOf).filter((o) => o !== undefined));

  const checkOrigin = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    // Browsers always send Origin on a WebSocket handshake; other clients need the token anyway.
    if (origin === undefined) return;
    if (isOwnOrigin(origin, request.headers.host)) return;
    const normalised = originOf(origin);
    if (normalised !== undefined && allowed.has(normalised)) return;
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
        tags: ['jobs'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
      },
      preValidation: async (request) => {
        checkOrigin(request);
        // An unknown job is a 404 before the upgrade, not an open socket that closes.
        app.jobs.get((request.params as { id: string }).id);
      },
    },
    (socket: WebSocket, request) => {
      const job = app.jobs.get((request.params as { id: string }).id);
      new LiveSession(socket, job);
    },
  );
}
