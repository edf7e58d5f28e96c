// Pipelines too large or too deep for analysis are refused before it starts:
// a 45 000-node document once held the event loop for half a minute.
import { pipelineLimitProblem } from '@sluice/shared';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/** A preValidation hook refusing the pipeline document `documentOf` finds in the body. */
export function refuseOversized(documentOf: (body: object) => unknown = (body) => body) {
  return async (request: FastifyRequest): Promise<void> => {
    const body = request.body;
    const document =
      body !== null && typeof body === 'object' && !Array.isArray(body)
        ? documentOf(body)
        : undefined;
    const problem = pipelineLimitProblem(document);
    if (!problem) return;
    throw new AppError(
      problem.code === 'format.too-large' ? 'payload-too-large' : 'bad-request',
      problem.message,
      [problem],
    );
  };
}

/** The document inside a `{pipeline}` body. */
export const pipelineField = (body: object) => ('pipeline' in body ? body.pipeline : undefined);
