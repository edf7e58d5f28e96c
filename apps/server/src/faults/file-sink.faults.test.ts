// `sluice run --state-dir` killed with SIGKILL at random points, again and
// again, then left to finish: the file it writes is exactly the file an
// uninterrupted run writes — no line lost, none twice, none wrong. Three
// kills per pipeline here; SLUICE_FAULTS_FULL=1 (npm run test:faults) runs
// 20 and prints the figures.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pipeline } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SLUICE = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
const KILLS = process.env.SLUICE_FAULTS_FULL === '1' ? 20 : 3;
// At the replay rate below, two seconds of input, or fifteen for 20 kills (a restored replay goes
// on at its rate, so each kill costs some of the input's time).
const RECORDS = KILLS > 3 ? 150_000 : 20_000;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-faults-'));
  const lines: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    // Keys in bursts, times a little out of order, one broken line in 500.
    const ts = new Date(Date.UTC(2024, 0, 1) + i * 100 - (i % 7) * 150).toISOString();
    lines.push(
      i % 500 === 13 ? '{"broken' : JSON.stringify({ key: `k${(i * 7919) % 13}`, n: i, ts }),
    );
  }
  await writeFile(join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const source = {
  id: 'in',
  kind: 'source.file',
  config: {
    path: 'in.jsonl',
    format: 'jsonl',
    // Slow enough that kills land mid-run.
    replayRate: 10_000,
    schema: [
      { name: 'key', type: 'string' },
      { name: 'n', type: 'long' },
      { name: 'ts', type: 'timestamp' },
    ],
    eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
  },
};

const PIPELINES: Record<string, Pipeline> = {
  'file → filter and map → file': {
    format: 'sluice.pipeline/v1',
    name: 'stateless',
    settings: { checkpoints: { interval: '100ms' } },
    nodes: [
      source,
      { id: 'odd', kind: 'transform.filter', config: { where: 'MOD(n, 3) <> 1' } },
      {
        id: 'shape',
        kind: 'transform.map',
        config: {
          fields: [
            { name: 'key', expr: 'key' },
            { name: 'twice', expr: 'n * 2' },
          ],
        },
      },
      { id: 'out', kind: 'sink.file', config: { path: 'out/result.jsonl', format: 'jsonl' } },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'odd' },
      { id: 'e2', source: 'odd', target: 'shape' },
      { id: 'e3', source: 'shape', target: 'out' },
    ],
  },
  'file → tumbling window → file': {
    format: 'sluice.pipeline/v1',
    name: 'windowed',
    settings: { checkpoints: { interval: '100ms' } },
    nodes: [
      source,
      {
        id: 'win',
        kind: 'window.aggregate',
        config: {
          window: { type: 'tumbling', size: '5s' },
          groupBy: ['key'],
          aggregates: [
            { name: 'records', fn: 'count' },
            { name: 'total', fn: 'sum', expr: 'n' },
            { name: 'first_n', fn: 'first', expr: 'n' },
          ],
        },
      },
      { id: 'out', kind: 'sink.file', config: { path: 'out/result.jsonl', format: 'jsonl' } },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'win' },
      { id: 'e2', source: 'win', target: 'out' },
    ],
  },
};

function sluice(args: string[]): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, [SLUICE, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== null && code !== 0) console.error(stderr);
      resolve(code);
    }),
  );
  return { child, done };
}

/** Lines of `a` not in `b`, counted with multiplicity. */
function missing(a: string[], b: string[]): number {
  const counts = new Map<string, number>();
  for (const line of b) counts.set(line, (counts.get(line) ?? 0) + 1);
  let n = 0;
  for (const line of a) {
    const c = counts.get(line) ?? 0;
    if (c === 0) n++;
    else counts.set(line, c - 1);
  }
  return n;
}

describe('sluice run --state-dir killed with SIGKILL', () => {
  for (const [name, pipeline] of Object.entries(PIPELINES)) {
    it(`writes exactly the uninterrupted output after ${KILLS} kills: ${name}`, async () => {
      const work = join(dir, pipeline.name);
      await mkdir(work, { recursive: true });
      await writeFile(join(work, 'p.json'), JSON.stringify(pipeline));
      await writeFile(join(work, 'in.jsonl'), await readFile(join(dir, 'in.jsonl')));
      const run = (state?: string) =>
        sluice([
          'run',
          join(work, 'p.json'),
          '--data-dir',
          work,
          ...(state ? ['--state-dir', state] : []),
        ]);

      expect(await run().done).toBe(0);
      const expected = (await readFile(join(work, 'out/result.jsonl'), 'utf8')).split('\n');
      expect(expected.length).toBeGreaterThan(100);

      const state = join(work, 'state');
      let kills = 0;
      let finished = false;
      const started = Date.now();
      while (!finished) {
        const { child, done } = run(state);
        if (kills < KILLS) {
          // Anywhere from start-up to well into the input.
          const wait = 150 + Math.floor(Math.random() * 900);
          const timer = setTimeout(() => child.kill('SIGKILL'), wait);
          const code = await done;
          clearTimeout(timer);
          if (code === null) kills++;
          else finished = code === 0;
        } else {
          expect(await done).toBe(0);
          finished = true;
        }
      }
      const got = (await readFile(join(work, 'out/result.jsonl'), 'utf8')).split('\n');
      const lost = missing(expected, got);
      const duplicated = missing(got, expected);
      console.log(
        `${name}: ${kills} kills in ${((Date.now() - started) / 1000).toFixed(1)} s; ${expected.length - 1} lines expected, ${got.length - 1} written; lost ${lost}, extra ${duplicated}`,
      );
      expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
      // As many kills as the title says: the input lasted long enough for each of them.
      expect(kills).toBe(KILLS);
      expect(got).toEqual(expected);

      // Run again once it has finished: it resumes from its last checkpoint, which says so.
      expect(await run(state).done).toBe(0);
      expect((await readFile(join(work, 'out/result.jsonl'), 'utf8')).split('\n')).toEqual(
        expected,
      );
    }, 300_000);
  }
});
