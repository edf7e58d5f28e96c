// Flink: the clusters this server knows (the designer offers them as targets),
// and a pipeline as Flink SQL, with what the compiler says of each node.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { compileToFlinkSql } from '@sluice/flink';
import { analyzePipeline, DiagnosticRef, hasErrors, readPipelineValue } from '@sluice/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { errorResponses } from '../schemas.js';
import { refuseOversized } from './limits.js';

const tags = ['flink'];

export async function flinkRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/flink/clusters',
    {
      schema: {
        summary:
          'The Flink clusters this server knows (--flink): a pipeline runs on one with settings.target "flink:NAME"',
        tags,
        response: {
          200: Type.Array(
            Type.Object({
              name: Type.String(),
              gateway: Type.String({ description: 'The SQL Gateway' }),
              rest: Type.String({ description: "The cluster's REST API and web UI" }),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    // Addresses without any user or password they may carry.
    async () =>
      app.jobs.flinkClusters.map((c) => ({
        name: c.name,
        gateway: withoutCredentials(c.gateway),
        rest: withoutCredentials(c.rest),
      })),
  );

  app.post(
    '/api/pipelines/flink-sql',
    {
      preValidation: refuseOversized(),
      schema: {
        summary:
          'A pipeline as Flink SQL: the statements, and an error on each node that cannot run on Flink, a warning where its results can differ',
        tags: ['pipelines', ...tags],
        body: Type.Ref('PipelineDocument'),
        response: {
          200: Type.Object({
            complete: Type.Boolean({
              description: 'Every node compiled: the statements run it all',
            }),
            statements: Type.Array(Type.String()),
            diagnostics: Type.Array(DiagnosticRef),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const read = readPipelineValue(request.body);
      if (!read.pipeline || hasErrors(read.diagnostics)) {
        throw new AppError(
          'invalid-pipeline',
          'The pipeline is not valid, so it cannot be compiled.',
          read.diagnostics,
        );
      }
      const compiled = compileToFlinkSql(read.pipeline, analyzePipeline(read.pipeline).schemas);
      return {
        complete: compiled.complete,
        statements: [...compiled.statements],
        diagnostics: [...compiled.diagnostics],
      };
    },
  );
}

function withoutCredentials(address: string): string {
  const url = new URL(address);
  url.username = '';
  url.password = '';
  return url.toString().replace(/\/+$/, '');
}
