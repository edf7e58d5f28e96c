// Starts the server: listens, makes a one-time login link, closes cleanly on a signal.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type ServerOptions, serverOptions } from './config.js';
import { signInPath } from './routes/session.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly options: ServerOptions;
  readonly url: string;
  /** A one-time sign-in link, made at start (the token is never in a link). */
  readonly loginUrl: string;
  close(): Promise<void>;
}

export async function startServer(partial: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const options = serverOptions(partial);
  const app = await buildApp(options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  return {
    app,
    options,
    url,
    loginUrl: `${url}${signInPath(app.signInCodes.create().code)}`,
    close: () => app.close(),
  };
}
