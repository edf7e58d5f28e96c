import type { Pipeline, PipelineEdge, PipelineNode } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import type { PreviewView } from '../operators/sinks.js';
import { nextBatchRows, PipelineError, startJob } from './job.js';

const datagen = (id: string, config: Record<string, unknown>): PipelineNode => ({
  id,
  kind: 'source.datagen',
  config: {
    fields: [
      { name: 'n', type: 'long', generator: { kind: 'sequence' } },
      { name: 'key', type: 'string', generator: { kind: 'choice', values: ['a', 'b', 'c'] } },
      {
        name: 'ts',
        type: 'timestamp',
        generator: { kind: 'timestamp', start: '2024-01-01T00:00:00Z', step: '1s' },
      },
    ],
    seed: 1,
    eventTime: { field: 'ts', maxOutOfOrderness: '0s' },
    ...config,
  },
});

function pipeline(nodes: PipelineNode[], edges: [string, string, string?][]): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'test',
    nodes,
    edges: edges.map(
      ([source, target, targetPort], i): PipelineEdge => ({
        id: `e${i + 1}`,
        source,
        target,
        ...(targetPort ? { targetPort } : {}),
      }),
    ),
  };
}

const preview = (id = 'out'): PipelineNode => ({
  id,
  kind: 'sink.preview',
  config: { capacity: 10_000 },
});

describe('a job', () => {
  it('runs a bounded pipeline to the end and counts every record and edge', async () => {
    const job = startJob(
      pipeline(
        [
          datagen('gen', { count: 5000 }),
          { id: 'odd', kind: 'transform.filter', config: { where: 'MOD(n, 2) = 1' } },
          preview(),
        ],
        [
          ['gen', 'odd'],
          ['odd', 'out'],
        ],
      ),
    );
    const result = await job.done;
    expect(result.status).toBe('finished');
    const m = result.metrics;
    expect(m.recordsIn).toBe(5000);
    expect(m.recordsOut).toBe(2500);
    expect(m.edges.find((e) => e.edgeId === 'e1')?.records).toBe(5000);
    expect(m.edges.find((e) => e.edgeId === 'e2')?.records).toBe(2500);
    const odd = m.operators.find((o) => o.nodeId === 'odd')!;
    expect([odd.recordsIn, odd.recordsOut]).toEqual([5000, 2500]);
    const view = job.inspect('out') as PreviewView;
    expect(view.total).toBe(2500);
    expect(view.rows[0]).toEqual({
      n: 1,
      key: expect.any(String),
      ts: Date.UTC(2024, 0, 1, 0, 0, 1),
    });
    expect(view.times[0]).toBe(Date.UTC(2024, 0, 1, 0, 0, 1));
  });

  it('refuses an invalid pipeline with its diagnostics', () => {
    const bad = pipeline(
      [
        datagen('gen', { count: 1 }),
        { id: 'f', kind: 'transform.filter', config: { where: 'nope > 1' } },
        preview(),
      ],
      [
        ['gen', 'f'],
        ['f', 'out'],
      ],
    );
    expect(() => startJob(bad)).toThrow(PipelineError);
    try {
      startJob(bad);
    } catch (error) {
      expect((error as PipelineError).diagnostics[0]).toMatchObject({
        nodeId: 'f',
        code: 'expression.unknown-field',
      });
    }
  });

  it('sends bad records to the error output with the reason, and goes on', async () => {
    const job = startJob(
      pipeline(
        [
          datagen('gen', { count: 300 }),
          {
            id: 'div',
            kind: 'transform.map',
            config: { fields: [{ name: 'q', expr: '100 / MOD(n, 3)' }] },
          },
          preview(),
        ],
        [
          ['gen', 'div'],
          ['div', 'out'],
        ],
      ),
    );
    const result = await job.done;
    expect(result.status).toBe('finished');
    expect(result.metrics.errors).toBe(100);
    expect(result.metrics.recordsOut).toBe(200);
    const errors = job.errors('div');
    expect(errors).toHaveLength(100);
    expect(errors[0]).toMatchObject({ nodeId: 'div', row: { n: 0 } });
    expect(errors[0]?.reason).toMatch(/division by zero/i);
  });

  it('fails when the error budget is spent, saying where and why', async () => {
    const p = pipeline(
      [
        datagen('gen', { count: 10_000 }),
        {
          id: 'div',
          kind: 'transform.map',
          config: { fields: [{ name: 'q', expr: '100 / MOD(n, 3)' }] },
        },
        preview(),
      ],
      [
        ['gen', 'div'],
        ['div', 'out'],
      ],
    );
    const job = startJob({ ...p, settings: { errorBudget: { maxErrors: 50, per: '1m' } } });
    const result = await job.done;
    expect(result.status).toBe('failed');
    expect(result.failure).toMatchObject({ nodeId: 'div' });
    expect(result.failure?.message).toContain('More than 50 bad records');
  });

  it('combines the watermarks of a union as their minimum', async () => {
    const early = datagen('early', { rate: 500 });
    const late = datagen('late', {
      rate: 500,
      fields: [
        { name: 'n', type: 'long', generator: { kind: 'sequence' } },
        { name: 'key', type: 'string', generator: { kind: 'choice', values: ['x'] } },
        {
          name: 'ts',
          type: 'timestamp',
          generator: { kind: 'timestamp', start: '2030-01-01T00:00:00Z', step: '1s' },
        },
      ],
    });
    const job = startJob(
      pipeline(
        [early, late, { id: 'u', kind: 'transform.union', config: {} }, preview()],
        [
          ['early', 'u'],
          ['late', 'u'],
          ['u', 'out'],
        ],
      ),
      { metricsIntervalMs: 50 },
    );
    const watermark = (id: string) =>
      job.metrics().operators.find((o) => o.nodeId === id)!.watermark;
    // Wait until the later input's watermark is well into 2030, whatever the machine's speed.
    await expect
      .poll(() => watermark('late') ?? 0, { timeout: 5000 })
      .toBeGreaterThan(Date.UTC(2030, 0, 1));
    const union = watermark('u')!;
    // Both inputs are running: the union follows the earlier one, never the later.
    expect(union).not.toBeNull();
    expect(union).toBeLessThan(Date.UTC(2030, 0, 1));
    expect(union).toBeLessThanOrEqual(watermark('early')!);
    await job.stop();
  });

  it('lets an idle source stop holding back the watermark of a union', async () => {
    const fields = [
      { name: 'n', type: 'long', generator: { kind: 'sequence' } },
      { name: 'key', type: 'string', generator: { kind: 'choice', values: ['a'] } },
      { name: 'ts', type: 'timestamp', generator: { kind: 'timestamp' } },
    ];
    // One record now, the next in 1 000 s: without idleness it would hold the union back.
    const quiet = datagen('quiet', {
      fields,
      rate: 0.001,
      eventTime: { field: 'ts', maxOutOfOrderness: '0s', idleTimeout: '300ms' },
    });
    const busy = datagen('busy', { fields, rate: 500 });
    const job = startJob(
      pipeline(
        [quiet, busy, { id: 'u', kind: 'transform.union', config: {} }, preview()],
        [
          ['quiet', 'u'],
          ['busy', 'u'],
          ['u', 'out'],
        ],
      ),
      { metricsIntervalMs: 100 },
    );
    const quietWatermark = () =>
      job.metrics().operators.find((o) => o.nodeId === 'quiet')!.watermark!;
    const unionWatermark = () => job.metrics().operators.find((o) => o.nodeId === 'u')!.watermark;
    await expect
      .poll(() => job.metrics().operators.find((o) => o.nodeId === 'quiet')!.idle, {
        timeout: 3000,
      })
      .toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(unionWatermark()).toBeGreaterThan(quietWatermark() + 200);
    await job.stop();
  });

  it('samples the records on an edge through a tap, and stops cleanly', async () => {
    const job = startJob(pipeline([datagen('gen', { rate: 2000 }), preview()], [['gen', 'out']]), {
      metricsIntervalMs: 100,
    });
    const samples: unknown[] = [];
    const perSecond = new Map<number, number>();
    const close = job.tap('e1', { perSecond: 5 }, (sample) => {
      samples.push(...sample.rows);
      const second = Math.floor(Date.now() / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + sample.rows.length);
    });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    close();
    const seen = samples.length;
    expect(seen).toBeGreaterThan(0);
    // The rate holds in every second of the clock the job runs on (here the system clock).
    for (const count of perSecond.values()) expect(count).toBeLessThanOrEqual(5);
    expect(samples[0]).toMatchObject({ n: expect.any(Number), key: expect.any(String) });
    const live = job.metrics();
    expect(live.status).toBe('running');
    expect(live.operators.find((o) => o.nodeId === 'gen')!.outPerSecond).toBeGreaterThan(500);
    const result = await job.stop();
    expect(result.status).toBe('stopped');
    expect(samples.length).toBe(seen);
    expect(() => job.tap('nope', {}, () => {})).toThrow(/no edge 'nope'/);
  });

  it('reports a source that cannot start as a failure on that node', async () => {
    const job = startJob(
      pipeline(
        [
          {
            id: 'file',
            kind: 'source.file',
            config: {
              path: 'does-not-exist.jsonl',
              format: 'jsonl',
              schema: [{ name: 'a', type: 'string' }],
            },
          },
          preview(),
        ],
        [['file', 'out']],
      ),
      { dataDir: process.cwd() },
    );
    const result = await job.done;
    expect(result.status).toBe('failed');
    expect(result.failure?.nodeId).toBe('file');
    expect(result.failure?.message).toContain('does-not-exist.jsonl');
  });
});

describe('batches and stopping', () => {
  it('asks for fewer rows when a batch took long, and more (up to a cap) when it was quick', () => {
    expect(nextBatchRows(1024, 1024, 12_000)).toBe(4);
    expect(nextBatchRows(64, 64, 5_000)).toBe(1);
    expect(nextBatchRows(64, 64, 1)).toBe(128);
    expect(nextBatchRows(4096, 4096, 1)).toBe(4096);
    // A source that gave fewer rows than asked (paced) is not asked for more.
    expect(nextBatchRows(64, 3, 1)).toBe(64);
    expect(nextBatchRows(64, 64, 30)).toBe(64);
  });

  it('stops between batches when the stop flag is read, even if no message can arrive', async () => {
    let reads = 0;
    const job = startJob(
      pipeline(
        [
          datagen('gen', {}),
          {
            id: 'work',
            kind: 'transform.map',
            config: { fields: [{ name: 'big', expr: "CHAR_LENGTH(LPAD('x', 100000, 'ab'))" }] },
          },
          { id: 'out', kind: 'sink.blackhole', config: {} },
        ],
        [
          ['gen', 'work'],
          ['work', 'out'],
        ],
      ),
      { stopRequested: () => (++reads > 3 ? { drain: false } : undefined) },
    );
    const result = await job.done;
    expect(result.status).toBe('stopped');
    expect(reads).toBe(4);
    expect(result.metrics.recordsIn).toBeGreaterThan(0);
  });
});
