import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobMetrics, OperatorMetrics } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorMetrics } from '../testing/metrics.js';
import { type CliIO, main } from './main.js';
import { progressLine } from './run.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sluice-run-'));
  await cp(join(root, 'examples'), work, { recursive: true });
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function run(argv: string[], signal?: AbortSignal) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: work,
    isTTY: false,
    ...(signal ? { signal } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('sluice run', () => {
  it('runs the file example to the end and writes its results inside the data directory', async () => {
    const { code, stderr } = await run(['run', 'revenue-per-country.json', '--data-dir', 'data']);
    expect(stderr).toContain('Revenue per country per minute: finished');
    expect(code).toBe(0);
    const lines = (await readFile(join(work, 'data/out/per_minute.jsonl'), 'utf8'))
      .trim()
      .split('\n');
    const first = JSON.parse(lines[0]!);
    expect(Object.keys(first)).toEqual([
      'country',
      'window_start',
      'window_end',
      'orders',
      'revenue',
    ]);
    expect(first.window_start).toMatch(/^2024-05-01T(09|10):\d\d:00\.000Z$/);
    // Two orders in the file are ten minutes late: they leave by the late port.
    const late = (await readFile(join(work, 'data/out/late.jsonl'), 'utf8')).trim().split('\n');
    expect(late.map((line) => JSON.parse(line).order_id)).toEqual(['o-1500', 'o-2500']);
    expect(stderr).toMatch(/records in 3,000 .*late 2/);
  });

  it('runs the bounded generator examples to the end', async () => {
    for (const file of ['click-sessions.json', 'payments-join.json']) {
      const { code, stdout, stderr } = await run(['run', file]);
      expect(stderr).toMatch(/: finished after/);
      expect(code).toBe(0);
      if (file === 'click-sessions.json') expect(stdout).toMatch(/^\[print\] \{"user_id":/m);
    }
  });

  it('runs an unbounded example until interrupted, then stops cleanly', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 1500);
    const { code, stderr } = await run(['run', 'orders-per-category.json'], abort.signal);
    expect(code).toBe(0);
    expect(stderr).toContain('Orders per category every 2 seconds: stopped');
    expect(stderr).toMatch(/records in [1-9]/);
  });

  it('refuses an invalid pipeline with its diagnostics and exit code 1', async () => {
    const { code, stderr } = await run([
      'run',
      join(root, 'apps/server/src/cli/fixtures/missing-field.json'),
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('expression.unknown-field');
  });
});

describe('the progress line of sluice run', () => {
  const op = (nodeId: string, kind: string, over: Partial<OperatorMetrics>): OperatorMetrics =>
    operatorMetrics({ nodeId, kind, ...over });

  it('reads the rate and the watermark from the steps whose kind is a source', () => {
    const metrics: JobMetrics = {
      status: 'running',
      at: 2000,
      startedAt: 1000,
      uptimeMs: 1500,
      recordsIn: 10,
      recordsOut: 5,
      errors: 0,
      late: 0,
      operators: [
        op('a', 'source.datagen', { outPerSecond: 300, watermark: Date.UTC(2026, 0, 1, 10) }),
        op('b', 'source.nexmark', { outPerSecond: 200, watermark: Date.UTC(2026, 0, 1, 9) }),
        op('f', 'transform.filter', { outPerSecond: 9000, watermark: Date.UTC(2026, 0, 1, 8) }),
      ],
      edges: [],
    };
    const line = progressLine(metrics);
    expect(line).toContain('in 10 (500/s)');
    expect(line).toContain('watermark 2026-01-01T09:00:00.000Z');
  });
});

describe('sluice run --state-dir', () => {
  const args = (state: string) => [
    'run',
    'revenue-per-country.json',
    '--data-dir',
    'data',
    '--state-dir',
    state,
  ];

  it('resumes from the last checkpoint of a finished run, saying so, and writes nothing more', async () => {
    const first = await run(args('state-finished'));
    expect(first.code).toBe(0);
    expect(first.stderr).not.toContain('Resuming');
    const written = await readFile(join(work, 'data/out/per_minute.jsonl'), 'utf8');
    const again = await run(args('state-finished'));
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Resuming from checkpoint \d+, taken /);
    expect(await readFile(join(work, 'data/out/per_minute.jsonl'), 'utf8')).toBe(written);
  });

  it('refuses a state directory another live process holds, naming it', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    await new Promise((resolve) => holder.once('spawn', resolve));
    try {
      await mkdir(join(work, 'state-held'), { recursive: true });
      await writeFile(join(work, 'state-held', 'lock'), String(holder.pid));
      const { code, stderr } = await run(args('state-held'));
      expect(code).toBe(1);
      expect(stderr).toContain(
        `state-held is in use by another Sluice process (pid ${holder.pid})`,
      );
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('refuses the checkpoints of another pipeline', async () => {
    expect((await run(args('state-other'))).code).toBe(0);
    const { code, stderr } = await run([
      'run',
      'orders-per-category.json',
      '--state-dir',
      'state-other',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('were taken of another version of this pipeline');
  });
});
