// Health, the catalog and validation: the routes that need no state.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  CatalogEntrySchema,
  DiagnosticRef,
  describeCatalog,
  hasErrors,
  validatePipeline,
} from '@sluice/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../schemas.js';
import { refuseOversized } from './limits.js';

export const VERSION = '0.1.0';

/** The catalog, with this server's Kafka cluster as the default of every kind that has bootstrap servers. */
function catalogFor(kafkaBootstrap: string | undefined) {
  const catalog = describeCatalog();
  if (kafkaBootstrap === undefined) return catalog;
  return catalog.map((entry) => {
    if (!Object.hasOwn(entry.defaults, 'bootstrapServers')) return entry;
    return { ...entry, defaults: { ...entry.defaults, bootstrapServers: kafkaBootstrap } };
  });
}

export async function systemRoutes(fastify: FastifyInstance, options: { kafkaBootstrap?: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const catalog = catalogFor(options.kafkaBootstrap);
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        summary: 'Is the server up',
        tags: ['system'],
        response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String() }) },
      },
    },
    async () => ({ status: 'ok' as const, version: VERSION }),
  );

  app.get(
    '/api/catalog',
    {
      schema: {
        summary: 'The operator catalog: kinds, ports and config JSON Schemas',
        description:
          "With a default Kafka cluster (--kafka), the Kafka kinds' default bootstrap servers are that cluster.",
        tags: ['system'],
        response: {
          200: Type.Array(CatalogEntrySchema),
          ...errorResponses,
        },
      },
    },
    async () => catalog,
  );

  app.post(
    '/api/pipelines/validate',
    {
      preValidation: refuseOversized(),
      schema: {
        summary: 'Validate a pipeline document',
        tags: ['pipelines'],
        body: Type.Ref('PipelineDocument'),
        response: {
          200: Type.Object({
            valid: Type.Boolean(),
            diagnostics: Type.Array(DiagnosticRef),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const diagnostics = validatePipeline(request.body);
      return { valid: !hasErrors(diagnostics), diagnostics };
    },
  );
}
