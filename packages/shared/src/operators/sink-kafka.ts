import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, IN } from '../catalog/operator.js';
import { writesEach } from '../catalog/parallel.js';
import { DurationSchema } from '../schema/duration.js';
import { FieldRefSchema } from './common.js';
import { BootstrapServersSchema, KafkaCsvOptionsSchema, TopicSchema } from './kafka-common.js';

const KafkaSinkConfig = Type.Object(
  {
    bootstrapServers: BootstrapServersSchema,
    topic: TopicSchema({ title: 'Topic', description: 'The topic to write to' }),
    keyField: Type.Optional(
      FieldRefSchema({
        title: 'Key field',
        description:
          'Messages with the same key go to the same partition, in order; none spreads them',
      }),
    ),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      title: 'Format',
      description: 'Each message is a JSON object or a CSV line (no header)',
    }),
    csv: Defaulted(KafkaCsvOptionsSchema, {}),
    compression: Defaulted(
      Type.Union(
        [
          Type.Literal('none'),
          Type.Literal('gzip'),
          Type.Literal('snappy'),
          Type.Literal('lz4'),
          Type.Literal('zstd'),
        ],
        {
          title: 'Compression',
          description: 'How batches of messages are compressed (zstd needs Node 22.15 or later)',
        },
      ),
      'none',
    ),
    unreachableTimeout: Defaulted(
      DurationSchema({
        title: 'Unreachable timeout',
        description:
          'How long the sink keeps retrying while Kafka cannot be reached before the job fails',
      }),
      '2m',
    ),
    delivery: Defaulted(
      Type.Union([Type.Literal('exactly-once'), Type.Literal('at-least-once')], {
        title: 'Delivery',
        description:
          'Exactly once: messages are written in Kafka transactions, visible to read_committed consumers at each checkpoint, and a restored job neither repeats nor loses one. Only when the job takes checkpoints; without, and with at least once, messages are visible at once and a restart may write some again',
      }),
      'exactly-once',
    ),
  },
  { additionalProperties: false },
);
export type KafkaSinkConfig = Static<typeof KafkaSinkConfig>;

export const sinkKafka = defineOperator({
  kind: 'sink.kafka',
  label: 'Kafka sink',
  category: 'sink',
  description:
    'Writes records to a Kafka topic as JSON or CSV messages. When the job takes checkpoints, exactly once in Kafka transactions committed at each checkpoint (consumers must read read_committed); otherwise at least once: acknowledged by the brokers before the sources save their position.',
  icon: 'radio-tower',
  inputs: [IN],
  outputs: [],
  delivery: 'exactly-once',
  config: KafkaSinkConfig,
  defaults: {
    bootstrapServers: 'localhost:9092',
    topic: 'results',
    format: 'json',
    compression: 'none',
    delivery: 'exactly-once',
  },
  parallel: writesEach(),
  state: {
    holds: 'its transaction in flight (to commit or abort after a restore)',
    fields: {
      bootstrapServers: 'shapes',
      topic: 'shapes',
      keyField: 'free',
      format: 'free',
      csv: 'free',
      compression: 'free',
      unreachableTimeout: 'free',
      delivery: 'shapes',
    },
  },
  infer({ config, inputs, error }) {
    const fields = inputs.in?.[0]?.fields;
    if (config.keyField !== undefined && fields && !fields.some((f) => f.name === config.keyField))
      error(
        'keyField',
        'config.unknown-field',
        `Key field '${config.keyField}' is not a field of the input (${fields.map((f) => f.name).join(', ')}).`,
      );
    return {};
  },
});
