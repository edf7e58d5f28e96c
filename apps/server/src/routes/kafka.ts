// Browsing a Kafka cluster for the designer: its topics, and a sample of one
// topic's latest messages with the record schema they suggest. The server
// connects where an authenticated user points it (docs/api.md), so the
// address is checked for shape and every call is bounded in time and size.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { KafkaBrowseError, listTopics, MAX_SAMPLE_MESSAGES, sampleTopic } from '@sluice/engine';
import {
  BOOTSTRAP_SERVERS_PATTERN,
  inferSchema,
  type KafkaMessage,
  KafkaSampleSchema,
  KafkaTopicSchema,
  MAX_BOOTSTRAP_SERVERS_LENGTH,
} from '@sluice/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { errorResponses } from '../schemas.js';

/** How long a call waits for the cluster before answering 503. */
export const KAFKA_TIMEOUT_MS = 5_000;

const tags = ['kafka'];
const Bootstrap = Type.Optional(
  // The operators' rule for the address, without their default: the server's own default applies.
  Type.String({
    maxLength: MAX_BOOTSTRAP_SERVERS_LENGTH,
    pattern: BOOTSTRAP_SERVERS_PATTERN,
    description:
      "host:port of the cluster's brokers, comma-separated; the server's default when empty",
  }),
);
const responses = { ...errorResponses, 503: Type.Ref('ErrorResponse') };

export async function kafkaRoutes(fastify: FastifyInstance, options: { bootstrap?: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const bootstrapOf = (query: { bootstrap?: string }): string => {
    const bootstrap = query.bootstrap?.trim() || options.bootstrap;
    if (!bootstrap) {
      throw new AppError(
        'bad-request',
        'Say which Kafka cluster: give bootstrap servers, or start the server with --kafka host:port.',
      );
    }
    return bootstrap;
  };

  app.get(
    '/api/kafka/topics',
    {
      schema: {
        summary:
          "The cluster's topics, with partitions and message counts (internal topics left out)",
        tags,
        querystring: Type.Object({ bootstrap: Bootstrap }, { additionalProperties: false }),
        response: { 200: Type.Array(KafkaTopicSchema), ...responses },
      },
    },
    async (request) => {
      const bootstrap = bootstrapOf(request.query);
      try {
        return await listTopics(bootstrap, { timeoutMs: KAFKA_TIMEOUT_MS });
      } catch (error) {
        throw browseFailure(error);
      }
    },
  );

  app.get(
    '/api/kafka/topics/:topic/sample',
    {
      schema: {
        summary:
          "A topic's latest messages (newest first, read without a consumer group) and the record schema they suggest",
        tags,
        params: Type.Object({ topic: Type.String({ pattern: '^[A-Za-z0-9._-]{1,249}$' }) }),
        querystring: Type.Object(
          {
            bootstrap: Bootstrap,
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: MAX_SAMPLE_MESSAGES, default: 20 }),
            ),
            format: Type.Optional(
              Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('raw')], {
                description: 'Read the values in this format; found from them when empty',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: KafkaSampleSchema,
          ...responses,
        },
      },
    },
    async (request) => {
      const { topic } = request.params;
      const query = request.query;
      const bootstrap = bootstrapOf(query);
      let messages: KafkaMessage[];
      try {
        messages = await sampleTopic(bootstrap, topic, {
          limit: query.limit ?? 20,
          timeoutMs: KAFKA_TIMEOUT_MS,
        });
      } catch (error) {
        throw browseFailure(error);
      }
      // A value cut short is not valid JSON or a whole line: it would only mislead the guess.
      const values = messages.filter((m) => !m.truncated).map((m) => m.value);
      const inferred = inferSchema(values, query.format ? { format: query.format } : {});
      return { messages, inferred };
    },
  );
}

function browseFailure(error: unknown): unknown {
  if (!(error instanceof KafkaBrowseError)) return error;
  return error.reason === 'unknown-topic'
    ? new AppError('not-found', error.message)
    : new AppError('unavailable', error.message);
}
