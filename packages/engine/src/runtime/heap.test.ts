import type { Pipeline } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { startJob } from './job.js';

const gc = (globalThis as { gc?: () => void }).gc;

function countByKey(count: number): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'count by key',
    nodes: [
      {
        id: 'gen',
        kind: 'source.datagen',
        config: {
          fields: [
            { name: 'key', type: 'long', generator: { kind: 'random', min: 1, max: 100 } },
            {
              name: 'ts',
              type: 'timestamp',
              generator: {
                kind: 'timestamp',
                start: '2024-01-01T00:00:00Z',
                step: '1ms',
                maxDelay: '2s',
              },
            },
          ],
          count,
          eventTime: { field: 'ts', maxOutOfOrderness: '2s' },
        },
      },
      {
        id: 'per_minute',
        kind: 'window.aggregate',
        config: {
          window: { type: 'tumbling', size: '1m' },
          groupBy: ['key'],
          aggregates: [{ name: 'n', fn: 'count' }],
        },
      },
      { id: 'out', kind: 'sink.blackhole', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'gen', target: 'per_minute' },
      { id: 'e2', source: 'per_minute', target: 'out' },
    ],
  };
}

describe('memory', () => {
  it('a 1-minute tumbling count by key over 1 million records keeps a flat heap', async () => {
    expect(gc, 'the test runner must start Node with --expose-gc').toBeTypeOf('function');
    const samples: { records: number; heap: number }[] = [];
    const job = startJob(countByKey(1_000_000), { metricsIntervalMs: 20 });
    job.subscribe((m) => {
      gc!();
      samples.push({ records: m.recordsIn, heap: process.memoryUsage().heapUsed });
    });
    const result = await job.done;
    expect(result.status).toBe('finished');
    expect(result.metrics.recordsIn).toBe(1_000_000);
    // 1 000 s of event time in 1-minute windows of 100 keys: 17 windows of results.
    expect(result.metrics.recordsOut).toBeGreaterThanOrEqual(1600);
    const during = samples.filter((s) => s.records > 100_000 && s.records < 1_000_000);
    expect(during.length).toBeGreaterThan(3);
    const early = during[0]!.heap;
    const peak = Math.max(...during.map((s) => s.heap));
    // Were records retained, 900 000 of them would add well over 100 MB.
    expect(peak - early).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);
});
