// The application, as a plugin tree: external plugins, then app plugins,
// then routes. server.ts only listens and closes.
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import { MAX_PIPELINE_BYTES } from '@sluice/shared';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { filesDir, type ServerOptions, stateDir } from './config.js';
import { loggerOptions } from './logging.js';
import { authPlugin } from './plugins/auth.js';
import { errorsPlugin } from './plugins/errors.js';
import { jobsPlugin } from './plugins/jobs.js';
import { jsonBodyPlugin } from './plugins/json-body.js';
import { storagePlugin } from './plugins/storage.js';
import { webPlugin } from './plugins/web.js';
import { flinkRoutes } from './routes/flink.js';
import { jobRoutes } from './routes/jobs.js';
import { kafkaRoutes } from './routes/kafka.js';
import { liveRoutes } from './routes/live.js';
import { metricsRoutes } from './routes/metrics.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { sessionRoutes } from './routes/session.js';
import { systemRoutes, VERSION } from './routes/system.js';
import { REGISTERED_SCHEMAS } from './schemas.js';

/** Largest WebSocket message a client may send. */
export const MAX_WS_MESSAGE_BYTES = 64 * 1024;

export async function buildApp(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options),
    bodyLimit: MAX_PIPELINE_BYTES,
    // JSON with __proto__ or constructor keys is refused before it reaches a route.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Errors the router raises before any handler (a malformed URL, a path parameter past
    // its length limit) leave in the same shape as every other error, without echoing the URL.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      void reply.status(400).send({
        error: {
          code: 'bad-request',
          message:
            error.code === 'FST_ERR_MAX_PARAM_LENGTH'
              ? 'A part of the address is too long.'
              : 'The address of the request is not valid.',
        },
      });
    },
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
  for (const schema of REGISTERED_SCHEMAS) app.addSchema(schema);

  // App plugins.
  await app.register(errorsPlugin);
  await app.register(jsonBodyPlugin);
  // Storage first: it takes the data directory's lock before anything opens the
  // database, and plugins close in reverse order, so jobs stop before it closes.
  await app.register(storagePlugin, { dataDir: options.dataDir });
  // Sessions are kept in the database.
  await app.register(authPlugin, {
    token: options.token,
    allowedOrigins: options.allowedOrigins,
    stateDir: stateDir(options),
  });
  // Pipelines read and write files only under files/; the database and the token are in state/, beside it.
  await app.register(jobsPlugin, {
    dataDir: filesDir(options),
    dataDirShownAs: 'files',
    stateDir: stateDir(options),
    ...(options.flinkClusters ? { flinkClusters: options.flinkClusters } : {}),
  });

  // Routes.
  await app.register(systemRoutes, {
    ...(options.kafkaBootstrap ? { kafkaBootstrap: options.kafkaBootstrap } : {}),
  });
  await app.register(sessionRoutes, { token: options.token });
  await app.register(jobRoutes);
  await app.register(liveRoutes, { allowedOrigins: options.allowedOrigins });
  await app.register(metricsRoutes);
  await app.register(pipelineRoutes);
  await app.register(flinkRoutes);
  await app.register(
    kafkaRoutes,
    options.kafkaBootstrap ? { bootstrap: options.kafkaBootstrap } : {},
  );
  await app.register(webPlugin, options.webRoot ? { webRoot: options.webRoot } : {});
  return app;
}
