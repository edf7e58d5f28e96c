// The hottest keys of a keyed step, from a sample: the skewed key found with
// about its share, bounded counters however many keys pass, and the figures
// following the recent stream.
import type { Pipeline } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { HotKeys, PERIOD_MS, SAMPLE_EVERY } from './hot-keys.js';
import { startJob } from './job.js';

const batch = (keys: readonly unknown[]): Row[] => keys.map((category) => ({ category }));

describe('the hottest keys', () => {
  it('finds a key with half the records among a thousand others, with about its share', () => {
    const hot = new HotKeys([['category']], 0);
    for (let b = 0; b < 200; b++) {
      // Half 'books', the rest spread over 1000 keys; batches of 1000 rows.
      const keys = Array.from({ length: 1000 }, (_, i) =>
        i % 2 === 0 ? 'books' : `k${(b * 7 + i) % 1000}`,
      );
      hot.offer(batch(keys), 0, 0);
    }
    const { keys, sampled } = hot.top(3);
    // About one row in 16, at most 64 a batch.
    expect(sampled).toBeGreaterThan(200 * 55);
    expect(sampled).toBeLessThanOrEqual(200 * 64);
    expect(keys[0]!.key).toBe('books');
    expect(keys[0]!.share).toBeGreaterThan(0.45);
    expect(keys[0]!.share).toBeLessThan(0.55);
  });

  it('samples about one record in SAMPLE_EVERY across batches of any size', () => {
    const hot = new HotKeys([['category']], 0);
    let rows = 0;
    for (const size of [1, 3, 5, 7, 10, 15, 17, 31]) {
      for (let i = 0; i < 100; i++) hot.offer(batch(Array(size).fill('a')), 0, 0);
      rows += size * 100;
    }
    const { sampled } = hot.top(1);
    expect(sampled).toBeGreaterThan((rows / SAMPLE_EVERY) * 0.9);
    expect(sampled).toBeLessThan((rows / SAMPLE_EVERY) * 1.1);
  });

  it('keeps at most 64 counters however many distinct keys pass', () => {
    const hot = new HotKeys([['category']], 0);
    for (let b = 0; b < 1000; b++) {
      hot.offer(batch(Array.from({ length: 64 }, (_, i) => `key-${b}-${i}`)), 0, 0);
    }
    expect(hot.top(1000).keys).toHaveLength(64);
  });

  it('forgets what came more than two periods ago, and counts only keyed ports', () => {
    const hot = new HotKeys([[], ['category']], 0);
    hot.offer(batch(Array(160).fill('old')), 1, 0);
    hot.offer(batch(Array(160).fill('ignored')), 0, 0);
    hot.offer(batch(Array(160).fill('new')), 1, PERIOD_MS);
    const names = () =>
      hot
        .top(5)
        .keys.map((k) => k.key)
        .sort();
    expect(names()).toEqual(['new', 'old']);
    hot.offer(batch(Array(160).fill('newer')), 1, 2 * PERIOD_MS);
    expect(names()).toEqual(['new', 'newer']);
    hot.offer(batch(Array(160).fill(null)), 1, 2 * PERIOD_MS);
    expect(hot.top(5).keys.map((k) => k.key)).toContain('NULL');
  });

  it('reports a window’s hottest group-by values with its metrics', async () => {
    const pipeline: Pipeline = {
      format: 'sluice.pipeline/v1',
      name: 'skew',
      nodes: [
        {
          id: 'gen',
          kind: 'source.datagen',
          config: {
            fields: [
              {
                name: 'category',
                type: 'string',
                generator: {
                  kind: 'choice',
                  values: ['books', 'games', 'music'],
                  weights: [8, 1, 1],
                },
              },
            ],
            count: 100_000,
            seed: 3,
          },
        },
        {
          id: 'per_category',
          kind: 'transform.aggregate',
          config: { groupBy: ['category'], aggregates: [{ name: 'n', fn: 'count' }] },
        },
        { id: 'out', kind: 'sink.preview', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'gen', target: 'per_category' },
        { id: 'e2', source: 'per_category', target: 'out' },
      ],
    };
    const job = startJob(pipeline);
    await job.done;
    const metrics = job.metrics().operators;
    const hot = metrics.find((m) => m.nodeId === 'per_category')!.hotKeys!;
    expect(hot[0]!.key).toBe('books');
    expect(hot.map((k) => k.key).sort()).toEqual(['books', 'games', 'music']);
    expect(hot[0]!.share).toBeGreaterThan(0.75);
    expect(hot[0]!.share).toBeLessThan(0.85);
    // Steps that are not keyed report none.
    expect(metrics.find((m) => m.nodeId === 'out')!.hotKeys).toBeUndefined();
  });
});
