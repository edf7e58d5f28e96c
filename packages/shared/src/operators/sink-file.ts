import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, IN } from '../catalog/operator.js';
import { checkDataPath } from './checks.js';
import { CsvOptionsSchema, DataPathSchema, FileFormatSchema } from './common.js';

const FileSinkConfig = Type.Object(
  {
    path: DataPathSchema({
      title: 'File',
      description: 'Path of the output file, relative to the data directory; it is replaced',
    }),
    format: FileFormatSchema,
    csv: Defaulted(CsvOptionsSchema, {}),
  },
  { additionalProperties: false },
);
export type FileSinkConfig = Static<typeof FileSinkConfig>;

export const sinkFile = defineOperator({
  kind: 'sink.file',
  label: 'File sink',
  category: 'sink',
  description:
    'Writes records to a JSON Lines or CSV file in the data directory. Exactly once when the job takes checkpoints: lines appear in the file at each checkpoint.',
  icon: 'file-output',
  inputs: [IN],
  outputs: [],
  delivery: 'exactly-once',
  config: FileSinkConfig,
  defaults: { path: 'out/results.jsonl', format: 'jsonl' },
  parallel: {
    runs: 'alone',
    why: 'A file sink writes one file: instances would write over each other',
  },
  state: {
    holds: 'the files it is writing and has yet to publish',
    fields: { path: 'shapes', format: 'shapes', csv: 'shapes' },
  },
  infer({ config, error }) {
    checkDataPath(config.path, error);
    return {};
  },
});
