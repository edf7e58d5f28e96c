// Stored pipelines: create, read, save new versions, delete, export, import,
// and the version history. Drafts may have graph errors and are stored with
// their diagnostics; only a document that is not a pipeline at all is refused.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  exportFileName,
  exportPipeline,
  ImportedPipelineSchema,
  type Pipeline,
  PipelineIdSchema,
  PipelineRecordSchema,
  PipelineSummarySchema,
  readPipelineValue,
  VersionSummarySchema,
} from '@sluice/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { errorResponses } from '../schemas.js';
import { pipelineField, refuseOversized } from './limits.js';

const IdParams = Type.Object({ id: PipelineIdSchema });
const VersionParams = Type.Object({
  id: PipelineIdSchema,
  version: Type.Integer({ minimum: 1 }),
});

const SaveBody = Type.Object({
  pipeline: Type.Ref('PipelineDocument'),
  expectedVersion: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'The version the edit started from; a later save in between is a 409 conflict',
    }),
  ),
});

const withConflict = { ...errorResponses, 409: Type.Ref('ErrorResponse') };

/** The pipeline in a request body, or an invalid-pipeline error carrying the diagnostics. */
function pipelineFrom(body: unknown): { pipeline: Pipeline; migrations: string[] } {
  const read = readPipelineValue(body);
  if (!read.pipeline) {
    const first = read.diagnostics.find((d) => d.severity === 'error');
    throw new AppError(
      'invalid-pipeline',
      `This is not a Sluice pipeline${first ? `: ${first.message}` : '.'}`,
      read.diagnostics,
    );
  }
  return { pipeline: read.pipeline, migrations: read.migrations };
}

export async function pipelineRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/pipelines',
    {
      schema: {
        summary: 'List stored pipelines at their current version, most recently saved first',
        tags: ['pipelines'],
        response: { 200: Type.Array(PipelineSummarySchema), ...errorResponses },
      },
    },
    async () => app.store.list(),
  );

  app.post(
    '/api/pipelines',
    {
      // The body is judged by readPipelineValue, so a non-pipeline gets
      // invalid-pipeline with diagnostics rather than a bare schema error.
      attachValidation: true,
      preValidation: refuseOversized(),
      schema: {
        summary: 'Store a new pipeline (drafts with errors are kept, with their diagnostics)',
        tags: ['pipelines'],
        body: Type.Ref('PipelineDocument'),
        response: { 201: PipelineRecordSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { pipeline } = pipelineFrom(request.body);
      return reply.status(201).send(app.store.create(pipeline));
    },
  );

  app.post(
    '/api/pipelines/import',
    {
      attachValidation: true,
      preValidation: refuseOversized(),
      schema: {
        summary:
          'Import a pipeline document: older formats are migrated, anything else is refused with its diagnostics',
        tags: ['pipelines'],
        body: Type.Ref('PipelineDocument'),
        response: { 201: ImportedPipelineSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { pipeline, migrations } = pipelineFrom(request.body);
      return reply.status(201).send({ ...app.store.create(pipeline, 'import'), migrations });
    },
  );

  app.get(
    '/api/pipelines/:id',
    {
      schema: {
        summary: 'A pipeline at its current version, with fresh diagnostics',
        tags: ['pipelines'],
        params: IdParams,
        response: { 200: PipelineRecordSchema, ...errorResponses },
      },
    },
    async (request) => app.store.get(request.params.id),
  );

  app.put(
    '/api/pipelines/:id',
    {
      preValidation: refuseOversized(pipelineField),
      schema: {
        summary:
          'Save a new version. Body: {pipeline, expectedVersion?}; with expectedVersion, a save made by someone else in between is refused with 409',
        tags: ['pipelines'],
        params: IdParams,
        body: SaveBody,
        response: { 200: PipelineRecordSchema, ...withConflict },
      },
    },
    async (request) => {
      const { pipeline } = pipelineFrom(request.body.pipeline);
      return app.store.update(request.params.id, pipeline, request.body.expectedVersion);
    },
  );

  app.delete(
    '/api/pipelines/:id',
    {
      schema: {
        summary: 'Delete a pipeline and all its versions',
        description: 'Refused (409) while a job deployed from the pipeline is running.',
        tags: ['pipelines'],
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const running = app.jobs
        .list()
        .filter((job) => job.pipelineId === id && job.status === 'running');
      if (running.length > 0) {
        throw new AppError(
          'conflict',
          `Pipeline '${id}' has ${running.length === 1 ? 'a running job' : 'running jobs'} (${running.map((j) => j.id).join(', ')}): stop ${running.length === 1 ? 'it' : 'them'} before deleting the pipeline.`,
        );
      }
      app.store.remove(id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/pipelines/:id/export',
    {
      schema: {
        summary: 'Download the canonical JSON of the current version (or of ?version=n)',
        tags: ['pipelines'],
        params: IdParams,
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: {
          200: Type.String({ description: 'The pipeline document, as a JSON file' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { pipeline } = app.store.getVersion(request.params.id, request.query.version);
      // A Buffer is sent as is: the text is already JSON and must stay byte-for-byte canonical.
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName(pipeline.name)}"`)
        .send(Buffer.from(exportPipeline(pipeline)));
    },
  );

  app.get(
    '/api/pipelines/:id/versions',
    {
      schema: {
        summary:
          'The saved versions of a pipeline, newest first: a run of autosaves is one version; each says what changed since the one before it and which job last ran it',
        tags: ['pipelines'],
        params: IdParams,
        response: { 200: Type.Array(VersionSummarySchema), ...errorResponses },
      },
    },
    async (request) => app.store.versions(request.params.id),
  );

  app.get(
    '/api/pipelines/:id/versions/:version',
    {
      schema: {
        summary:
          'A pipeline as it was at one saved version (updatedAt is when that version was saved)',
        tags: ['pipelines'],
        params: VersionParams,
        response: { 200: PipelineRecordSchema, ...errorResponses },
      },
    },
    async (request) => app.store.version(request.params.id, request.params.version),
  );

  app.post(
    '/api/pipelines/:id/versions/:version/restore',
    {
      schema: {
        summary: "Save an old version's document again, as a new version",
        tags: ['pipelines'],
        params: VersionParams,
        response: { 200: PipelineRecordSchema, ...errorResponses },
      },
    },
    async (request) => app.store.restore(request.params.id, request.params.version),
  );

  app.patch(
    '/api/pipelines/:id/versions/:version',
    {
      schema: {
        summary:
          'Name a version (label), or take its name away (null). A named version is kept as it is: later saves start a new version',
        tags: ['pipelines'],
        params: VersionParams,
        body: Type.Object({
          label: Type.Union([Type.String({ maxLength: 120 }), Type.Null()]),
        }),
        response: { 200: VersionSummarySchema, ...errorResponses },
      },
    },
    async (request) =>
      app.store.label(request.params.id, request.params.version, request.body.label),
  );
}
