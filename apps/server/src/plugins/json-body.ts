// The JSON body parser: Fastify's own (which refuses prototype keys), after a
// linear scan of the text that refuses nesting past the pipeline limit, so
// nothing recursive ever meets a hostile depth.
import { jsonTextPastDepth, PIPELINE_LIMITS } from '@sluice/shared';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';

export const jsonBodyPlugin = fp(async (app: FastifyInstance) => {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    const deep = jsonTextPastDepth(text, PIPELINE_LIMITS.depth);
    if (deep) {
      done(
        new AppError(
          'bad-request',
          `The request nests lists and objects more than ${PIPELINE_LIMITS.depth} levels deep (at line ${deep.line}, column ${deep.column}); Sluice reads at most ${PIPELINE_LIMITS.depth} levels.`,
        ),
        undefined,
      );
      return;
    }
    parse(request, text, done);
  });
});
