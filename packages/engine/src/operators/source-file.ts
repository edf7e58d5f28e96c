import type { FileHandle } from 'node:fs/promises';
import type { ConfigOf, Field, sourceFile } from '@sluice/shared';
import { stringify } from 'csv-stringify/sync';
import { type Batch, EMPTY_BATCH, type Row, START_OF_TIME } from '../batch.js';
import { CsvReader } from '../io/csv-reader.js';
import { describeError, RowDecoder } from '../io/decode.js';
import { LineReader } from '../io/line-reader.js';
import { BoundedOutOfOrderness, idleTimeoutOf } from '../io/watermarks.js';
import type { EnvironmentOf, Source, SourceContext } from '../operator.js';

const BATCH = 1024;

/** One format's records: raw records out of the file, decoded into rows. */
interface RecordReader {
  /**
   * The next row; null when the record was skipped (blank, a header, or bad and
   * reported); undefined when nothing is read yet and `more` must be awaited.
   */
  take(context: SourceContext): Row | null | undefined;
  /** Reads on; false at the end of the file. */
  more(): Promise<boolean>;
  /** Reports problems found while reading rather than decoding. */
  reportProblems?(context: SourceContext): void;
  readonly bytesRead: number;
  close(): void | Promise<void>;
}

/**
 * Reads a JSON Lines or CSV file from the data directory once, streaming it in
 * batches; with a replay rate, paced by the clock. Bad records go to the error
 * output with their line number; reading goes on.
 */
type FileSourceConfig = ConfigOf<typeof sourceFile>;

export function createFileSource(env: EnvironmentOf<typeof sourceFile>): Source {
  const { config } = env;
  const fields = env.outputs[0]?.fields ?? config.schema;
  const timeField = config.eventTime?.field;
  const watermarks = config.eventTime ? BoundedOutOfOrderness.from(config.eventTime) : undefined;
  const rate = config.replayRate;
  let reader: RecordReader | undefined;
  let ended = false;
  let produced = 0;
  let startedAt = 0;
  /** Records taken from the file, skipped ones included: where a restore reads on from. */
  let taken = 0;
  /** After a restore: records to pass over, silently, before reading on. */
  let skip = 0;

  /** Waits until the replay rate lets records out; how many, or 0 when the job stopped. */
  const due = async (context: SourceContext): Promise<number> => {
    for (;;) {
      const elapsed = context.now() - startedAt;
      const allowed = Math.floor((elapsed * rate!) / 1000) + 1 - produced;
      if (allowed > 0) return Math.min(BATCH, allowed);
      const wait = Math.max(1, Math.ceil((produced * 1000) / rate! - elapsed));
      if (!(await context.sleep(wait))) return 0;
    }
  };

  return {
    idleTimeoutMs: idleTimeoutOf(config.eventTime),
    ...(watermarks ? { watermark: () => watermarks.current() } : {}),
    bytesRead: () => reader?.bytesRead ?? 0,
    async next(context): Promise<Batch | undefined> {
      if (!reader) {
        reader = await openRecords(env, config, fields, timeField);
        if (skip > 0 && !(await passOver(reader, skip))) ended = true;
        // The replay goes on at its rate from here: a restore does not catch up on the time it was down.
        startedAt = context.now() - (rate === undefined ? 0 : (produced * 1000) / rate);
      }
      if (ended) return undefined;
      // As many as the runtime asks for (it sizes batches by time, so a costly graph stops promptly).
      const most = Math.min(BATCH, context.maxRows ?? BATCH);
      const limit = rate === undefined ? most : Math.min(most, await due(context));
      if (limit === 0) return EMPTY_BATCH;
      const rows: Row[] = [];
      while (rows.length < limit) {
        const row = reader.take(context);
        if (row !== undefined) taken++;
        if (row) rows.push(row);
        else if (row === undefined && !(await reader.more())) {
          ended = true;
          break;
        }
      }
      reader.reportProblems?.(context);
      if (rows.length === 0 && ended) return undefined;
      produced += rows.length;
      const times: number[] = [];
      if (timeField === undefined) {
        const now = context.now();
        for (let i = 0; i < rows.length; i++) times.push(now);
      } else {
        for (let i = 0; i < rows.length; i++) times.push(rows[i]![timeField] as number);
      }
      watermarks?.observe(times);
      return { rows, times };
    },
    position: (): FilePosition => ({
      taken,
      produced,
      newest: watermarks?.newest ?? START_OF_TIME,
    }),
    restore(position) {
      const saved = position as FilePosition;
      taken = saved.taken;
      skip = saved.taken;
      produced = saved.produced;
      if (watermarks) watermarks.newest = saved.newest;
    },
    async close() {
      await reader?.close();
    },
  };
}

interface FilePosition {
  readonly taken: number;
  readonly produced: number;
  readonly newest: number;
}

/** Where records passed over after a restore go: they were handled before the checkpoint. */
const SILENT: SourceContext = {
  now: () => 0,
  sleep: async () => false,
  stopped: new Promise(() => {}),
  error: () => {},
};

/**
 * Reads past the first `n` records as the run before the checkpoint took them
 * (a CSV header is matched again on the way); false when the file ends first.
 */
async function passOver(reader: RecordReader, n: number): Promise<boolean> {
  let passed = 0;
  while (passed < n) {
    if (reader.take(SILENT) !== undefined) passed++;
    else if (!(await reader.more())) return false;
  }
  reader.reportProblems?.(SILENT);
  return true;
}

async function openRecords(
  env: EnvironmentOf<typeof sourceFile>,
  config: FileSourceConfig,
  fields: readonly Field[],
  timeField: string | undefined,
): Promise<RecordReader> {
  // A regular file of its own inside the data directory, or a clear refusal.
  const handle = await env.dataDir.openForReading(config.path);
  const decoder = new RowDecoder(fields);
  return config.format === 'csv'
    ? csvRecords(handle, config, env.dataDir.shown(config.path), fields, decoder, timeField)
    : jsonlRecords(handle, decoder, timeField);
}

function jsonlRecords(
  handle: FileHandle,
  decoder: RowDecoder,
  timeField: string | undefined,
): RecordReader {
  const lines = new LineReader(handle);
  return {
    take(context) {
      const line = lines.take();
      if (line === undefined) return undefined;
      if (isBlank(line)) return null;
      try {
        return decodeLine(line, context);
      } catch (error) {
        // Whatever goes wrong with one record is that record's problem; reading goes on.
        context.error(line, `line ${lines.line}: could not be read (${describeError(error)})`);
        return null;
      }
    },
    more: () => lines.more(),
    get bytesRead() {
      return lines.bytesRead;
    },
    close: () => lines.close(),
  };

  function decodeLine(line: string, context: SourceContext): Row | null {
    let object: unknown;
    try {
      object = JSON.parse(line);
    } catch (error) {
      context.error(line, `line ${lines.line}: not valid JSON (${(error as Error).message})`);
      return null;
    }
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      context.error(line, `line ${lines.line}: not a JSON object`);
      return null;
    }
    const row = decoder.fromJson(object as Record<string, unknown>);
    if (row === undefined) {
      context.error(
        line,
        `line ${lines.line}: ${decoder.jsonProblems(object as Record<string, unknown>)}`,
      );
      return null;
    }
    if (timeField !== undefined && row[timeField] === null) {
      context.error(line, `line ${lines.line}: ${timeField}: the event time is missing`);
      return null;
    }
    return row;
  }
}

function csvRecords(
  handle: FileHandle,
  config: FileSourceConfig,
  shownPath: string,
  fields: readonly Field[],
  decoder: RowDecoder,
  timeField: string | undefined,
): RecordReader {
  const delimiter = config.csv.delimiter;
  const csv = new CsvReader(handle, delimiter);
  let columns: readonly number[] | undefined = config.csv.header
    ? undefined
    : fields.map((_, i) => i);
  // The error output shows the record as CSV text again, as close to the file as csv-parse leaves it.
  const text = (cells: readonly string[]) =>
    stringify([cells], { delimiter }).replace(/\r?\n$/, '');
  return {
    take(context) {
      const cells = csv.take();
      if (cells === undefined) return undefined;
      if (columns === undefined) {
        columns = matchHeader(cells, fields, timeField, shownPath);
        return null;
      }
      let row: Row | undefined;
      try {
        row = decoder.fromCells(cells, columns);
        if (row === undefined) {
          context.error(text(cells), `line ${csv.line}: ${decoder.cellProblems(cells, columns)}`);
          return null;
        }
      } catch (error) {
        context.error(null, `line ${csv.line}: could not be read (${describeError(error)})`);
        return null;
      }
      if (timeField !== undefined && row[timeField] === null) {
        context.error(text(cells), `line ${csv.line}: ${timeField}: the event time is missing`);
        return null;
      }
      return row;
    },
    more: () => csv.more(),
    reportProblems(context) {
      if (csv.problems.length === 0) return;
      for (const problem of csv.problems) context.error(null, problem.reason);
      csv.problems.length = 0;
    },
    get bytesRead() {
      return csv.bytesRead;
    },
    close: () => csv.close(),
  };
}

/** The cell index of each field by the header's column names: exact first, then ignoring case and spaces. */
function matchHeader(
  header: readonly string[],
  fields: readonly Field[],
  timeField: string | undefined,
  path: string,
): number[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const columns = fields.map((f) => {
    const exact = header.indexOf(f.name);
    return exact >= 0 ? exact : names.indexOf(f.name.toLowerCase());
  });
  if (columns.every((c) => c < 0)) {
    throw new Error(
      `None of the columns in the header of '${path}' (${header.join(', ')}) is a field of the schema (${fields.map((f) => f.name).join(', ')}). Check the delimiter, or turn off "Header row" if the file has none.`,
    );
  }
  if (timeField !== undefined && columns[fields.findIndex((f) => f.name === timeField)]! < 0) {
    throw new Error(`The header of '${path}' has no column '${timeField}' for the event time.`);
  }
  return columns;
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
