import type { Field, sinkFile } from '@sluice/shared';
import { type Options as CsvOptions, stringify } from 'csv-stringify/sync';
import type { Row } from '../batch.js';
import { jsonEncoder } from '../io/encode.js';
import { EpochFiles } from '../io/epoch-files.js';
import { FileWriter } from '../io/file-writer.js';
import type { EnvironmentOf, Operator } from '../operator.js';

/**
 * Writes records to a JSON Lines or CSV file in the data directory, replacing
 * it when the job starts. Fields in the input schema's order, timestamps as
 * ISO-8601 UTC strings. When the job takes checkpoints, exactly once: lines
 * are published at each checkpoint, and a restored job neither repeats nor
 * loses one (io/epoch-files.ts).
 */
export function createFileSink(env: EnvironmentOf<typeof sinkFile>): Operator {
  const { config } = env;
  const fields = env.inputs[0]?.[0]?.fields ?? [];
  let encode: (rows: readonly Row[]) => string;
  let header: string | undefined;
  if (config.format === 'csv') {
    const csv = csvEncoder(fields, config.csv.delimiter);
    if (config.csv.header && fields.length > 0) header = csv.header;
    encode = csv.encode;
  } else {
    encode = jsonlEncoder(fields);
  }
  if (env.checkpointing) return exactlyOnce(new EpochFiles(env.dataDir, config.path, env.state));
  const file = new FileWriter(env.dataDir, config.path);
  if (header !== undefined) file.write(header, 0);
  return {
    process(batch) {
      if (batch.rows.length > 0) file.write(encode(batch.rows), batch.rows.length);
    },
    flush: () => file.flush(),
    backlog: () => file.backlog,
    close: () => file.close(),
  };

  /** With checkpoints: lines become visible in the file when the checkpoint after them is durable. */
  function exactlyOnce(files: EpochFiles): Operator {
    return {
      process(batch) {
        if (batch.rows.length === 0) return;
        if (header !== undefined && !files.begun) files.write(header, 0);
        files.write(encode(batch.rows), batch.rows.length);
      },
      cut: () => files.cut(),
      checkpointed: () => files.publish(),
      flush: () => files.flush(),
      backlog: () => files.backlog,
      close: () => files.close(),
    };
  }
}

function jsonlEncoder(fields: readonly Field[]): (rows: readonly Row[]) => string {
  const encode = jsonEncoder(fields);
  return (rows) => {
    let text = '';
    for (let i = 0; i < rows.length; i++) text += `${JSON.stringify(encode(rows[i]!))}\n`;
    return text;
  };
}

function csvEncoder(fields: readonly Field[], delimiter: string) {
  const names = fields.map((f) => f.name);
  const encode = jsonEncoder(fields);
  const options: CsvOptions = {
    delimiter,
    columns: names,
    // NULL is an empty cell; an empty string is "" so other tools can tell them apart.
    quoted_match: /^$/,
    cast: {
      boolean: (value) => (value ? 'true' : 'false'),
      // NaN and ±Infinity have no CSV spelling the source would read back; NULL, as in JSON.
      number: (value) => (Number.isFinite(value) ? String(value) : ''),
    },
  };
  return {
    header: stringify([], { ...options, header: true }),
    encode: (rows: readonly Row[]) => stringify(rows.map(encode), options),
  };
}
