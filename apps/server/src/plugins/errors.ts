// The one error handler: every error leaves as {error: {code, message, details?}}
// with a stable code; a 5xx never shows internals.

import { MAX_PIPELINE_BYTES } from '@sluice/shared';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type ErrorCode } from '../errors.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid-json',
  FST_ERR_BAD_STATUS_CODE: 'internal',
};

export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      const body = {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      };
      return reply.status(error.statusCode).send({ error: body });
    }
    if (error.validation) {
      return reply.status(400).send({
        error: {
          code: 'bad-request',
          message: `The request is not valid: ${error.message}`,
          details: error.validation.map((v) => ({ path: v.instancePath, message: v.message })),
        },
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({
        error: {
          code: 'internal',
          message: 'Something went wrong on the server. It has been logged.',
        },
      });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({
        error: {
          code: 'payload-too-large',
          message: `The request is larger than ${MAX_PIPELINE_BYTES / 1024 / 1024} MB, the most Sluice accepts.`,
        },
      });
    }
    const code: ErrorCode =
      FASTIFY_CODES[error.code] ??
      (error instanceof SyntaxError || /JSON|prototype|constructor/i.test(error.message)
        ? 'invalid-json'
        : status === 429
          ? 'too-many-requests'
          : 'bad-request');
    return reply.status(status).send({ error: { code, message: error.message } });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: {
        code: 'not-found',
        message: `There is no route ${request.method} ${request.url.split('?')[0]}.`,
      },
    });
  });
});
