// Browsing a Kafka cluster on the wire: its topics, and a sample of one topic.
import { type Static, Type } from 'typebox';
import { FieldTypeSchema } from '../schema/field.js';
import type { InferredSchema } from '../schema/infer.js';
import type { Assert, SameShape } from './same-shape.js';

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

/** What inferSchema answers; the check below keeps the two in step. */
const InferredSchemaSchema = Type.Object({
  format: Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('raw')]),
  delimiter: Type.Optional(Type.String()),
  fields: Type.Array(
    Type.Object({
      name: Type.String(),
      // The field types without the form's title and description.
      type: Type.Union(FieldTypeSchema.anyOf),
    }),
  ),
  eventTimeField: Type.Optional(Type.String()),
  skipped: Type.Array(Type.Object({ name: Type.String(), reason: Type.String() })),
  sampled: Type.Integer(),
  unreadable: Type.Integer(),
});
type _Inferred = Assert<SameShape<Static<typeof InferredSchemaSchema>, InferredSchema>>;

/** A topic's latest messages, newest first, and the record schema they suggest. */
export const KafkaSampleSchema = Type.Object({
  messages: Type.Array(KafkaMessageSchema),
  inferred: InferredSchemaSchema,
});
export type KafkaSample = Static<typeof KafkaSampleSchema>;
