// Restores into an edited pipeline: run a version, snapshot it between two
// batches, edit it, restore the edited version through the upgrade plan and
// let it finish. The output is the uninterrupted output of the edited
// version, with the exceptions the plan declares (a new aggregate is partial
// in the windows open at the cut; rows that left before the cut have the old
// fields).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { type Pipeline, type PipelineNode, planUpgrade, type Row } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { CheckpointStorage } from '../checkpoint/storage.js';
import { keyedDatagen, previewOutput } from '../testing/pipelines.js';
import type { JobSnapshot } from './checkpoint.js';
import { startJob } from './job.js';

function pipeline(nodes: PipelineNode[], edges: [string, string][]): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'upgrade',
    nodes,
    edges: edges.map(([source, target]) => ({ id: `${source}-${target}`, source, target })),
  };
}

const gen = keyedDatagen('gen', { count: 6000, seed: 5, step: '50ms', maxDelay: '1s' });
const preview: PipelineNode = { id: 'out', kind: 'sink.preview', config: { capacity: 10_000 } };

function windowNode(config: Record<string, unknown>): PipelineNode {
  return {
    id: 'win',
    kind: 'window.aggregate',
    config: {
      window: { type: 'tumbling', size: '1m' },
      groupBy: ['key'],
      aggregates: [{ name: 'records', fn: 'count' }],
      ...config,
    },
  };
}

const counts = pipeline(
  [gen, windowNode({}), preview],
  [
    ['gen', 'win'],
    ['win', 'out'],
  ],
);

const outputOf = previewOutput;

/** Runs until the source loop has asked `batches` times whether to stop, then snapshots and stops. */
async function snapshotAfter(p: Pipeline, batches: number): Promise<JobSnapshot> {
  let asked = 0;
  let snapshot: Buffer | undefined;
  const job = startJob(p, {
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

/** Snapshot `before` after `cut` batches, then restore `after` from it through the plan and finish. */
async function upgraded(before: Pipeline, after: Pipeline, cut: number) {
  const snapshot = await snapshotAfter(before, cut);
  const plan = planUpgrade(before, after);
  const output = await outputOf(after, { restore: { snapshot, upgrade: { before, plan } } });
  return { snapshot, plan, output };
}

/** The window starts open (holding records) at the cut: the keys of its panes map. */
function openAt(snapshot: JobSnapshot, node = 'win'): Set<number> {
  const flat = snapshot.nodes[node]!.state.maps.panes ?? [];
  return new Set(flat.filter((_, i) => i % 2 === 0) as number[]);
}

const without = (row: Row, field: string): Row => {
  const { [field]: _, ...rest } = row;
  return rest;
};

describe('a restore into an edited pipeline', () => {
  it('keeps a window through a filter put in before it and a computed field after it: open counts carry on', async () => {
    const after = pipeline(
      [
        gen,
        { id: 'all', kind: 'transform.filter', config: { where: 'n >= 0' } },
        windowNode({}),
        {
          id: 'more',
          kind: 'transform.map',
          config: { fields: [{ name: 'double', expr: 'records * 2' }], keepInput: true },
        },
        preview,
      ],
      [
        ['gen', 'all'],
        ['all', 'win'],
        ['win', 'more'],
        ['more', 'out'],
      ],
    );
    const whole = await outputOf(after);
    for (const cut of [2, 4]) {
      const { snapshot, plan, output } = await upgraded(counts, after, cut);
      expect(plan.nodes.find((n) => n.id === 'win')!.status).toBe('kept');
      const open = openAt(snapshot);
      expect(open.size).toBeGreaterThan(0);
      expect(output.rows.length).toBe(whole.rows.length);
      output.rows.forEach((row, i) => {
        // Rows that left before the cut went by the old way, without the computed field.
        if (!('double' in row)) expect(row).toEqual(without(whole.rows[i]!, 'double'));
        else expect(row).toEqual(whole.rows[i]);
      });
      // The windows open at the cut fired with every record, before the cut and after it.
      const carried = output.rows.filter((r) => open.has(r.window_start as number));
      expect(carried.length).toBeGreaterThan(0);
      for (const row of carried) expect(row.double).toBe((row.records as number) * 2);
    }
  });

  it('carries a window over an added aggregate: the existing ones go on, the new one starts empty in the open windows', async () => {
    const after = pipeline(
      [
        gen,
        windowNode({
          aggregates: [
            { name: 'total', fn: 'sum', expr: 'n' },
            { name: 'records', fn: 'count' },
          ],
        }),
        preview,
      ],
      [
        ['gen', 'win'],
        ['win', 'out'],
      ],
    );
    const whole = await outputOf(after);
    const { snapshot, plan, output } = await upgraded(counts, after, 3);
    expect(plan.nodes.find((n) => n.id === 'win')).toMatchObject({
      status: 'migrated',
      steps: [{ type: 'aggregates', from: [null, 0] }],
    });
    const open = openAt(snapshot);
    expect(output.rows.length).toBe(whole.rows.length);
    let partial = 0;
    output.rows.forEach((row, i) => {
      const expected = whole.rows[i]!;
      if (!('total' in row)) {
        // Fired before the cut, by the old version.
        expect(row).toEqual(without(expected, 'total'));
      } else if (open.has(row.window_start as number)) {
        // The declared exception: the new aggregate holds only the records after the cut.
        expect(without(row, 'total')).toEqual(without(expected, 'total'));
        expect(row.total as number).toBeLessThan(expected.total as number);
        partial++;
      } else {
        expect(row).toEqual(expected);
      }
    });
    expect(partial).toBeGreaterThan(0);
  });

  it('carries session windows over an added aggregate', async () => {
    const sessions = (aggregates: object[]) =>
      pipeline(
        [gen, windowNode({ window: { type: 'session', gap: '100ms' }, aggregates }), preview],
        [
          ['gen', 'win'],
          ['win', 'out'],
        ],
      );
    const before = sessions([{ name: 'records', fn: 'count' }]);
    const after = sessions([
      { name: 'records', fn: 'count' },
      { name: 'biggest', fn: 'max', expr: 'n' },
    ]);
    const whole = await outputOf(after);
    const { output } = await upgraded(before, after, 3);
    expect(output.rows.length).toBe(whole.rows.length);
    output.rows.forEach((row, i) => {
      const expected = whole.rows[i]!;
      // Counts carry on in every session; a max seen only after the cut is at most the whole one.
      expect(without(row, 'biggest')).toEqual(without(expected, 'biggest'));
      if ('biggest' in row && row.biggest !== null)
        expect(row.biggest as number).toBeLessThanOrEqual(expected.biggest as number);
    });
  });

  it('carries a renamed aggregate (a renamed output field) over as it is', async () => {
    const after = pipeline(
      [gen, windowNode({ aggregates: [{ name: 'n_records', fn: 'count' }] }), preview],
      [
        ['gen', 'win'],
        ['win', 'out'],
      ],
    );
    const whole = await outputOf(after);
    const { plan, output } = await upgraded(counts, after, 3);
    expect(plan.nodes.find((n) => n.id === 'win')).toMatchObject({ status: 'migrated' });
    expect(plan.nodes.find((n) => n.id === 'win')!.steps).toBeUndefined();
    const renamed = output.rows.map((row) =>
      'records' in row ? { ...without(row, 'records'), n_records: row.records } : row,
    );
    expect(renamed).toEqual(whole.rows);
  });

  it('carries a running aggregate over an added aggregate, which counts from the cut on', async () => {
    const running = (aggregates: object[]) =>
      pipeline(
        [
          gen,
          { id: 'run', kind: 'transform.aggregate', config: { groupBy: ['key'], aggregates } },
          preview,
        ],
        [
          ['gen', 'run'],
          ['run', 'out'],
        ],
      );
    const before = running([{ name: 'records', fn: 'count' }]);
    const after = running([
      { name: 'records', fn: 'count' },
      { name: 'since', fn: 'count' },
    ]);
    const whole = await outputOf(after);
    const { output } = await upgraded(before, after, 3);
    const last = (rows: readonly Row[]) =>
      Object.fromEntries(rows.map((r) => [r.key as string, r]));
    const ended = last(output.rows);
    const expected = last(whole.rows);
    for (const key of ['a', 'b', 'c']) {
      // The counts go on from the cut: the same totals as the uninterrupted run.
      expect(ended[key]!.records).toBe(expected[key]!.records);
      // The new one counted only what came after the cut.
      expect(ended[key]!.since as number).toBeLessThan(expected[key]!.since as number);
      expect(ended[key]!.since as number).toBeGreaterThan(0);
    }
  });

  it('starts a window whose size changed empty, at the watermark it had: whole windows after the cut are right', async () => {
    const after = pipeline(
      [gen, windowNode({ window: { type: 'tumbling', size: '30s' } }), preview],
      [
        ['gen', 'win'],
        ['win', 'out'],
      ],
    );
    const whole = await outputOf(after);
    const { snapshot, plan, output } = await upgraded(counts, after, 3);
    expect(plan.nodes.find((n) => n.id === 'win')).toMatchObject({
      status: 'dropped',
      field: 'window.size',
    });
    // Nothing of the old windows' state: the window starts at the cut's watermark.
    const watermark = snapshot.nodes.win!.watermark;
    const firedAfter = output.rows.filter(
      (r) => 'window_end' in r && (r.window_start as number) > watermark,
    );
    expect(firedAfter.length).toBeGreaterThan(0);
    for (const row of firedAfter) {
      expect(whole.rows).toContainEqual(row);
    }
    // A window open across the cut has only the records after it.
    const across = output.rows.filter(
      (r) =>
        (r.window_start as number) <= watermark &&
        (r.window_end as number) > watermark &&
        (r.window_end as number) - (r.window_start as number) === 30_000,
    );
    for (const row of across) {
      const full = whole.rows.find(
        (w) => w.window_start === row.window_start && w.key === row.key,
      )!;
      expect(row.records as number).toBeLessThan(full.records as number);
    }
  });
});

describe('a job upgraded into another version', () => {
  it('checkpoints the new version at once, so a crash before its first interval resumes in it', async () => {
    const before = counts;
    const after = pipeline(
      [
        gen,
        { id: 'all', kind: 'transform.filter', config: { where: 'n >= 0' } },
        windowNode({}),
        preview,
      ],
      [
        ['gen', 'all'],
        ['all', 'win'],
        ['win', 'out'],
      ],
    );
    const snapshot = await snapshotAfter(before, 3);
    const dir = await mkdtemp(join(tmpdir(), 'sluice-upgrade-'));
    try {
      const storage = new CheckpointStorage(dir);
      // An hour between checkpoints, and stopped at its first batch without a last one.
      const job = startJob(after, {
        checkpoints: { intervalMs: 3_600_000, storage, meta: { version: 2 } },
        restore: { snapshot, upgrade: { before, plan: planUpgrade(before, after) } },
        stopRequested: () => ({ drain: false }),
      });
      await job.done;
      const written = await storage.list();
      expect(written.map((c) => [c.kind, c.meta.version])).toEqual([['checkpoint', 2]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
