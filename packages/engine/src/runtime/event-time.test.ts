// The event-time view of a running job, read between batches: which input
// holds a node back and which source that comes from, the windows it has yet
// to fire, and its late records with how late they were.
import type { EventTimeView, Pipeline, PipelineNode } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { startJob } from './job.js';

const source = (id: string, step: string, maxDelay = '0s'): PipelineNode => ({
  id,
  kind: 'source.datagen',
  config: {
    fields: [
      { name: 'key', type: 'string', generator: { kind: 'choice', values: ['a', 'b', 'c'] } },
      {
        name: 'ts',
        type: 'timestamp',
        generator: { kind: 'timestamp', start: '2024-01-01T00:00:00Z', step, maxDelay },
      },
    ],
    seed: 1,
    eventTime: { field: 'ts', maxOutOfOrderness: '0s' },
  },
});

const window = (size: string): PipelineNode => ({
  id: 'per_key',
  kind: 'window.aggregate',
  config: {
    window: { type: 'tumbling', size },
    groupBy: ['key'],
    aggregates: [{ name: 'n', fn: 'count' }],
  },
});

/** Runs the pipeline for `batches` batches and returns the views of `nodes` then. */
async function viewsAfter(
  pipeline: Pipeline,
  batches: number,
  nodes: string[],
): Promise<Map<string, EventTimeView> & { heldBy?: EventTimeView['heldBy'] }> {
  const views: Map<string, EventTimeView> & { heldBy?: EventTimeView['heldBy'] } = new Map();
  let asked = 0;
  const job = startJob(pipeline, {
    stopRequested: () => {
      if (++asked < batches) return undefined;
      for (const id of nodes) views.set(id, job.explain(id)!);
      views.heldBy = job.metrics().heldBy;
      return { drain: false };
    },
  });
  await job.done;
  return views;
}

describe('the event-time view', () => {
  it('names the slow input a union waits for, and the source a window behind it waits for', async () => {
    const pipeline: Pipeline = {
      format: 'sluice.pipeline/v1',
      name: 'slow input',
      nodes: [
        source('fast', '1s'),
        source('slow', '10ms'),
        { id: 'both', kind: 'transform.union', config: {} },
        window('1m'),
        { id: 'out', kind: 'sink.preview', config: {} },
      ],
      edges: [
        { id: 'from_fast', source: 'fast', target: 'both' },
        { id: 'from_slow', source: 'slow', target: 'both' },
        { id: 'into_window', source: 'both', target: 'per_key' },
        { id: 'out', source: 'per_key', target: 'out' },
      ],
    };
    const views = await viewsAfter(pipeline, 20, ['both', 'per_key']);
    const union = views.get('both')!;
    expect(union.inputs.map((i) => [i.edgeId, i.holding])).toEqual([
      ['from_fast', false],
      ['from_slow', true],
    ]);
    const [fast, slow] = union.inputs;
    expect(fast!.watermark!).toBeGreaterThan(slow!.watermark!);
    expect(union.watermark).toBe(slow!.watermark);

    const windowed = views.get('per_key')!;
    expect(windowed.heldBy).toMatchObject({ nodeId: 'slow', watermark: slow!.watermark });
    // The job's event time as a whole (its one sink's) waits for the same source.
    expect(views.heldBy).toEqual(windowed.heldBy);
    expect(windowed.pending?.kind).toBe('window');
    expect(windowed.pending?.time).toBe('event');
    // The first window to fire is the one the watermark is in; it fires at its end less 1 ms.
    const first = windowed.pending!.earliest[0]!;
    expect(first.end - first.start).toBe(60_000);
    expect(first.firesAt).toBe(first.end - 1);
    expect(first.firesAt).toBeGreaterThan(windowed.watermark!);
    expect(first.start).toBeLessThanOrEqual(windowed.watermark! + 1);
    expect(first.keys).toBe(3);
    expect(windowed.pending!.total).toBeGreaterThanOrEqual(windowed.pending!.earliest.length);
  });

  it('keeps the latest late records, each with how far behind the watermark it came', async () => {
    const pipeline: Pipeline = {
      format: 'sluice.pipeline/v1',
      name: 'late burst',
      nodes: [
        // Up to 10 s out of order, with no bound: many records miss their 1 s window.
        source('jittery', '100ms', '10s'),
        window('1s'),
        { id: 'out', kind: 'sink.preview', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'jittery', target: 'per_key' },
        { id: 'e2', source: 'per_key', target: 'out' },
      ],
    };
    const view = (await viewsAfter(pipeline, 20, ['per_key'])).get('per_key')!;
    expect(view.late.total).toBeGreaterThan(20);
    expect(view.late.recent).toHaveLength(20);
    for (const late of view.late.recent) {
      expect(late.byMs).toBe(late.watermark - late.time);
      expect(late.byMs).toBeGreaterThan(0);
      expect(late.byMs).toBeLessThanOrEqual(10_000);
    }
  });

  it('names no source holding the job back when none has event time', async () => {
    const untimed: PipelineNode = {
      id: 'plain',
      kind: 'source.datagen',
      config: { fields: [{ name: 'n', type: 'long', generator: { kind: 'sequence' } }] },
    };
    const pipeline: Pipeline = {
      format: 'sluice.pipeline/v1',
      name: 'no event time',
      nodes: [untimed, { id: 'out', kind: 'sink.preview', config: {} }],
      edges: [{ id: 'e1', source: 'plain', target: 'out' }],
    };
    const views = await viewsAfter(pipeline, 5, ['out']);
    expect(views.get('out')!.watermark).toBeNull();
    expect(views.get('out')!.heldBy).toBeUndefined();
    expect(views.heldBy).toBeUndefined();
  });

  it('counts the rows an interval join keeps on each side, and when the oldest is dropped', async () => {
    const pipeline: Pipeline = {
      format: 'sluice.pipeline/v1',
      name: 'kept rows',
      nodes: [
        source('clicks', '1s'),
        source('views', '1s'),
        {
          id: 'joined',
          kind: 'join.interval',
          config: { on: [{ left: 'key', right: 'key' }], lower: '-5s', upper: '5s' },
        },
        { id: 'out', kind: 'sink.preview', config: {} },
      ],
      edges: [
        { id: 'l', source: 'clicks', target: 'joined', targetPort: 'left' },
        { id: 'r', source: 'views', target: 'joined', targetPort: 'right' },
        { id: 'o', source: 'joined', target: 'out' },
      ],
    };
    const view = (await viewsAfter(pipeline, 20, ['joined'])).get('joined')!;
    expect(view.pending?.kind).toBe('rows');
    expect(view.pending!.total).toBeGreaterThan(0);
    const sides = view.pending!.earliest.map((w) => w.key).sort();
    expect(sides).toEqual(['left', 'right']);
    for (const w of view.pending!.earliest) {
      // Each side keeps a record until the watermark passes its time + 5 s.
      expect(w.firesAt - w.start).toBe(5_000);
      expect(w.firesAt).toBeGreaterThan(view.watermark!);
      expect(w.keys).toBeGreaterThan(0);
    }
  });

  it('lists the open windows of a window join, the first to fire first', async () => {
    const pipeline: Pipeline = {
      format: 'sluice.pipeline/v1',
      name: 'window join',
      nodes: [
        source('clicks', '1s'),
        source('views', '1s'),
        {
          id: 'joined',
          kind: 'join.window',
          config: { window: { type: 'tumbling', size: '1m' }, on: [{ left: 'key', right: 'key' }] },
        },
        { id: 'out', kind: 'sink.preview', config: {} },
      ],
      edges: [
        { id: 'l', source: 'clicks', target: 'joined', targetPort: 'left' },
        { id: 'r', source: 'views', target: 'joined', targetPort: 'right' },
        { id: 'o', source: 'joined', target: 'out' },
      ],
    };
    const view = (await viewsAfter(pipeline, 20, ['joined'])).get('joined')!;
    expect(view.pending).toMatchObject({ kind: 'window', time: 'event' });
    const [first] = view.pending!.earliest;
    expect(first!.end - first!.start).toBe(60_000);
    expect(first!.firesAt).toBe(first!.end - 1);
    expect(first!.firesAt).toBeGreaterThan(view.watermark!);
  });
});
