import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, IN } from '../catalog/operator.js';
import { writesEach } from '../catalog/parallel.js';
import { DurationSchema } from '../schema/duration.js';
import { FieldNameSchema } from '../schema/field.js';
import { checkFieldsExist } from './checks.js';
import { SecretNameSchema } from './common.js';

/** A table name, optionally with its schema: `results` or `reports.results`. */
export const TABLE_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?$';

const PostgresSinkConfig = Type.Object(
  {
    host: Type.String({
      minLength: 1,
      maxLength: 253,
      title: 'Host',
      description: 'The PostgreSQL server’s host name or address',
    }),
    port: Defaulted(
      Type.Integer({ minimum: 1, maximum: 65535, title: 'Port', description: 'Its TCP port' }),
      5432,
    ),
    database: Type.String({
      minLength: 1,
      maxLength: 63,
      title: 'Database',
      description: 'The database the table is in',
    }),
    user: Type.String({
      minLength: 1,
      maxLength: 63,
      title: 'User',
      description: 'The role to connect as',
    }),
    passwordSecret: Type.Optional(
      SecretNameSchema({
        title: 'Password secret',
        description: 'The password, if the server asks for one',
      }),
    ),
    table: Type.String({
      pattern: TABLE_PATTERN,
      title: 'Table',
      description:
        'The table to write to, optionally with its schema (reports.results); names are used as written, case included',
    }),
    keyFields: Type.Optional(
      Type.Array(FieldNameSchema, {
        minItems: 1,
        maxItems: 32,
        uniqueItems: true,
        title: 'Upsert by',
        description:
          'A row replaces the row with the same values in these fields (the table’s primary key), so the table holds the latest result per key, as for an update stream; none: every row is added',
        'x-sluice-widget': 'fields',
      }),
    ),
    createTable: Defaulted(
      Type.Boolean({
        title: 'Create the table',
        description:
          'Creates the table if it is missing, with a column per input field (and the Upsert by fields as its primary key)',
      }),
      true,
    ),
    batchSize: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 50_000,
        title: 'Batch size',
        description: 'Rows written in one statement at most',
      }),
      1000,
    ),
    flushInterval: Defaulted(
      DurationSchema({
        title: 'Flush interval',
        description:
          'Rows waiting this long are written without waiting for a full batch (at least once; exactly once writes at each checkpoint)',
      }),
      '1s',
    ),
    delivery: Defaulted(
      Type.Union([Type.Literal('exactly-once'), Type.Literal('at-least-once')], {
        title: 'Delivery',
        description:
          'Exactly once: the rows between two checkpoints are written in one transaction, with the checkpoint’s number in a table of its own (sluice_sink_progress), once the checkpoint is durable, and a restored job neither repeats nor loses one. Only when the job takes checkpoints; without, and with at least once, rows are written as they come and a restart may add some again (an upsert replaces them)',
      }),
      'exactly-once',
    ),
    unreachableTimeout: Defaulted(
      DurationSchema({
        title: 'Unreachable timeout',
        description:
          'How long the sink keeps retrying while the server cannot be reached before the job fails',
      }),
      '2m',
    ),
  },
  { additionalProperties: false },
);
export type PostgresSinkConfig = Static<typeof PostgresSinkConfig>;

export const sinkPostgres = defineOperator({
  kind: 'sink.postgres',
  label: 'PostgreSQL sink',
  category: 'sink',
  description:
    'Writes records to a PostgreSQL table in batches: added, or upserted by key so the table holds the current result of an update stream (a running aggregate, a top N). When the job takes checkpoints, exactly once: each checkpoint’s rows in one transaction with its number. The password is a secret the server holds, never part of the pipeline.',
  icon: 'database',
  inputs: [IN],
  outputs: [],
  delivery: 'exactly-once',
  config: PostgresSinkConfig,
  defaults: {
    host: '127.0.0.1',
    port: 5432,
    database: 'sluice',
    user: 'sluice',
    passwordSecret: 'POSTGRES_PASSWORD',
    table: 'results',
    createTable: true,
    batchSize: 1000,
    flushInterval: '1s',
    delivery: 'exactly-once',
    unreachableTimeout: '2m',
  },
  parallel: writesEach(),
  state: {
    holds: 'the rows of checkpoints not yet known to be written (exactly once)',
    fields: {
      host: 'shapes',
      port: 'shapes',
      database: 'shapes',
      user: 'free',
      passwordSecret: 'free',
      table: 'shapes',
      keyFields: 'free',
      createTable: 'free',
      batchSize: 'free',
      flushInterval: 'free',
      delivery: 'shapes',
      unreachableTimeout: 'free',
    },
  },
  infer({ config, inputs, error }) {
    const input = inputs.in?.[0];
    if (input && config.keyFields)
      checkFieldsExist(config.keyFields, 'keyFields', 'upsert by', input, error);
    return {};
  },
});
