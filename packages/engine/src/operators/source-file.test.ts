import { mkdir, mkdtemp, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Field, getOperator } from '@sluice/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { DataDir } from '../io/data-dir.js';
import type { Source, SourceContext } from '../operator.js';
import { ManualClock } from '../runtime/clock.js';
import { StateStore } from '../runtime/state.js';
import { runtimeFor } from './registry.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-source-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ALL_TYPES: Field[] = [
  { name: 'name', type: 'string' },
  { name: 'count', type: 'long' },
  { name: 'amount', type: 'double' },
  { name: 'ok', type: 'boolean' },
  { name: 'ts', type: 'timestamp' },
];

function fileSource(config: Record<string, unknown>, clock = new ManualClock(1_000)): Source {
  const node = { id: 'src', kind: 'source.file', config };
  const definition = getOperator('source.file')!;
  const inferred = definition.infer({
    config: config as never,
    inputs: {},
    expression: () => {
      throw new Error('no expressions here');
    },
    error: (path, _code, message) => {
      // Validation refuses unsafe paths too; these tests check that the runtime does as well.
      if (path !== 'path') throw new Error(`invalid config at ${path}: ${message}`);
    },
    warning: () => {},
  });
  const runtime = runtimeFor('source.file');
  if (runtime.type !== 'source') throw new Error('source.file is a source');
  return runtime.create({
    node,
    definition,
    inputs: [],
    checkpointing: false,
    outputs: [inferred?.out],
    clock,
    dataDir: new DataDir(dir),
    state: new StateStore(),
    stdout: () => {},
  });
}

interface Read {
  rows: Row[];
  times: number[];
  batchSizes: number[];
  errors: { row: unknown; reason: string }[];
}

function sourceContext(
  clock: ManualClock,
  errors: Read['errors'],
  stopped = new Promise<void>(() => {}),
): SourceContext {
  let isStopped = false;
  void stopped.then(() => {
    isStopped = true;
  });
  return {
    now: () => clock.now(),
    // As the runtime's: true after `ms` of clock time, false once stopped.
    sleep: (ms) =>
      new Promise((resolve) => {
        if (isStopped) return resolve(false);
        const cancel = clock.schedule(ms, () => resolve(true));
        void stopped.then(() => {
          cancel();
          resolve(false);
        });
      }),
    stopped,
    error: (row, reason) => void errors.push({ row, reason }),
  };
}

async function readAll(
  source: Source,
  clock = new ManualClock(1_000),
  maxRows?: number,
): Promise<Read> {
  const read: Read = { rows: [], times: [], batchSizes: [], errors: [] };
  const context = { ...sourceContext(clock, read.errors), maxRows };
  for (;;) {
    const batch = await source.next(context);
    if (!batch) break;
    read.rows.push(...batch.rows);
    read.times.push(...batch.times);
    read.batchSizes.push(batch.rows.length);
  }
  await source.close?.();
  return read;
}

const write = (name: string, text: string) => writeFile(join(dir, name), text);

describe('source.file reading JSON Lines', () => {
  it('decodes every type, with NULLs, missing and extra fields, and skips blank lines', async () => {
    await write(
      'in.jsonl',
      [
        '{"name":"a","count":1,"amount":1.5,"ok":true,"ts":"2024-01-01T00:00:00Z","extra":[1]}',
        '',
        '   ',
        '{"ts":1704067200123,"ok":false,"amount":-2,"count":-7,"name":"b"}',
        '{"name":null,"count":null,"amount":null,"ok":null,"ts":null}',
        '{}',
      ].join('\n'),
    );
    const { rows, errors } = await readAll(
      fileSource({ path: 'in.jsonl', format: 'jsonl', schema: ALL_TYPES }),
    );
    expect(errors).toEqual([]);
    const empty = { name: null, count: null, amount: null, ok: null, ts: null };
    expect(rows).toEqual([
      { name: 'a', count: 1, amount: 1.5, ok: true, ts: Date.UTC(2024, 0, 1) },
      { name: 'b', count: -7, amount: -2, ok: false, ts: Date.UTC(2024, 0, 1) + 123 },
      empty,
      empty,
    ]);
  });

  it('gives every row exactly the schema fields, in schema order', async () => {
    await write('in.jsonl', '{"ts":5,"extra":1,"name":"x"}\n{"count":2}\n');
    const { rows } = await readAll(
      fileSource({ path: 'in.jsonl', format: 'jsonl', schema: ALL_TYPES }),
    );
    for (const row of rows)
      expect(Object.keys(row)).toEqual(['name', 'count', 'amount', 'ok', 'ts']);
  });

  it('reports bad records with their line numbers and the reason, and reads on', async () => {
    await write(
      'in.jsonl',
      [
        '{"name":"good1","amount":1}',
        '{"name":"broken",',
        '[1,2]',
        '{"name":"x","amount":"abc"}',
        '{"name":"x","count":1.5}',
        '{"name":"x","count":1e20}',
        '{"name":42,"ok":"yes","ts":"yesterday"}',
        '{"name":"good2","count":3}',
        '{"name":"toString is not inherited","toString":null}',
      ].join('\n'),
    );
    const { rows, errors } = await readAll(
      fileSource({ path: 'in.jsonl', format: 'jsonl', schema: ALL_TYPES }),
    );
    expect(rows.map((r) => r.name)).toEqual(['good1', 'good2', 'toString is not inherited']);
    expect(errors.map((e) => e.reason)).toEqual([
      expect.stringMatching(/^line 2: not valid JSON \(/),
      'line 3: not a JSON object',
      "line 4: amount: 'abc' is not a double",
      'line 5: count: 1.5 is not a long: it has a fractional part',
      'line 6: count: 100000000000000000000 is outside the range of a long (±9007199254740991)',
      expect.stringMatching(
        /^line 7: name: 42 is not a string; ok: 'yes' is not a boolean \(true or false\); ts: 'yesterday' is not a timestamp/,
      ),
    ]);
    expect(errors[2]!.row).toBe('{"name":"x","amount":"abc"}');
  });

  it('reports a line with a value nested 20 000 deep as bad, and reads on', async () => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const good = (i: number) => JSON.stringify({ count: i, ts: '2026-01-01T00:00:00Z' });
    const poison = `{"count":${deep(20_000)},"ts":"2026-01-01T00:00:00Z"}`;
    const lines = [good(1), good(2), poison, `{"name":${deep(20_000)}}`, good(3)];
    await write('in.jsonl', lines.join('\n'));
    const { rows, errors } = await readAll(
      fileSource({ path: 'in.jsonl', format: 'jsonl', schema: ALL_TYPES }),
    );
    expect(rows.map((r) => r.count)).toEqual([1, 2, 3]);
    expect(errors.map((e) => e.reason)).toEqual([
      'line 3: count: {"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":… is not a long',
      'line 4: name: {"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":… is not a string',
    ]);
  });

  it('reads a file far larger than one batch in batches of at most 1024, in order', async () => {
    const count = 5000;
    const lines = Array.from({ length: count }, (_, i) =>
      JSON.stringify({ name: `row ${i} ${'x'.repeat(i % 50)}`, count: i }),
    );
    const text = `${lines.join('\n')}\n`;
    await write('big.jsonl', text);
    const source = fileSource({ path: 'big.jsonl', format: 'jsonl', schema: ALL_TYPES });
    const { rows, batchSizes } = await readAll(source);
    expect(rows.map((r) => r.count)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(batchSizes).toEqual([1024, 1024, 1024, 1024, 904]);
    expect(source.bytesRead?.()).toBe(Buffer.byteLength(text));
  });

  it('reads no more rows a batch than the runtime asks for', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ count: i }));
    await write('ten.jsonl', lines.join('\n'));
    const source = fileSource({ path: 'ten.jsonl', format: 'jsonl', schema: ALL_TYPES });
    const { rows, batchSizes } = await readAll(source, new ManualClock(1_000), 4);
    expect(rows.map((r) => r.count)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(batchSizes).toEqual([4, 4, 2]);
  });
});

describe('source.file reading CSV', () => {
  it('matches columns by header name in any order, with every type and empty cells as NULL', async () => {
    await write(
      'in.csv',
      [
        'ts,ok,unused,amount,name,count',
        '2024-01-01T00:00:00Z,TRUE,zz,1.5,a,1',
        '1704067200123,False,,-2e3,b,-7',
        ',,,,,',
        '',
      ].join('\n'),
    );
    const { rows, errors } = await readAll(
      fileSource({ path: 'in.csv', format: 'csv', schema: ALL_TYPES }),
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { name: 'a', count: 1, amount: 1.5, ok: true, ts: Date.UTC(2024, 0, 1) },
      { name: 'b', count: -7, amount: -2000, ok: false, ts: Date.UTC(2024, 0, 1) + 123 },
      { name: null, count: null, amount: null, ok: null, ts: null },
    ]);
    for (const row of rows)
      expect(Object.keys(row)).toEqual(['name', 'count', 'amount', 'ok', 'ts']);
  });

  it('gives NULL for a schema field the header lacks', async () => {
    await write('in.csv', 'name\r\nonly\r\n');
    const { rows } = await readAll(
      fileSource({ path: 'in.csv', format: 'csv', schema: ALL_TYPES }),
    );
    expect(rows).toEqual([{ name: 'only', count: null, amount: null, ok: null, ts: null }]);
  });

  it('matches columns by position in schema order without a header; short rows get NULLs, extra cells are ignored', async () => {
    await write('in.csv', 'a,1,2.5,true,2024-01-01\nb,2\nc,3,4,false,0,surplus\n');
    const { rows, errors } = await readAll(
      fileSource({ path: 'in.csv', format: 'csv', schema: ALL_TYPES, csv: { header: false } }),
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { name: 'a', count: 1, amount: 2.5, ok: true, ts: Date.UTC(2024, 0, 1) },
      { name: 'b', count: 2, amount: null, ok: null, ts: null },
      { name: 'c', count: 3, amount: 4, ok: false, ts: 0 },
    ]);
  });

  it('uses a custom delimiter', async () => {
    await write('in.csv', 'name;amount\n"a;b";1,5\nc;2\n');
    const schema: Field[] = [
      { name: 'name', type: 'string' },
      { name: 'amount', type: 'double' },
    ];
    const { rows, errors } = await readAll(
      fileSource({ path: 'in.csv', format: 'csv', schema, csv: { delimiter: ';' } }),
    );
    expect(rows).toEqual([{ name: 'c', amount: 2 }]);
    expect(errors.map((e) => e.reason)).toEqual(["line 2: amount: '1,5' is not a double"]);
  });

  it('reads quoted cells holding delimiters, quotes and newlines, and counts lines across them', async () => {
    const schema: Field[] = [
      { name: 'name', type: 'string' },
      { name: 'count', type: 'long' },
    ];
    await write('in.csv', 'name,count\n"Smith, John",1\n"say ""hi""\nsecond line",2\n"ok",x\n');
    const { rows, errors } = await readAll(fileSource({ path: 'in.csv', format: 'csv', schema }));
    expect(rows).toEqual([
      { name: 'Smith, John', count: 1 },
      { name: 'say "hi"\nsecond line', count: 2 },
    ]);
    expect(errors).toEqual([{ row: 'ok,x', reason: "line 5: count: 'x' is not a long" }]);
  });

  it('reports malformed CSV and bad values with line numbers while the good records come through', async () => {
    const schema: Field[] = [
      { name: 'name', type: 'string' },
      { name: 'amount', type: 'double' },
    ];
    await write('in.csv', 'name,amount\ngood1,1\nbad,abc\ngood2,2\n"never closed,3\n');
    const { rows, errors } = await readAll(fileSource({ path: 'in.csv', format: 'csv', schema }));
    expect(rows).toEqual([
      { name: 'good1', amount: 1 },
      { name: 'good2', amount: 2 },
    ]);
    expect(errors.map((e) => e.reason)).toEqual([
      "line 3: amount: 'abc' is not a double",
      'line 5: the file ends inside a quoted cell (a " is never closed)',
    ]);
  });

  it('fails with a clear message when no header column is a schema field', async () => {
    await write('in.csv', 'name;amount\na;1\n');
    const source = fileSource({ path: 'in.csv', format: 'csv', schema: ALL_TYPES });
    await expect(readAll(source)).rejects.toThrow(
      /None of the columns in the header of 'in.csv' \(name;amount\).*delimiter/,
    );
  });

  it('fails when the header lacks the event time column', async () => {
    await write('in.csv', 'name\na\n');
    const source = fileSource({
      path: 'in.csv',
      format: 'csv',
      schema: ALL_TYPES,
      eventTime: { field: 'ts', maxOutOfOrderness: '0s' },
    });
    await expect(readAll(source)).rejects.toThrow(
      "The header of 'in.csv' has no column 'ts' for the event time.",
    );
  });
});

describe('source.file event time', () => {
  const schema: Field[] = [
    { name: 'id', type: 'long' },
    { name: 'ts', type: 'timestamp' },
  ];

  it('takes times from the event time field and bounded-out-of-orderness watermarks', async () => {
    await write(
      'in.jsonl',
      '{"id":1,"ts":10000}\n{"id":2,"ts":"1970-01-01T00:00:15Z"}\n{"id":3,"ts":12000}\n{"id":4}\n',
    );
    const source = fileSource({
      path: 'in.jsonl',
      format: 'jsonl',
      schema,
      eventTime: { field: 'ts', maxOutOfOrderness: '2s', idleTimeout: '5s' },
    });
    expect(source.idleTimeoutMs).toBe(5000);
    expect(source.watermark?.()).toBe(Number.NEGATIVE_INFINITY);
    const errors: Read['errors'] = [];
    const batch = await source.next(sourceContext(new ManualClock(), errors));
    expect(batch?.times).toEqual([10_000, 15_000, 12_000]);
    expect(source.watermark?.()).toBe(15_000 - 2_000 - 1);
    expect(errors).toEqual([{ row: '{"id":4}', reason: 'line 4: ts: the event time is missing' }]);
    await source.close?.();
  });

  it('stamps records with processing time when there is no event time', async () => {
    await write('in.jsonl', '{"id":1}\n{"id":2}\n');
    const { times } = await readAll(
      fileSource({ path: 'in.jsonl', format: 'jsonl', schema }),
      new ManualClock(42),
    );
    expect(times).toEqual([42, 42]);
  });
});

describe('source.file replay rate', () => {
  it('lets records out at the rate as the clock moves, and wakes when the job stops', async () => {
    await write('in.jsonl', Array.from({ length: 30 }, (_, i) => `{"id":${i}}`).join('\n'));
    const clock = new ManualClock(0);
    const source = fileSource(
      { path: 'in.jsonl', format: 'jsonl', schema: [{ name: 'id', type: 'long' }], replayRate: 10 },
      clock,
    );
    let stop!: () => void;
    const context = sourceContext(clock, [], new Promise((resolve) => (stop = resolve)));
    // The first record is due at once, the next one 100 ms later.
    expect((await source.next(context))?.rows).toEqual([{ id: 0 }]);
    let pending = source.next(context);
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    clock.advance(1_000);
    expect((await pending)?.rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    pending = source.next(context);
    stop();
    expect((await pending)?.rows).toEqual([]);
    await source.close?.();
  });
});

describe('source.file paths', () => {
  const config = (path: string) => ({
    path,
    format: 'jsonl',
    schema: [{ name: 'id', type: 'long' }],
  });

  it('refuses a path with .. that leads out, an absolute path and a missing file', async () => {
    await write('in.jsonl', '{"id":1}\n');
    await expect(readAll(fileSource(config('../in.jsonl')))).rejects.toThrow(
      "'../in.jsonl' leads out of the data directory.",
    );
    await expect(readAll(fileSource(config(join(dir, 'in.jsonl'))))).rejects.toThrow(
      /must be a path relative to the data directory/,
    );
    await expect(readAll(fileSource(config('nope.jsonl')))).rejects.toThrow(
      /There is no file 'nope.jsonl'/,
    );
  });

  it('refuses a symbolic link that leads out of the data directory', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'sluice-outside-'));
    try {
      await writeFile(join(outside, 'secret.jsonl'), '{"id":1}\n');
      await symlink(join(outside, 'secret.jsonl'), join(dir, 'link.jsonl'));
      await expect(readAll(fileSource(config('link.jsonl')))).rejects.toThrow(
        /through a symbolic link/,
      );
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('follows a symbolic link that stays inside', async () => {
    await write('real.jsonl', '{"id":7}\n');
    await symlink(join(dir, 'real.jsonl'), join(dir, 'alias.jsonl'));
    expect((await readAll(fileSource(config('alias.jsonl')))).rows).toEqual([{ id: 7 }]);
  });

  it('refuses a folder', async () => {
    await mkdir(join(dir, 'folder'));
    await expect(readAll(fileSource(config('folder')))).rejects.toThrow(
      "'folder' is a folder, not a file.",
    );
  });
});

describe.runIf(process.platform === 'linux')('source.file and the open file', () => {
  const openOn = async (path: string) => {
    let count = 0;
    for (const fd of await readdir('/proc/self/fd')) {
      if ((await readlink(`/proc/self/fd/${fd}`).catch(() => '')) === path) count++;
    }
    return count;
  };

  it.each(['jsonl', 'csv'])(
    'holds the %s file open while reading and releases it on close',
    async (format) => {
      const path = join(dir, `in.${format}`);
      await writeFile(
        path,
        format === 'csv' ? `id\n${'1\n'.repeat(500_000)}` : '{"id":1}\n'.repeat(100_000),
      );
      const source = fileSource({
        path: `in.${format}`,
        format,
        schema: [{ name: 'id', type: 'long' }],
      });
      await source.next(sourceContext(new ManualClock(), []));
      expect(await openOn(path)).toBe(1);
      await source.close?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await openOn(path)).toBe(0);
    },
  );
});
