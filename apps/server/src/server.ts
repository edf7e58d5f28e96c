// Starts the server: listens, prints the login URL, closes cleanly on a signal.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type ServerOptions, serverOptions } from './config.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly options: ServerOptions;
  readonly url: string;
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
    loginUrl: `${url}/login?token=${encodeURIComponent(options.token)}`,
    close: () => app.close(),
  };
}
