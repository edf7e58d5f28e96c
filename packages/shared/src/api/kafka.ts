// Browsing a Kafka cluster on the wire: its topics, and a sample of one topic.
import { type Static, Type } from 'typebox';
import { FieldTypeSchema } from '../schema/field.js';

/** A topic of the cluster, as `GET /api/kafka/topics` lists it. */
export const KafkaTopicSchema = Type.Object({
  name: Type.String(),
  partitions: Type.Integer(),
  messages: Type.Number({ description: 'Messages held now, summed over partitions' }),
});
export type KafkaTopic = Static<typeof KafkaTopicSchema>;

export const KafkaMessageSchema = Type.Object({
  partition: Type.Integer(),
  offset: Type.String({ description: 'A 64-bit offset, as decimal text' }),
  timestamp: Type.Number({ description: 'The Kafka timestamp, epoch ms' }),
  key: Type.Union([Type.String(), Type.Null()]),
  value: Type.Union([Type.String(), Type.Null()]),
  truncated: Type.Boolean({ description: 'The value was cut to 16 384 characters' }),
});
export type KafkaMessage = Static<typeof KafkaMessageSchema>;

export const InferredFormatSchema = Type.Union([
  Type.Literal('json'),
  Type.Literal('csv'),
  Type.Literal('raw'),
]);

/** What inferSchema answers: a record schema guessed from sample values. */
export const InferredSchemaSchema = Type.Object({
  format: InferredFormatSchema,
  delimiter: Type.Optional(Type.String({ description: 'With CSV: the column delimiter found' })),
  fields: Type.Array(
    Type.Object({
      name: Type.String(),
      // The field types without the form's title and description.
      type: Type.Union(FieldTypeSchema.anyOf),
    }),
  ),
  eventTimeField: Type.Optional(
    Type.String({
      description: 'The timestamp field that most likely says when each event happened',
    }),
  ),
  skipped: Type.Array(Type.Object({ name: Type.String(), reason: Type.String() }), {
    description: 'Keys or columns left out, with why',
  }),
  sampled: Type.Integer({ description: 'Values used' }),
  unreadable: Type.Integer({ description: 'Values not in the format: not used' }),
});
export type InferredSchema = Static<typeof InferredSchemaSchema>;

/** A topic's latest messages, newest first, and the record schema they suggest. */
export const KafkaSampleSchema = Type.Object({
  messages: Type.Array(KafkaMessageSchema),
  inferred: InferredSchemaSchema,
});
export type KafkaSample = Static<typeof KafkaSampleSchema>;
