import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, OUT } from '../catalog/operator.js';
import { checkDataPath, checkUniqueFields } from './checks.js';
import {
  CsvOptionsSchema,
  DataPathSchema,
  EventTimeSchema,
  FileFormatSchema,
  RecordSchemaSchema,
  streamOf,
} from './common.js';
import { checkEventTime } from './event-time.js';

const FileSourceConfig = Type.Object(
  {
    path: DataPathSchema({
      title: 'File',
      description: 'Path of the file, relative to the data directory',
    }),
    format: FileFormatSchema,
    schema: RecordSchemaSchema,
    eventTime: Type.Optional(EventTimeSchema),
    csv: Defaulted(CsvOptionsSchema, {}),
    replayRate: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        title: 'Replay rate',
        description: 'Records per second; as fast as possible when empty',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FileSourceConfig = Static<typeof FileSourceConfig>;

export const sourceFile = defineOperator({
  kind: 'source.file',
  label: 'File source',
  category: 'source',
  description:
    'Reads a JSON Lines or CSV file from the data directory, once (bounded), optionally replayed at a rate.',
  icon: 'file-input',
  inputs: [],
  outputs: [OUT],
  config: FileSourceConfig,
  defaults: {
    path: 'input.jsonl',
    format: 'jsonl',
    schema: [{ name: 'value', type: 'string' }],
  },
  parallel: {
    runs: 'alone',
    why: 'A file source reads one file: every instance would read all of it',
  },
  state: {
    holds: 'its place in the file (records read so far) and its watermark',
    fields: {
      path: 'shapes',
      format: 'shapes',
      csv: 'shapes',
      schema: 'free',
      eventTime: 'shapes',
      replayRate: 'free',
    },
  },
  infer({ config, error }) {
    checkDataPath(config.path, error);
    checkUniqueFields(config.schema, 'schema', error);
    if (config.eventTime && !checkEventTime(config.eventTime, config.schema, error))
      return undefined;
    return {
      out: config.eventTime
        ? streamOf(config.schema, 'event', config.eventTime.field)
        : streamOf(config.schema, 'processing'),
    };
  },
});
