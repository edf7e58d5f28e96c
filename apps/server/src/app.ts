// The application, as a plugin tree: external plugins, then app plugins,
// then routes. server.ts only listens and closes.
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import { MAX_PIPELINE_BYTES } from '@sluice/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerOptions } from './config.js';
import { authPlugin } from './plugins/auth.js';
import { errorsPlugin } from './plugins/errors.js';
import { systemRoutes, VERSION } from './routes/system.js';
import { Diagnostic, ErrorResponse, PipelineDocument } from './schemas.js';

/** Largest WebSocket message a client may send. */
export const MAX_WS_MESSAGE_BYTES = 64 * 1024;

export async function buildApp(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logLevel === 'silent' ? false : { level: options.logLevel },
    bodyLimit: MAX_PIPELINE_BYTES,
    // JSON with __proto__ or constructor keys is refused before it reaches a route.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  }).withTypeProvider<TypeBoxTypeProvider>();

  // External plugins.
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: MAX_WS_MESSAGE_BYTES } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Sluice API',
        version: VERSION,
        description:
          'Store, validate, deploy and watch stream pipelines. Every route but /api/health needs the token: `Authorization: Bearer <token>` or the session cookie set by /login.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  for (const schema of [ErrorResponse, Diagnostic, PipelineDocument]) app.addSchema(schema);

  // App plugins.
  await app.register(errorsPlugin);
  await app.register(authPlugin, { token: options.token });

  // Routes.
  await app.register(systemRoutes, { token: options.token });
  return app;
}
