import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Field, getOperator, type Pipeline } from '@sluice/shared';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { DataDir } from '../io/data-dir.js';
import { ManualClock } from '../runtime/clock.js';
import { startJob } from '../runtime/job.js';
import { StateStore } from '../runtime/state.js';
import { operatorHarness } from '../testing/harness.js';
import { runtimeFor } from './registry.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-sink-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FIELDS: Field[] = [
  { name: 'name', type: 'string' },
  { name: 'count', type: 'long' },
  { name: 'amount', type: 'double' },
  { name: 'ok', type: 'boolean' },
  { name: 'ts', type: 'timestamp' },
];
const T0 = Date.UTC(2024, 0, 1, 12, 30, 0, 5);

function fileSink(config: Record<string, unknown>, fields: Field[] = FIELDS) {
  return operatorHarness({
    kind: 'sink.file',
    config,
    inputs: [{ fields, time: 'event', timeField: 'ts' }],
    dataDir: dir,
  });
}

const read = (name: string) => readFile(join(dir, name), 'utf8');

describe('sink.file writing JSON Lines', () => {
  it('writes one object per record, fields in input schema order, timestamps as ISO strings', async () => {
    const sink = fileSink({ path: 'out/result.jsonl', format: 'jsonl' });
    sink.push(
      [
        { ts: T0, ok: true, amount: 1.5, count: 2, name: 'a', ignored: 'x' },
        { name: null, count: null, amount: null, ok: null, ts: null },
      ],
      [T0, T0],
    );
    await sink.operator.flush!();
    expect(await read('out/result.jsonl')).toBe(
      '{"name":"a","count":2,"amount":1.5,"ok":true,"ts":"2024-01-01T12:30:00.005Z"}\n' +
        '{"name":null,"count":null,"amount":null,"ok":null,"ts":null}\n',
    );
    await sink.operator.close!();
  });

  it('replaces the file when the job starts, even before any record', async () => {
    await writeFile(join(dir, 'old.jsonl'), 'stale results\n');
    const sink = fileSink({ path: 'old.jsonl', format: 'jsonl' });
    await sink.operator.flush!();
    await sink.operator.close!();
    expect(await read('old.jsonl')).toBe('');
  });
});

describe('sink.file writing CSV', () => {
  it('writes a header row, quotes what needs quoting, NULL as an empty cell, timestamps ISO', async () => {
    const sink = fileSink({ path: 'out.csv', format: 'csv' });
    sink.push(
      [
        { name: 'Smith, "J"\nline 2', count: 1, amount: 2.5, ok: false, ts: T0 },
        { name: '', count: null, amount: Number.NaN, ok: null, ts: null },
      ],
      [T0, T0],
    );
    await sink.operator.flush!();
    await sink.operator.close!();
    expect(await read('out.csv')).toBe(
      'name,count,amount,ok,ts\n"Smith, ""J""\nline 2",1,2.5,false,2024-01-01T12:30:00.005Z\n"",,,,\n',
    );
  });

  it('writes the header even when no record comes, and none when told not to', async () => {
    const withHeader = fileSink({ path: 'a.csv', format: 'csv' });
    const without = fileSink({
      path: 'b.csv',
      format: 'csv',
      csv: { header: false, delimiter: ';' },
    });
    without.push([{ name: 'x;y', count: 1 }], [0]);
    await Promise.all([withHeader.operator.flush!(), without.operator.flush!()]);
    expect(await read('a.csv')).toBe('name,count,amount,ok,ts\n');
    expect(await read('b.csv')).toBe('"x;y";1;;;\n');
  });
});

describe('sink.file backlog and flush', () => {
  it('counts records accepted but not yet written, and flush waits for all of them', async () => {
    const sink = fileSink({ path: 'deep/er/out.jsonl', format: 'jsonl' });
    // The file opens asynchronously: these wait in memory first.
    for (let i = 0; i < 10; i++) {
      sink.push(
        Array.from({ length: 100 }, (_, j) => ({ name: 'r', count: i * 100 + j })),
        new Array(100).fill(0),
      );
    }
    expect(sink.operator.backlog!()).toBe(1000);
    await sink.operator.flush!();
    expect(sink.operator.backlog!()).toBe(0);
    const lines = (await read('deep/er/out.jsonl')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).count)).toEqual(
      Array.from({ length: 1000 }, (_, i) => i),
    );
    sink.push([{ name: 'late', count: 1000 }], [0]);
    expect(sink.operator.backlog!()).toBe(1);
    await sink.operator.flush!();
    expect(sink.operator.backlog!()).toBe(0);
    await sink.operator.close!();
  });

  it('fails on a write error: flush rejects and the next batch throws', async () => {
    await mkdir(join(dir, 'taken'));
    const sink = fileSink({ path: 'taken', format: 'jsonl' });
    sink.push([{ name: 'a' }], [0]);
    await expect(sink.operator.flush!()).rejects.toThrow("'taken' is a folder, not a file.");
    expect(() => sink.push([{ name: 'b' }], [0])).toThrow("'taken' is a folder, not a file.");
    await sink.operator.close!();
  });

  it('refuses a path that leads out of the data directory', async () => {
    const definition = getOperator('sink.file')!;
    const runtime = runtimeFor('sink.file');
    if (runtime.type !== 'operator') throw new Error('sink.file is an operator');
    // Built by hand: validation already refuses the path, and the runtime must as well.
    const sink = runtime.create({
      node: { id: 'sink', kind: 'sink.file', config: { path: '../escape.jsonl', format: 'jsonl' } },
      definition,
      inputs: [[{ fields: FIELDS, time: 'processing' }]],
      checkpointing: false,
      outputs: [],
      clock: new ManualClock(),
      dataDir: new DataDir(join(dir, 'data')),
      state: new StateStore(),
      stdout: () => {},
    });
    await expect(sink.flush!()).rejects.toThrow(
      "'../escape.jsonl' leads out of the data directory.",
    );
    await expect(readFile(join(dir, 'escape.jsonl'))).rejects.toThrow(/ENOENT/);
  });
});

function pipeline(
  format: 'jsonl' | 'csv',
  fields: Field[],
  input: string,
  output: string,
): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'copy',
    nodes: [
      { id: 'read', kind: 'source.file', config: { path: input, format, schema: fields } },
      { id: 'write', kind: 'sink.file', config: { path: output, format } },
    ],
    edges: [{ id: 'e', source: 'read', target: 'write' }],
  };
}

async function copyThroughJob(format: 'jsonl' | 'csv', rows: Row[]): Promise<Row[]> {
  const first = fileSink({ path: `first.${format}`, format });
  first.push(rows, new Array(rows.length).fill(0));
  await first.operator.flush!();
  await first.operator.close!();
  // source.file → sink.file, then the copy read back once more.
  const job = startJob(pipeline(format, FIELDS, `first.${format}`, `copy.${format}`), {
    dataDir: dir,
    metricsIntervalMs: 60_000,
  });
  const result = await job.done;
  expect(result.failure).toBeUndefined();
  expect(result.status).toBe('finished');
  expect(await read(`copy.${format}`)).toBe(await read(`first.${format}`));
  const back = startJob(
    {
      ...pipeline(format, FIELDS, `copy.${format}`, 'unused.jsonl'),
      nodes: [
        {
          id: 'read',
          kind: 'source.file',
          config: { path: `copy.${format}`, format, schema: FIELDS },
        },
        { id: 'write', kind: 'sink.preview', config: { capacity: 1000 } },
      ],
    },
    { dataDir: dir, metricsIntervalMs: 60_000 },
  );
  await back.done;
  return (back.inspect('write') as { rows: Row[] }).rows;
}

describe('sink.file round trip through source.file', () => {
  const row = fc.record({
    name: fc.option(fc.string({ unit: 'grapheme', minLength: 1 }), { nil: null }),
    count: fc.option(fc.maxSafeInteger(), { nil: null }),
    amount: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
    ok: fc.option(fc.boolean(), { nil: null }),
    // Years 0000 to 9999: ISO-8601 beyond them needs a sign, which parseTimestamp does not read.
    ts: fc.option(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), {
      nil: null,
    }),
  });

  it.each(['jsonl', 'csv'] as const)('gives back the same rows from %s', async (format) => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 20 }), async (rows) => {
        // -0 is written as 0 by both formats; it is the same number to every operator.
        const expected = rows.map((r) => ({
          ...r,
          amount: Object.is(r.amount, -0) ? 0 : r.amount,
        }));
        expect(await copyThroughJob(format, rows)).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });

  it('fails the job with the reason when the input file is missing', async () => {
    const job = startJob(pipeline('jsonl', FIELDS, 'in.jsonl', 'ok.jsonl'), {
      dataDir: dir,
      metricsIntervalMs: 60_000,
    });
    const result = await job.done;
    expect(result.status).toBe('failed');
    expect(result.failure).toEqual({
      message: expect.stringMatching(/There is no file 'in.jsonl'/),
      nodeId: 'read',
    });
  });
});
