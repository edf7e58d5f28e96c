// Config pieces that several operator kinds share.
import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { DurationSchema } from '../schema/duration.js';
import { type Field, FieldNameSchema, FieldSchema, type StreamSchema } from '../schema/field.js';

/** A SQL expression; the web app renders it with the expression editor. */
export function ExpressionSchema(options: { title: string; description: string }) {
  return Type.String({ maxLength: 10_000, 'x-sluice-widget': 'expression', ...options });
}

/** The name of a field flowing into the node; the web app offers a picker. */
export function FieldRefSchema(options: { title: string; description?: string; port?: string }) {
  const { port = 'in', ...rest } = options;
  return Type.String({ ...rest, 'x-sluice-widget': 'field', 'x-sluice-port': port });
}

/** A path inside the data directory. */
export function DataPathSchema(options: { title: string; description: string }) {
  return Type.String({ minLength: 1, maxLength: 1024, 'x-sluice-widget': 'path', ...options });
}

export const RecordSchemaSchema = Type.Array(FieldSchema, {
  minItems: 1,
  maxItems: 500,
  title: 'Fields',
  description: 'The fields of each record, with their types',
  'x-sluice-widget': 'schema',
});

export const EventTimeSchema = Type.Object(
  {
    field: Type.String({
      title: 'Time field',
      description: 'The timestamp field that says when each event happened',
    }),
    maxOutOfOrderness: DurationSchema({
      title: 'Max out-of-orderness',
      description: 'How late a record may arrive behind the newest one and still count as on time',
      default: '0s',
    }),
    idleTimeout: Type.Optional(
      DurationSchema({
        title: 'Idle timeout',
        description:
          'After this long without records, this source no longer holds back the watermark',
      }),
    ),
  },
  {
    additionalProperties: false,
    title: 'Event time',
    description: 'Read event time from a field, and emit watermarks',
  },
);
export type EventTimeConfig = Static<typeof EventTimeSchema>;

export const FileFormatSchema = Type.Union([Type.Literal('jsonl'), Type.Literal('csv')], {
  title: 'Format',
  description: 'JSON Lines (one JSON object per line) or CSV',
});

export const CsvOptionsSchema = Type.Object(
  {
    delimiter: Defaulted(Type.String({ minLength: 1, maxLength: 1, title: 'Delimiter' }), ','),
    header: Defaulted(
      Type.Boolean({ title: 'Header row', description: 'The first line names the columns' }),
      true,
    ),
  },
  {
    additionalProperties: false,
    title: 'CSV options',
    // Only CSV reads them: the form hides them for JSON Lines.
    'x-sluice-shown-when': { format: 'csv' },
  },
);

export const GroupBySchema = Type.Array(FieldNameSchema, {
  maxItems: 32,
  uniqueItems: true,
  title: 'Group by',
  description: 'Fields whose values form the key; one result per key and window',
  'x-sluice-widget': 'fields',
});

export const JoinKeysSchema = Type.Array(
  Type.Object(
    {
      left: FieldRefSchema({ title: 'Left field', port: 'left' }),
      right: FieldRefSchema({ title: 'Right field', port: 'right' }),
    },
    { additionalProperties: false },
  ),
  {
    minItems: 1,
    maxItems: 16,
    title: 'Join on',
    description: 'Pairs of fields that must be equal for records to match',
  },
);

/** A stream schema holding just these fields, with or without event time. */
export function streamOf(fields: readonly Field[], time: StreamSchema['time'], timeField?: string) {
  const schema: StreamSchema = timeField ? { fields, time, timeField } : { fields, time };
  return schema;
}

/** How long a key of an operator without windows lives without a record (transform.aggregate, transform.topn). */
export const IdleRetentionSchema = Type.Optional(
  DurationSchema({
    title: 'Forget idle keys after',
    description:
      'A key with no record for this long in event time is dropped; it starts again from nothing if records come',
  }),
);

/** The name of a secret (never its value): see SecretNameSchema's description. */
export const SECRET_NAME_PATTERN = '^[A-Z][A-Z0-9_]{0,63}$';

/** Where a secret's value comes from, in the words the forms and the docs use. */
export const SECRET_SOURCES =
  "the server's environment variable SLUICE_SECRET_<NAME>, or NAME in state/secrets.json of its data directory";

export function SecretNameSchema(options: { title: string; description: string }) {
  return Type.String({
    pattern: SECRET_NAME_PATTERN,
    'x-sluice-widget': 'secret',
    ...options,
    description: `${options.description}. The name of a secret, in capitals (POSTGRES_PASSWORD): its value is read from ${SECRET_SOURCES}, and is never in the pipeline, the canvas or the logs`,
  });
}
