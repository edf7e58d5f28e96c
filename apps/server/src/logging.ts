// Fastify's logger, set up so that no log line holds a secret: the login
// link's query (the token) is cut from request URLs, and the Authorization
// header and cookies are redacted wherever a request or reply is logged.
import type { FastifyServerOptions } from 'fastify';
import type { ServerOptions } from './config.js';

/** The request's URL as logged: without the query of /login, and with any token parameter hidden. */
export function loggedUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const path = url.slice(0, query);
  if (path === '/login' || path.startsWith('/login/')) return `${path}?[redacted]`;
  return url.replace(/([?&](?:token|access_token)=)[^&#]*/gi, '$1[redacted]');
}

interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly host?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number };
}

export function loggerOptions(
  options: Pick<ServerOptions, 'logLevel' | 'logStream'>,
): FastifyServerOptions['logger'] {
  if (options.logLevel === 'silent') return false;
  return {
    level: options.logLevel,
    ...(options.logStream ? { stream: options.logStream } : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: loggedUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
}
