import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, OUT } from '../catalog/operator.js';
import { type Field, fieldNameProblem, IDENTIFIER_PATTERN } from '../schema/field.js';
import { capitalize, checkUniqueFields } from './checks.js';
import { EventTimeSchema, RecordSchemaSchema, streamOf } from './common.js';
import { checkEventTime } from './event-time.js';
import { KafkaCsvOptionsSchema } from './kafka-common.js';
import { AmqpNameSchema, rabbitConnection } from './rabbitmq-common.js';

const RabbitSourceConfig = Type.Object(
  {
    ...rabbitConnection,
    queue: AmqpNameSchema({ title: 'Queue', description: 'The queue to read' }),
    declare: Defaulted(
      Type.Boolean({
        title: 'Declare the queue',
        description:
          'Creates the queue (durable) if it is missing, bound as below; off: it must exist',
      }),
      true,
    ),
    bindings: Type.Optional(
      Type.Array(
        Type.Object(
          {
            exchange: AmqpNameSchema({ title: 'Exchange', description: 'An exchange to bind to' }),
            routingKey: Defaulted(
              Type.String({
                maxLength: 255,
                title: 'Routing key',
                description: 'Messages with this routing key (or pattern, on a topic exchange)',
              }),
              '',
            ),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 32,
          title: 'Bindings',
          description:
            'Exchanges the declared queue takes messages from, each with its routing key (the exchanges must exist)',
        },
      ),
    ),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('raw')], {
      title: 'Format',
      description: 'Each message is a JSON object, a CSV line, or raw text into one string field',
    }),
    schema: RecordSchemaSchema,
    csv: Defaulted(KafkaCsvOptionsSchema, {}),
    routingKeyField: Type.Optional(
      Type.String({
        pattern: IDENTIFIER_PATTERN,
        title: 'Routing key field',
        description: "A string field to add holding each message's routing key",
      }),
    ),
    eventTime: Type.Optional(EventTimeSchema),
    prefetch: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 65535,
        title: 'Prefetch',
        description:
          'Messages the broker hands out before the first is acknowledged: the backpressure. Messages are acknowledged once their results are safe (at each checkpoint, or once the sinks wrote them), so it must exceed what arrives between two',
      }),
      5000,
    ),
    deadLetterExchange: Type.Optional(
      AmqpNameSchema({
        title: 'Dead-letter exchange',
        description:
          'Messages that cannot be read are published there unchanged (with the routing key they came with and the reason in their headers) before they are acknowledged; none: they go to the errors only',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RabbitSourceConfig = Static<typeof RabbitSourceConfig>;

/** The fields a RabbitMQ source emits: the decoded schema, then the routing key. */
export function rabbitSourceFields(config: RabbitSourceConfig): Field[] {
  const fields: Field[] = [...config.schema];
  if (config.routingKeyField) fields.push({ name: config.routingKeyField, type: 'string' });
  return fields;
}

export const sourceRabbitMQ = defineOperator({
  kind: 'source.rabbitmq',
  label: 'RabbitMQ source',
  category: 'source',
  description:
    'Reads JSON, CSV or text messages from a RabbitMQ queue (unbounded), bound to exchanges if asked. A message is acknowledged only once its results are safe: at the checkpoint after it, or once the sinks have written them; bad ones go to a dead-letter exchange.',
  icon: 'rabbit',
  inputs: [],
  outputs: [OUT],
  config: RabbitSourceConfig,
  defaults: {
    host: '127.0.0.1',
    port: 5672,
    vhost: '/',
    user: 'sluice',
    passwordSecret: 'RABBITMQ_PASSWORD',
    queue: 'events',
    declare: true,
    format: 'json',
    schema: [{ name: 'value', type: 'string' }],
    prefetch: 5000,
    unreachableTimeout: '2m',
  },
  parallel: {
    runs: 'alone',
    why: 'A queue hands each message to one consumer, in no order by key: instances would each get some of every key',
  },
  state: {
    holds:
      'the messages taken since the last checkpoint (to acknowledge, or to recognise when the broker hands them out again) and its watermark',
    fields: {
      host: 'shapes',
      port: 'shapes',
      vhost: 'shapes',
      user: 'free',
      passwordSecret: 'free',
      unreachableTimeout: 'free',
      queue: 'shapes',
      declare: 'free',
      bindings: 'free',
      format: 'free',
      schema: 'free',
      csv: 'free',
      routingKeyField: 'free',
      eventTime: 'shapes',
      prefetch: 'free',
      deadLetterExchange: 'free',
    },
  },
  infer({ config, error }) {
    const fields = rabbitSourceFields(config);
    checkUniqueFields(config.schema, 'schema', error);
    if (config.routingKeyField) {
      const problem = fieldNameProblem(config.routingKeyField);
      if (problem) error('routingKeyField', 'config.field-name', `${capitalize(problem)}.`);
      else if (config.schema.some((f) => f.name === config.routingKeyField))
        error(
          'routingKeyField',
          'config.duplicate-field',
          `Field '${config.routingKeyField}' is already a field of this source.`,
        );
    }
    if (
      config.format === 'raw' &&
      (config.schema.length !== 1 || config.schema[0]!.type !== 'string')
    ) {
      error(
        'schema',
        'config.rabbitmq-raw-schema',
        'With the raw format, the schema is one string field that receives the whole message.',
      );
    }
    if (config.bindings && config.bindings.length > 0 && !config.declare)
      error(
        'bindings',
        'config.rabbitmq-bindings',
        'Bindings are made when the source declares its queue: turn on Declare the queue, or bind it yourself.',
      );
    if (config.eventTime && !checkEventTime(config.eventTime, fields, error)) return undefined;
    return {
      out: config.eventTime
        ? streamOf(fields, 'event', config.eventTime.field)
        : streamOf(fields, 'processing'),
    };
  },
});
