// CSV records of a file, streamed through csv-parse: quoting, embedded
// delimiters and newlines are its business, not ours.
import type { ReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { type CsvError, Parser } from 'csv-parse';

/** A record csv-parse could not read, with the reason in the analyst's words. */
export interface CsvProblem {
  readonly line: number;
  readonly reason: string;
}

/**
 * Remembers the line each record ends on. csv-parse keeps the line count in
 * `info`, but records are read from the stream's buffer later, when `info`
 * has moved on; `push` runs exactly when the record is complete. (The
 * `info: true` option would do it too, at twice the parsing cost.)
 */
class LineCountingParser extends Parser {
  readonly endLines: number[] = [];

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk !== null) this.endLines.push(this.info.lines);
    return super.push(chunk, encoding);
  }
}

export class CsvReader {
  readonly #file: ReadStream;
  readonly #parser: LineCountingParser;
  #head = 0;
  #lastEndLine = 0;
  #last: readonly string[] = [];
  /** Records csv-parse skipped as malformed, waiting to be reported. */
  readonly problems: CsvProblem[] = [];
  #failure: Error | undefined;
  #closed = false;

  constructor(handle: FileHandle, delimiter: string) {
    this.#file = handle.createReadStream({ highWaterMark: 64 * 1024 });
    this.#parser = new LineCountingParser({
      delimiter,
      bom: true,
      skip_empty_lines: true,
      // Short or long rows are fine: missing cells are NULL, extra ones are ignored.
      relax_column_count: true,
      // A stray quote inside an unquoted cell (5" screen) is kept as text.
      relax_quotes: true,
      // A malformed record is reported and skipped; reading goes on.
      skip_records_with_error: true,
    });
    this.#parser.on('skip', (error: CsvError) => this.problems.push(describe(error)));
    pipeline(this.#file, this.#parser, (error) => {
      if (error && !this.#closed) this.#failure = error;
    });
  }

  /** The next record already parsed, or undefined when `more` must wait first. */
  take(): readonly string[] | undefined {
    const record = this.#parser.read() as string[] | null;
    if (record === null) return undefined;
    const ends = this.#parser.endLines;
    this.#lastEndLine = ends[this.#head++] ?? 0;
    if (this.#head === ends.length) {
      ends.length = 0;
      this.#head = 0;
    }
    this.#last = record;
    return record;
  }

  /**
   * The line where the record last taken starts. csv-parse counts each `\r`
   * and `\n` inside a quoted cell as a line, so this does too.
   */
  get line(): number {
    let breaks = 0;
    for (const cell of this.#last) {
      for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) breaks++;
      for (let i = cell.indexOf('\r'); i >= 0; i = cell.indexOf('\r', i + 1)) breaks++;
    }
    return this.#lastEndLine - breaks;
  }

  get bytesRead(): number {
    return this.#file.bytesRead;
  }

  /** Waits for more records; false when the file has ended and every record has been taken. */
  more(): Promise<boolean> {
    const parser = this.#parser;
    if (this.#failure) return Promise.reject(this.#failure);
    if (parser.readableEnded) return Promise.resolve(false);
    if (parser.readableLength > 0) return Promise.resolve(true);
    return new Promise((resolve, reject) => {
      const settle = () => {
        parser.off('readable', settle);
        parser.off('end', settle);
        parser.off('close', settle);
        if (this.#failure || parser.errored) reject(this.#failure ?? parser.errored);
        else resolve(!parser.readableEnded);
      };
      parser.on('readable', settle);
      parser.on('end', settle);
      parser.on('close', settle);
    });
  }

  close(): void {
    this.#closed = true;
    this.#file.destroy();
    this.#parser.destroy();
  }
}

function describe(error: CsvError): CsvProblem {
  const line = (error as CsvError & { lines?: number }).lines ?? 0;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return {
        line,
        reason: `line ${line}: the file ends inside a quoted cell (a " is never closed)`,
      };
    case 'CSV_INVALID_CLOSING_QUOTE':
      return {
        line,
        reason: `line ${line}: text follows a closing quote; a quoted cell must end with " and then the delimiter`,
      };
    default:
      return { line, reason: `line ${line}: not valid CSV (${error.message})` };
  }
}
