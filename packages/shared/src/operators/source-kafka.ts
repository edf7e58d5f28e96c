import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, OUT } from '../catalog/operator.js';
import { DurationSchema } from '../schema/duration.js';
import {
  type Field,
  FieldNameSchema,
  fieldNameProblem,
  IDENTIFIER_PATTERN,
} from '../schema/field.js';
import { parseTimestamp } from '../schema/timestamp.js';
import { capitalize, checkUniqueFields } from './checks.js';
import { EventTimeSchema, RecordSchemaSchema, streamOf } from './common.js';
import { checkEventTime } from './event-time.js';
import { BootstrapServersSchema, KafkaCsvOptionsSchema, TopicSchema } from './kafka-common.js';

const KafkaSourceConfig = Type.Object(
  {
    bootstrapServers: BootstrapServersSchema,
    topics: Type.Array(
      TopicSchema({
        title: 'Topic',
        description: 'A topic to read',
        'x-sluice-widget': 'kafka-topic',
      }),
      {
        minItems: 1,
        maxItems: 100,
        uniqueItems: true,
        title: 'Topics',
        description: 'The topics to read, all with the same record format',
      },
    ),
    group: Type.String({
      minLength: 1,
      maxLength: 255,
      title: 'Consumer group',
      description:
        'Jobs in the same group share the partitions; the group remembers where it stopped',
    }),
    startFrom: Defaulted(
      Type.Union([Type.Literal('earliest'), Type.Literal('latest'), Type.Literal('timestamp')], {
        title: 'Start from',
        description:
          'Where a group with no saved position starts: the oldest record, new records only, or a time',
      }),
      'earliest',
    ),
    startTimestamp: Type.Optional(
      Type.String({
        maxLength: 64,
        title: 'Start time',
        description: 'With "start from" a time: the first records at or after it (ISO-8601)',
      }),
    ),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('raw')], {
      title: 'Format',
      description: 'Each message is a JSON object, a CSV line, or raw text into one string field',
    }),
    schema: RecordSchemaSchema,
    csv: Defaulted(KafkaCsvOptionsSchema, {}),
    keyField: Type.Optional(
      Type.String({
        pattern: IDENTIFIER_PATTERN,
        title: 'Key field',
        description: "A string field to add holding each message's key",
      }),
    ),
    timestampField: Type.Optional(
      Type.String({
        pattern: IDENTIFIER_PATTERN,
        title: 'Kafka timestamp field',
        description:
          "A timestamp field to add holding each message's Kafka timestamp (usable as event time)",
      }),
    ),
    headerFields: Type.Optional(
      Type.Array(
        Type.Object(
          {
            header: Type.String({ minLength: 1, maxLength: 255, title: 'Header' }),
            field: FieldNameSchema,
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 32,
          title: 'Header fields',
          description: 'Message headers to add as string fields',
        },
      ),
    ),
    eventTime: Type.Optional(EventTimeSchema),
    deadLetterTopic: Type.Optional(
      TopicSchema({
        title: 'Dead-letter topic',
        description:
          'Messages that cannot be read go there unchanged, with the reason in their headers',
      }),
    ),
    commitInterval: Defaulted(
      DurationSchema({
        title: 'Commit interval',
        description: 'How often the position of fully processed records is saved in the group',
      }),
      '5s',
    ),
    unreachableTimeout: Defaulted(
      DurationSchema({
        title: 'Unreachable timeout',
        description:
          'How long the source keeps reconnecting while Kafka cannot be reached before the job fails',
      }),
      '2m',
    ),
  },
  { additionalProperties: false },
);
export type KafkaSourceConfig = Static<typeof KafkaSourceConfig>;

/** The fields a Kafka source emits: the decoded schema, then key, timestamp and headers. */
export function kafkaSourceFields(config: KafkaSourceConfig): Field[] {
  const fields: Field[] = [...config.schema];
  if (config.keyField) fields.push({ name: config.keyField, type: 'string' });
  if (config.timestampField) fields.push({ name: config.timestampField, type: 'timestamp' });
  for (const h of config.headerFields ?? []) fields.push({ name: h.field, type: 'string' });
  return fields;
}

export const sourceKafka = defineOperator({
  kind: 'source.kafka',
  label: 'Kafka source',
  category: 'source',
  description:
    'Reads JSON, CSV or text messages from Kafka topics in a consumer group (unbounded), with watermarks per partition and a dead-letter topic for bad messages.',
  icon: 'radio-tower',
  inputs: [],
  outputs: [OUT],
  config: KafkaSourceConfig,
  defaults: {
    bootstrapServers: 'localhost:9092',
    topics: ['events'],
    group: 'sluice',
    startFrom: 'earliest',
    format: 'json',
    schema: [{ name: 'value', type: 'string' }],
    deadLetterTopic: 'events.dlq',
  },
  parallel: { runs: 'shared', partitionKey: (config) => config.keyField },
  state: {
    holds: 'its offset in every partition it reads, and its watermark',
    fields: {
      bootstrapServers: 'shapes',
      topics: 'shapes',
      // A restored source reads on from the checkpoint's offsets, not the group's or startFrom.
      group: 'free',
      startFrom: 'free',
      startTimestamp: 'free',
      format: 'free',
      schema: 'free',
      csv: 'free',
      keyField: 'free',
      timestampField: 'free',
      headerFields: 'free',
      eventTime: 'shapes',
      deadLetterTopic: 'free',
      commitInterval: 'free',
      unreachableTimeout: 'free',
    },
  },
  infer({ config, error }) {
    const fields = kafkaSourceFields(config);
    checkUniqueFields(config.schema, 'schema', error);
    checkAddedFields(config, error);
    if (
      config.format === 'raw' &&
      (config.schema.length !== 1 || config.schema[0]!.type !== 'string')
    ) {
      error(
        'schema',
        'config.kafka-raw-schema',
        'With the raw format, the schema is one string field that receives the whole message.',
      );
    }
    if (config.startFrom === 'timestamp') {
      if (
        config.startTimestamp === undefined ||
        parseTimestamp(config.startTimestamp) === undefined
      )
        error(
          'startTimestamp',
          'config.kafka-start-timestamp',
          'Starting from a time needs a start time, such as 2024-05-01T00:00:00Z.',
        );
    }
    if (config.eventTime && !checkEventTime(config.eventTime, fields, error)) return undefined;
    return {
      out: config.eventTime
        ? streamOf(fields, 'event', config.eventTime.field)
        : streamOf(fields, 'processing'),
    };
  },
});

/** The key, timestamp and header fields: valid names, not already in the schema. */
function checkAddedFields(
  config: KafkaSourceConfig,
  error: (path: string, code: string, message: string) => void,
): void {
  const seen = new Set(config.schema.map((f) => f.name));
  const added: [string, string][] = [];
  if (config.keyField) added.push(['keyField', config.keyField]);
  if (config.timestampField) added.push(['timestampField', config.timestampField]);
  for (const [i, h] of (config.headerFields ?? []).entries()) {
    added.push([`headerFields[${i}].field`, h.field]);
  }
  for (const [path, name] of added) {
    const problem = fieldNameProblem(name);
    if (problem) error(path, 'config.field-name', `${capitalize(problem)}.`);
    else if (seen.has(name))
      error(path, 'config.duplicate-field', `Field '${name}' is already a field of this source.`);
    seen.add(name);
  }
}
