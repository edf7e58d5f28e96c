// A job restored from a snapshot taken between any two batches ends with
// exactly the output of a run that was never interrupted: generators, files
// and Nexmark, through filters, windows and joins, into a preview whose rows
// are part of the snapshot too.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Pipeline, PipelineNode } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStorage, type RestoredCheckpoint } from '../checkpoint/storage.js';
import { keyedDatagen, previewOutput } from '../testing/pipelines.js';
import type { JobSnapshot } from './checkpoint.js';
import { ManualClock } from './clock.js';
import { type JobOptions, RestoreError, restoreFrom, startJob } from './job.js';

function pipeline(nodes: PipelineNode[], edges: [string, string, string?, string?][]): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'restore',
    nodes,
    edges: edges.map(([source, target, sourcePort, targetPort], i) => ({
      id: `e${i + 1}`,
      source,
      target,
      ...(sourcePort ? { sourcePort } : {}),
      ...(targetPort ? { targetPort } : {}),
    })),
  };
}

const preview: PipelineNode = { id: 'out', kind: 'sink.preview', config: { capacity: 10_000 } };

const perKey: PipelineNode = {
  id: 'win',
  kind: 'window.aggregate',
  config: {
    window: { type: 'tumbling', size: '10s' },
    groupBy: ['key'],
    aggregates: [
      { name: 'n', fn: 'count' },
      { name: 'total', fn: 'sum', expr: 'n' },
      { name: 'first_n', fn: 'first', expr: 'n' },
    ],
  },
};

function datagen(id: string, count: number, seed = 1): PipelineNode {
  return keyedDatagen(id, { count, seed, step: '1s', maxDelay: '3s' });
}

const outputOf = previewOutput;

/**
 * Runs until the source loops have asked `batches` times whether to stop
 * (between batches; the first time is before any), then snapshots and stops.
 */
async function snapshotAfter(p: Pipeline, batches: number, options: JobOptions = {}) {
  let asked = 0;
  let snapshot: Buffer | undefined;
  const job = startJob(p, {
    ...options,
    stopRequested: () => {
      if (++asked !== batches) return undefined;
      snapshot = serialize(job.snapshot());
      return { drain: false };
    },
  });
  await job.done;
  if (!snapshot) throw new Error(`the job ended before ${batches} batches`);
  return deserialize(snapshot) as JobSnapshot;
}

async function expectRestoredSame(p: Pipeline, cuts: number[], options: JobOptions = {}) {
  const whole = await outputOf(p, options);
  expect(whole.total).toBeGreaterThan(0);
  for (const cut of cuts) {
    const snapshot = await snapshotAfter(p, cut, options);
    const restored = await outputOf(p, { ...options, restore: { snapshot } });
    expect({ cut, rows: restored.rows, times: restored.times }).toEqual({
      cut,
      rows: whole.rows,
      times: whole.times,
    });
  }
}

describe('a job restored from a snapshot', () => {
  it('gives the uninterrupted output: generator, filter, window', async () => {
    await expectRestoredSame(
      pipeline(
        [
          datagen('gen', 8000),
          { id: 'odd', kind: 'transform.filter', config: { where: 'MOD(n, 7) <> 3' } },
          perKey,
          preview,
        ],
        [
          ['gen', 'odd'],
          ['odd', 'win'],
          ['win', 'out'],
        ],
      ),
      [2, 4, 7],
    );
  });

  it('gives the uninterrupted output: two generators into a union, one ended before the cut', async () => {
    await expectRestoredSame(
      pipeline(
        [
          datagen('short', 50, 2),
          datagen('long', 5000, 3),
          { id: 'u', kind: 'transform.union', config: {} },
          perKey,
          preview,
        ],
        [
          ['short', 'u'],
          ['long', 'u'],
          ['u', 'win'],
          ['win', 'out'],
        ],
      ),
      [3, 8],
    );
  });

  it('gives the uninterrupted output: Nexmark bids and auctions through a window join', async () => {
    await expectRestoredSame(
      pipeline(
        [
          {
            id: 'nx',
            kind: 'source.nexmark',
            config: { count: 3000, rate: 1000, emit: ['auction', 'bid'] },
          },
          {
            id: 'j',
            kind: 'join.window',
            config: {
              window: { type: 'tumbling', size: '2s' },
              on: [{ left: 'id', right: 'auction' }],
            },
          },
          preview,
        ],
        [
          ['nx', 'j', 'auction', 'left'],
          ['nx', 'j', 'bid', 'right'],
          ['j', 'out'],
        ],
      ),
      [2, 3, 5],
    );
  });

  it('restored from checkpoint files that name the blocks of earlier ones, gives the uninterrupted output', async () => {
    // Nexmark q7's shape: every bid of the run in one window, held column by
    // column in sealed blocks; the second checkpoint names the first's blocks.
    const q7 = pipeline(
      [
        {
          id: 'nx',
          kind: 'source.nexmark',
          config: { count: 300_000, rate: 1_000_000, emit: ['bid'] },
        },
        {
          id: 'max',
          kind: 'window.aggregate',
          config: {
            window: { type: 'tumbling', size: '10s' },
            aggregates: [{ name: 'maxprice', fn: 'max', expr: 'price' }],
          },
        },
        {
          id: 'j',
          kind: 'join.window',
          config: {
            window: { type: 'tumbling', size: '10s' },
            on: [{ left: 'price', right: 'maxprice' }],
          },
        },
        preview,
      ],
      [
        ['nx', 'j', 'bid', 'left'],
        ['nx', 'max', 'bid'],
        ['max', 'j', undefined, 'right'],
        ['j', 'out'],
      ],
    );
    const whole = await outputOf(q7);
    expect(whole.total).toBeGreaterThan(0);
    const dir = await mkdtemp(join(tmpdir(), 'sluice-restore-blocks-'));
    try {
      const storage = new CheckpointStorage(dir, { keep: 1 });
      /** Runs from `from` (or the start), takes a checkpoint after 40 batches, and is killed after it. */
      const runAndKill = async (from?: RestoredCheckpoint) => {
        const clock = new ManualClock(1_700_000_000_000);
        let asked = 0;
        const job = startJob(q7, {
          clock,
          checkpoints: { intervalMs: 1000, storage },
          ...(from ? { restore: restoreFrom(from) } : {}),
          stopRequested: () => {
            if (++asked === 40) clock.advance(1000);
            // Stopped without a savepoint, as if killed; stopping waits for the checkpoint in flight.
            return asked === 41 ? { drain: false } : undefined;
          },
        });
        const ended = await job.done;
        expect([ended.status, ended.failure?.message]).toEqual(['stopped', undefined]);
        return (await new CheckpointStorage(dir).latest())!;
      };
      const first = await runAndKill();
      expect([first.info.id, first.info.references]).toEqual([1, []]);
      // Restored from the first, the second names the first's blocks rather than writing them.
      const second = await runAndKill(first);
      expect([second.info.id, second.info.references]).toEqual([2, [1]]);
      // Kept although `keep` is 1: the newest needs its blocks.
      expect((await storage.list()).map((c) => c.id)).toEqual([2, 1]);
      const restored = await outputOf(q7, {
        restore: restoreFrom(second),
      });
      expect({ rows: restored.rows, times: restored.times }).toEqual({
        rows: whole.rows,
        times: whole.times,
      });
      // Some of the buffered bids came back from the first file.
      const files = new Set(second.blocks.handedOut.map(([, [file]]) => file));
      expect([...files].sort()).toEqual([1, 2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('at the end of its input, gives up a checkpoint still being written for its last one', async () => {
    // q7's shape: a big first checkpoint, cut one batch before the input ends.
    const q7 = pipeline(
      [
        {
          id: 'nx',
          kind: 'source.nexmark',
          config: { count: 200_000, rate: 1_000_000, emit: ['bid'] },
        },
        {
          id: 'max',
          kind: 'window.aggregate',
          config: {
            window: { type: 'tumbling', size: '10s' },
            aggregates: [{ name: 'maxprice', fn: 'max', expr: 'price' }],
          },
        },
        {
          id: 'j',
          kind: 'join.window',
          config: {
            window: { type: 'tumbling', size: '10s' },
            on: [{ left: 'price', right: 'maxprice' }],
          },
        },
        { id: 'out', kind: 'sink.blackhole' },
      ],
      [
        ['nx', 'j', 'bid', 'left'],
        ['nx', 'max', 'bid'],
        ['max', 'j', undefined, 'right'],
        ['j', 'out'],
      ],
    );
    let batches = 0;
    await startJob(q7, {
      stopRequested: () => {
        batches++;
        return undefined;
      },
    }).done;
    const dir = await mkdtemp(join(tmpdir(), 'sluice-restore-abandon-'));
    try {
      const storage = new CheckpointStorage(dir);
      const clock = new ManualClock(1_700_000_000_000);
      let asked = 0;
      const job = startJob(q7, {
        clock,
        checkpoints: { intervalMs: 1000, storage },
        stopRequested: () => {
          if (++asked === batches - 1) clock.advance(1000);
          return undefined;
        },
      });
      const ended = await job.done;
      expect([ended.status, ended.failure?.message]).toEqual(['finished', undefined]);
      // Only the last checkpoint completed; the one cut before it left no file behind.
      expect(ended.metrics.checkpoints).toMatchObject({ completed: 1, failed: 0, lastId: 1 });
      expect(await readdir(dir)).toEqual(['checkpoint-000000000001.ckpt']);
      const last = (await storage.latest())!;
      expect([last.info.id, last.info.references]).toEqual([1, []]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('from files', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'sluice-restore-'));
      const lines: string[] = [];
      const csv: string[] = ['key,n,ts'];
      for (let i = 0; i < 3000; i++) {
        const ts = new Date(Date.UTC(2024, 0, 1) + i * 1000 - (i % 4) * 1000).toISOString();
        const key = ['a', 'b', 'c'][i % 3];
        // Every 97th line is broken: it goes to the error output, before and after the cut alike.
        lines.push(i % 97 === 5 ? '{not json' : JSON.stringify({ key, n: i, ts }));
        csv.push(`${key},${i},${ts}`);
      }
      await writeFile(join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
      await writeFile(join(dir, 'in.csv'), `${csv.join('\n')}\n`);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    const fileSource = (path: string, format: 'jsonl' | 'csv'): PipelineNode => ({
      id: 'file',
      kind: 'source.file',
      config: {
        path,
        format,
        ...(format === 'csv' ? { csv: { header: true } } : {}),
        schema: [
          { name: 'key', type: 'string' },
          { name: 'n', type: 'long' },
          { name: 'ts', type: 'timestamp' },
        ],
        eventTime: { field: 'ts', maxOutOfOrderness: '3s' },
      },
    });

    for (const format of ['jsonl', 'csv'] as const) {
      it(`gives the uninterrupted output: ${format} file, window`, async () => {
        await expectRestoredSame(
          pipeline(
            [fileSource(`in.${format}`, format), perKey, preview],
            [
              ['file', 'win'],
              ['win', 'out'],
            ],
          ),
          [2, 3, 6],
          { dataDir: dir },
        );
      });
    }
  });

  it('refuses a snapshot of another pipeline, naming the nodes that differ', async () => {
    const p = pipeline(
      [datagen('gen', 4000), perKey, preview],
      [
        ['gen', 'win'],
        ['win', 'out'],
      ],
    );
    const snapshot = await snapshotAfter(p, 2);
    const other = pipeline(
      [datagen('gen', 4000), { ...perKey, id: 'win2' }, preview],
      [
        ['gen', 'win2'],
        ['win2', 'out'],
      ],
    );
    expect(() => startJob(other, { restore: { snapshot } })).toThrow(RestoreError);
    expect(() => startJob(other, { restore: { snapshot } })).toThrow(
      /nodes win2 are not in it; it has nodes win the pipeline does not/,
    );
  });
});
