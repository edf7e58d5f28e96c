// Lines of a text file, read a chunk at a time: the file is never held whole.
import type { FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

const CHUNK_BYTES = 64 * 1024;
/** Longer than this is not a line of records but a file in the wrong format; refuse it before memory runs out. */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

/**
 * Reads UTF-8 lines (split at `\n`; a trailing `\r` is left on the line).
 * `take` hands out lines already read; `more` reads the next chunk.
 */
export class LineReader {
  readonly #handle: FileHandle;
  readonly #buffer: Buffer;
  readonly #decoder = new StringDecoder('utf8');
  #lines: string[] = [];
  #index = 0;
  /** The end of the last chunk, waiting for its newline; kept in pieces so a long line is joined once. */
  readonly #partial: string[] = [];
  #partialChars = 0;
  #line = 0;
  #bytes = 0;
  #started = false;
  #ended = false;

  constructor(handle: FileHandle, chunkBytes = CHUNK_BYTES) {
    this.#handle = handle;
    this.#buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** The next line already read, or undefined when `more` must read on first. */
  take(): string | undefined {
    if (this.#index >= this.#lines.length) return undefined;
    this.#line++;
    return this.#lines[this.#index++];
  }

  /** The 1-based number of the line last taken. */
  get line(): number {
    return this.#line;
  }

  get bytesRead(): number {
    return this.#bytes;
  }

  /** Reads the next chunk; false when the file has ended and every line has been handed out. */
  async more(): Promise<boolean> {
    if (this.#ended) return this.#index < this.#lines.length;
    const { bytesRead } = await this.#handle.read(this.#buffer, 0, this.#buffer.length, null);
    this.#bytes += bytesRead;
    let text =
      bytesRead === 0
        ? this.#decoder.end()
        : this.#decoder.write(this.#buffer.subarray(0, bytesRead));
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (bytesRead === 0) {
      this.#ended = true;
      this.#partial.push(text);
      const last = this.#partial.join('');
      this.#partial.length = 0;
      this.#lines = last === '' ? [] : [last];
      this.#index = 0;
      return this.#lines.length > 0;
    }
    this.#index = 0;
    const newline = text.lastIndexOf('\n');
    if (newline < 0) {
      this.#lines = [];
      this.#keep(text);
    } else {
      this.#partial.push(text.slice(0, newline));
      this.#lines = this.#partial.join('').split('\n');
      this.#partial.length = 0;
      this.#partialChars = 0;
      this.#keep(text.slice(newline + 1));
    }
    return true;
  }

  close(): Promise<void> {
    return this.#handle.close();
  }

  #keep(text: string): void {
    if (text === '') return;
    this.#partialChars += text.length;
    if (this.#partialChars > MAX_LINE_CHARS) {
      throw new Error(
        `Line ${this.#line + this.#lines.length + 1} is longer than ${MAX_LINE_CHARS / 1024 / 1024} MiB; is this really a JSON Lines file (one record per line)?`,
      );
    }
    this.#partial.push(text);
  }
}
