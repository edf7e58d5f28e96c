// Jobs: deploy a pipeline, list and inspect what runs, stop and resume it,
// read its bad records and its preview sinks.

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  DeployedJobSchema,
  DiagnosticRef,
  EventTimeViewSchema,
  FollowSchema,
  JobDetailSchema,
  JobStatusSchema,
  JobSummarySchema,
  NodeViewSchema,
  RECORD_ERRORS_KEPT,
  RecordErrorSchema,
  RecordPageSchema,
  readPipelineValue,
  TestCaseRequestSchema,
  TestCaseSchema,
  UpgradePlanSchema,
  WhatIfRequestSchema,
  WhatIfResultSchema,
} from '@sluice/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import type { JobOrigin } from '../jobs/handle.js';
import { testCaseOf, whatIf } from '../jobs/what-if.js';
import { errorResponses } from '../schemas.js';
import { pipelineField, refuseOversized } from './limits.js';

const JobId = Type.String({ minLength: 1, maxLength: 100 });
const NodeId = Type.String({ minLength: 1, maxLength: 200 });
const tags = ['jobs'];

/** A version to deploy: a stored one by id (and version), or a document given inline. */
const VersionFields = {
  pipelineId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'Latest when empty' })),
  pipeline: Type.Optional(Type.Ref('PipelineDocument')),
};

export async function jobRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/jobs',
    {
      preValidation: refuseOversized(pipelineField),
      schema: {
        summary: 'Deploy a pipeline: a stored one by id (and version), or a document given inline',
        tags,
        body: Type.Object(
          {
            pipelineId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            version: Type.Optional(Type.Integer({ minimum: 1, description: 'Latest when empty' })),
            pipeline: Type.Optional(Type.Ref('PipelineDocument')),
          },
          { description: 'Either pipelineId (with an optional version) or pipeline' },
        ),
        response: {
          201: DeployedJobSchema,
          ...errorResponses,
          503: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if ((body.pipelineId === undefined) === (body.pipeline === undefined)) {
        throw new AppError(
          'bad-request',
          'Give either pipelineId or pipeline, not both and not neither.',
        );
      }
      if (body.pipeline !== undefined && body.version !== undefined) {
        throw new AppError('bad-request', 'A version needs a pipelineId.');
      }
      const job =
        body.pipelineId === undefined
          ? await app.jobs.startChecked(body.pipeline)
          : await startStored(app, body.pipelineId, body.version);
      return reply.status(201).send({ id: job.id, status: job.status });
    },
  );

  app.post(
    '/api/pipelines/preflight',
    {
      preValidation: refuseOversized(),
      schema: {
        summary:
          'Check what can be checked before a pipeline runs: it is valid, its files are in the data directory, its Kafka topics exist',
        tags: ['pipelines'],
        body: Type.Ref('PipelineDocument'),
        response: {
          200: Type.Object({
            ready: Type.Boolean({ description: 'No errors: a deploy would start it' }),
            diagnostics: Type.Array(DiagnosticRef),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const read = readPipelineValue(request.body);
      const diagnostics = [...read.diagnostics];
      if (read.pipeline && !diagnostics.some((d) => d.severity === 'error'))
        diagnostics.push(...(await app.jobs.preflight(read.pipeline)));
      return { ready: !diagnostics.some((d) => d.severity === 'error'), diagnostics };
    },
  );

  app.get(
    '/api/jobs',
    {
      schema: {
        summary:
          'List the jobs: running ones and the latest 100 that ended, newest first; the list survives a restart',
        tags,
        response: { 200: Type.Array(JobSummarySchema), ...errorResponses },
      },
    },
    async () => app.jobs.list(),
  );

  app.get(
    '/api/jobs/:id',
    {
      schema: {
        summary: 'A job, with its latest metrics snapshot',
        tags,
        params: Type.Object({ id: JobId }),
        response: { 200: JobDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const job = app.jobs.get(request.params.id);
      const metrics = job.metrics;
      return metrics ? { ...job.summary(), metrics } : job.summary();
    },
  );

  app.post(
    '/api/jobs/:id/stop',
    {
      schema: {
        summary:
          'Stop a job. A job that checkpoints takes a last checkpoint once its sources stop, so its exactly-once sinks publish everything; with savepoint, that last one is a savepoint to resume from. With drain, its input ends first so every open window fires',
        tags,
        params: Type.Object({ id: JobId }),
        body: Type.Object(
          {
            drain: Type.Optional(Type.Boolean()),
            savepoint: Type.Optional(
              Type.Boolean({
                description:
                  "Stop with a savepoint, recorded as the job's savepoint; 409 when the job takes no checkpoints",
              }),
            ),
          },
          { description: 'Optional' },
        ),
        response: { 200: JobSummarySchema, ...errorResponses, 409: Type.Ref('ErrorResponse') },
      },
      // The body is optional: no body means no drain.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const { drain = false, savepoint = false } = request.body;
      return app.jobs.stop(request.params.id, drain, savepoint);
    },
  );

  app.post(
    '/api/jobs/:id/resume',
    {
      schema: {
        summary:
          'Start a stopped (or failed) job again, same id, from its savepoint, else its latest checkpoint; 409 when it is running, finished, or has nothing to resume from',
        tags,
        params: Type.Object({ id: JobId }),
        response: {
          200: JobSummarySchema,
          ...errorResponses,
          409: Type.Ref('ErrorResponse'),
          503: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (request) => {
      const job = await app.jobs.resume(request.params.id);
      return job.summary();
    },
  );

  app.post(
    '/api/jobs/:id/plan',
    {
      preValidation: refuseOversized(pipelineField),
      schema: {
        summary:
          "What deploying another version in place of a running (or savepointed) job's would do to its state, node by node: kept, migrated, dropped, new, removed; for sources, whether their position is kept. 409 when the job has no state to keep",
        tags,
        params: Type.Object({ id: JobId }),
        body: Type.Object(VersionFields, {
          description: 'The new version: either pipelineId (with an optional version) or pipeline',
        }),
        response: { 200: UpgradePlanSchema, ...errorResponses, 409: Type.Ref('ErrorResponse') },
      },
    },
    async (request) => {
      const { document } = versionOf(app, request.body);
      return app.jobs.plan(request.params.id, document);
    },
  );

  app.post(
    '/api/jobs/:id/upgrade',
    {
      preValidation: refuseOversized(pipelineField),
      schema: {
        summary:
          'Deploy another version in place of a job. Keeping its state: savepoint, stop, restore into the new version through the upgrade plan, start, under the same id (409 when it has no state to keep). From scratch: stop it and start a new job',
        tags,
        params: Type.Object({ id: JobId }),
        body: Type.Object(
          {
            ...VersionFields,
            keepState: Type.Boolean({
              description: 'true: carry the state over as the plan says; false: from scratch',
            }),
          },
          { description: 'The new version (pipelineId and version, or pipeline), and how' },
        ),
        response: {
          200: Type.Object({
            id: Type.String({ description: 'The job running the new version' }),
            status: JobStatusSchema,
            plan: Type.Optional(UpgradePlanSchema),
          }),
          ...errorResponses,
          409: Type.Ref('ErrorResponse'),
          503: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (request) => {
      const { document, origin } = versionOf(app, request.body);
      const { job, plan } = await app.jobs.upgrade(
        request.params.id,
        document,
        origin,
        request.body.keepState,
      );
      return { id: job.id, status: job.status, ...(plan ? { plan } : {}) };
    },
  );

  app.get(
    '/api/jobs/:id/errors',
    {
      schema: {
        summary: `The latest bad records of a job (up to ${RECORD_ERRORS_KEPT}), oldest first, with the reason`,
        tags,
        params: Type.Object({ id: JobId }),
        querystring: Type.Object({ nodeId: Type.Optional(NodeId) }),
        response: { 200: Type.Array(RecordErrorSchema), ...errorResponses },
      },
    },
    async (request) => {
      return app.jobs.get(request.params.id).errors(request.query.nodeId);
    },
  );

  app.get(
    '/api/jobs/:id/preview/:nodeId',
    {
      schema: {
        summary:
          "What a node shows of itself: a preview sink's latest rows, a console sink's lines",
        tags,
        params: Type.Object({ id: JobId, nodeId: NodeId }),
        response: {
          200: Type.Union([NodeViewSchema, Type.Null()], {
            description: "A preview sink's rows or a console sink's lines; null for other nodes",
          }),
          ...errorResponses,
          503: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (request) => {
      return app.jobs.get(request.params.id).inspect(request.params.nodeId);
    },
  );

  app.get(
    '/api/jobs/:id/nodes/:nodeId/event-time',
    {
      schema: {
        summary:
          "Why a node's event time stands where it does: each input's watermark, the source or partition holding it back, the windows yet to fire, the latest late records",
        tags,
        params: Type.Object({ id: JobId, nodeId: NodeId }),
        response: {
          200: Type.Union([EventTimeViewSchema, Type.Null()], {
            description: 'null on Flink, which does not tell Sluice its watermark per input',
          }),
          ...errorResponses,
          409: Type.Ref('ErrorResponse'),
          503: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (request) => {
      return app.jobs.get(request.params.id).explain(request.params.nodeId);
    },
  );

  app.get(
    '/api/jobs/:id/edges/:edgeId/records',
    {
      schema: {
        summary:
          'The records that passed on a connection lately, newest first: sampled and bounded (by count, bytes and age), to go back in time',
        tags,
        params: Type.Object({ id: JobId, edgeId: Type.String({ minLength: 1, maxLength: 200 }) }),
        querystring: Type.Object({
          until: Type.Optional(
            Type.Number({
              description: 'Only records that passed at or before this time (epoch ms)',
            }),
          ),
          before: Type.Optional(
            Type.Integer({
              minimum: 0,
              description: 'Only records before this one (its seq), to page back',
            }),
          ),
          where: Type.Optional(
            Type.String({
              maxLength: 2000,
              description: "A condition over the connection's fields, as a filter's (type-checked)",
            }),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
        }),
        response: {
          200: RecordPageSchema,
          ...errorResponses,
          409: Type.Ref('ErrorResponse'),
          503: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (request) => {
      const { until, before, where, limit } = request.query;
      return app.jobs.get(request.params.id).records(request.params.edgeId, {
        ...(until === undefined ? {} : { until }),
        ...(before === undefined ? {} : { before }),
        ...(where === undefined ? {} : { where }),
        ...(limit === undefined ? {} : { limit }),
      });
    },
  );

  app.post(
    '/api/jobs/:id/what-if',
    {
      schema: {
        summary:
          "What an edit would do: the job's recorded records replayed through its running version and through the edited pipeline, in a worker with none of the job's sources or sinks, each sink's rows compared",
        tags,
        params: Type.Object({ id: JobId }),
        body: WhatIfRequestSchema,
        response: {
          200: WhatIfResultSchema,
          ...errorResponses,
          409: Type.Ref('ErrorResponse'),
          503: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (request) => {
      const job = app.jobs.get(request.params.id);
      const read = readPipelineValue(request.body.pipeline);
      const problem = read.diagnostics.find((d) => d.severity === 'error');
      if (!read.pipeline || problem) {
        throw new AppError(
          'invalid-pipeline',
          `The edited pipeline has a problem: ${problem?.message ?? 'it is not a pipeline'}`,
          read.diagnostics,
        );
      }
      return whatIf(job, read.pipeline, request.body.from);
    },
  );

  app.post(
    '/api/jobs/:id/test-case',
    {
      schema: {
        summary:
          "The job's recorded records and the rows its running version makes of them, as a case for sluice test (PIPELINE.tests.json)",
        tags,
        params: Type.Object({ id: JobId }),
        body: TestCaseRequestSchema,
        response: {
          200: TestCaseSchema,
          ...errorResponses,
          409: Type.Ref('ErrorResponse'),
          503: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (request) => {
      const job = app.jobs.get(request.params.id);
      return testCaseOf(job, request.body.name, request.body.from);
    },
  );

  app.get(
    '/api/jobs/:id/follow',
    {
      schema: {
        summary:
          'One key followed through the job: on every connection, the latest recorded records whose field has this value',
        tags,
        params: Type.Object({ id: JobId }),
        querystring: Type.Object({
          field: Type.String({ minLength: 1, maxLength: 200 }),
          value: Type.String({ maxLength: 2000, description: 'As text; NULL for a null' }),
        }),
        response: {
          200: FollowSchema,
          ...errorResponses,
          409: Type.Ref('ErrorResponse'),
          503: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (request) => {
      return app.jobs.get(request.params.id).follow(request.query.field, request.query.value);
    },
  );
}

/** Deploys a stored version (the current one by default); the store answers 404 for unknown ones. */
function startStored(app: FastifyInstance, pipelineId: string, version?: number) {
  const stored = app.store.getVersion(pipelineId, version);
  return app.jobs.startChecked(stored.pipeline, {
    pipelineId: stored.id,
    pipelineVersion: stored.version,
  });
}

/** The document a request names (stored, by id and version, or inline) and where it comes from. */
function versionOf(
  app: FastifyInstance,
  body: { pipelineId?: string; version?: number; pipeline?: unknown },
): { document: unknown; origin: JobOrigin } {
  if ((body.pipelineId === undefined) === (body.pipeline === undefined)) {
    throw new AppError(
      'bad-request',
      'Give either pipelineId or pipeline, not both and not neither.',
    );
  }
  if (body.pipelineId === undefined) {
    if (body.version !== undefined)
      throw new AppError('bad-request', 'A version needs a pipelineId.');
    return { document: body.pipeline, origin: {} };
  }
  const stored = app.store.getVersion(body.pipelineId, body.version);
  return {
    document: stored.pipeline,
    origin: { pipelineId: stored.id, pipelineVersion: stored.version },
  };
}
