import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineReader, MAX_LINE_CHARS } from './line-reader.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readLines(
  text: string | Buffer,
  chunkBytes: number,
): Promise<{ lines: string[]; numbers: number[]; bytes: number }> {
  const path = join(dir, 'lines.txt');
  await writeFile(path, text);
  const reader = new LineReader(await open(path), chunkBytes);
  const lines: string[] = [];
  const numbers: number[] = [];
  try {
    for (;;) {
      const line = reader.take();
      if (line !== undefined) {
        lines.push(line);
        numbers.push(reader.line);
      } else if (!(await reader.more())) {
        break;
      }
    }
    return { lines, numbers, bytes: reader.bytesRead };
  } finally {
    await reader.close();
  }
}

describe('LineReader', () => {
  it('gives the same lines, numbered from 1, however the file is cut into chunks', async () => {
    const line = fc.string({ unit: 'grapheme' }).map((s) => s.replaceAll('\n', ' '));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 30 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        async (lines, trailing, chunk) => {
          const text = lines.join('\n') + (trailing ? '\n' : '');
          // A newline ends a line; it does not start an empty one after it.
          const expected = text.split('\n');
          if (expected.at(-1) === '') expected.pop();
          const read = await readLines(text, chunk);
          expect(read.lines).toEqual(expected);
          expect(read.numbers).toEqual(expected.map((_, i) => i + 1));
          expect(read.bytes).toBe(Buffer.byteLength(text));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('drops a byte order mark and leaves \\r at the end of a line for the caller', async () => {
    expect((await readLines('\uFEFF{"a":1}\r\n{"b":2}\r\n', 3)).lines).toEqual([
      '{"a":1}\r',
      '{"b":2}\r',
    ]);
  });

  it('keeps a character whose bytes are split between chunks', async () => {
    expect((await readLines('ä€😀\nß', 1)).lines).toEqual(['ä€😀', 'ß']);
  });

  it('refuses a line longer than the limit instead of running out of memory', async () => {
    const long = Buffer.alloc(MAX_LINE_CHARS + 10, 'x');
    await expect(
      readLines(Buffer.concat([Buffer.from('ok\n'), long]), 1024 * 1024),
    ).rejects.toThrow(/Line 2 is longer than 64 MiB/);
  });
});
