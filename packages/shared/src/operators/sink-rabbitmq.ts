import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, IN } from '../catalog/operator.js';
import { writesEach } from '../catalog/parallel.js';
import { stateless } from '../catalog/state.js';
import { FieldRefSchema } from './common.js';
import { KafkaCsvOptionsSchema } from './kafka-common.js';
import { rabbitConnection } from './rabbitmq-common.js';

const RabbitSinkConfig = Type.Object(
  {
    ...rabbitConnection,
    exchange: Defaulted(
      Type.String({
        maxLength: 255,
        pattern: '^[^\\u0000-\\u001f]{0,255}$',
        title: 'Exchange',
        description:
          'The exchange to publish to (it must exist); empty: the default exchange, where the routing key names a queue',
      }),
      '',
    ),
    routingKey: Defaulted(
      Type.String({
        maxLength: 255,
        title: 'Routing key',
        description: 'The routing key of every message, unless a routing key field gives one',
      }),
      '',
    ),
    declareQueue: Defaulted(
      Type.Boolean({
        title: 'Declare the queue',
        description:
          'With the default exchange: creates the queue the routing key names (durable) if it is missing',
      }),
      false,
    ),
    routingKeyField: Type.Optional(
      FieldRefSchema({
        title: 'Routing key field',
        description: 'A field whose value is each message’s routing key',
      }),
    ),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      title: 'Format',
      description: 'Each message is a JSON object or a CSV line (no header)',
    }),
    csv: Defaulted(KafkaCsvOptionsSchema, {}),
    persistent: Defaulted(
      Type.Boolean({
        title: 'Persistent',
        description: 'Messages survive a broker restart in durable queues',
      }),
      true,
    ),
  },
  { additionalProperties: false },
);
export type RabbitSinkConfig = Static<typeof RabbitSinkConfig>;

export const sinkRabbitMQ = defineOperator({
  kind: 'sink.rabbitmq',
  label: 'RabbitMQ sink',
  category: 'sink',
  description:
    'Publishes records to a RabbitMQ exchange as JSON or CSV messages, with a routing key, persistent by default. At least once: every message is confirmed by the broker before the sources save their position.',
  icon: 'rabbit',
  inputs: [IN],
  outputs: [],
  delivery: 'at-least-once',
  config: RabbitSinkConfig,
  defaults: {
    host: '127.0.0.1',
    port: 5672,
    vhost: '/',
    user: 'sluice',
    passwordSecret: 'RABBITMQ_PASSWORD',
    exchange: '',
    routingKey: 'results',
    declareQueue: true,
    format: 'json',
    persistent: true,
    unreachableTimeout: '2m',
  },
  parallel: writesEach(),
  // Nothing to keep: every message is confirmed before a checkpoint completes.
  state: stateless<RabbitSinkConfig>({
    host: 'free',
    port: 'free',
    vhost: 'free',
    user: 'free',
    passwordSecret: 'free',
    unreachableTimeout: 'free',
    exchange: 'free',
    routingKey: 'free',
    declareQueue: 'free',
    routingKeyField: 'free',
    format: 'free',
    csv: 'free',
    persistent: 'free',
  }),
  infer({ config, inputs, error }) {
    if (config.declareQueue && config.exchange !== '')
      error(
        'declareQueue',
        'config.rabbitmq-declare-queue',
        'Declaring the queue is for the default exchange, where the routing key names a queue: clear the exchange, or bind a queue to it yourself.',
      );
    const fields = inputs.in?.[0]?.fields;
    if (
      config.routingKeyField !== undefined &&
      fields &&
      !fields.some((f) => f.name === config.routingKeyField)
    )
      error(
        'routingKeyField',
        'config.unknown-field',
        `Routing key field '${config.routingKeyField}' is not a field of the input (${fields.map((f) => f.name).join(', ')}).`,
      );
    return {};
  },
});
