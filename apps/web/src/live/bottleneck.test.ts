// The one sentence of the bottleneck view, from figures like the engine's.
import { describe, expect, it } from 'vitest';
import { operatorMetrics } from '../testing/fixtures.js';
import { bottleneckOf } from './bottleneck.js';

const step = operatorMetrics;

const titles: Record<string, string> = {
  gen: 'Orders',
  slow: 'Mask the text',
  per_category: 'Window per category',
  out: 'Kafka sink',
};
const titleOf = (id: string) => titles[id] ?? id;
const categoryOf = (kind: string) => kind.split('.')[0];

describe('the bottleneck, in one sentence', () => {
  it('names the step that takes most of the thread, and its hottest key where one stands out', () => {
    const ops = [
      step('gen', 'source.datagen', { busy: 0.03 }),
      step('per_category', 'window.aggregate', {
        busy: 0.96,
        hotKeys: [
          { key: 'books', share: 0.48 },
          { key: 'games', share: 0.2 },
        ],
      }),
      step('out', 'sink.preview', { busy: 0.01 }),
    ];
    expect(bottleneckOf(ops, titleOf, categoryOf, false)).toEqual({
      nodeId: 'per_category',
      sentence:
        "Window per category takes 96 % of the job's time, more than any other step: the steps before it wait for it; its hottest key, 'books', has 48 % of its records.",
    });
    // Keys evenly spread: no key is named.
    const even = ops.map((m) =>
      m.hotKeys
        ? {
            ...m,
            hotKeys: [
              { key: 'a', share: 0.1 },
              { key: 'b', share: 0.1 },
            ],
          }
        : m,
    );
    expect(bottleneckOf(even, titleOf, categoryOf, false).sentence).not.toContain('hottest');
  });

  it('says nothing is a bottleneck while the thread mostly waits for its sources', () => {
    const ops = [
      step('gen', 'source.datagen', { busy: 0.05 }),
      step('slow', 'transform.map', { busy: 0.1 }),
    ];
    expect(bottleneckOf(ops, titleOf, categoryOf, false)).toEqual({
      sentence:
        "Nothing is a bottleneck: the job's thread is busy 15 % of the time and waits for its sources the rest.",
    });
  });

  it('names a sink with records waiting to be written before any busy step', () => {
    const ops = [
      step('slow', 'transform.map', { busy: 0.9 }),
      step('out', 'sink.kafka', { backlog: 25_000 }),
    ];
    expect(bottleneckOf(ops, titleOf, categoryOf, false)).toEqual({
      nodeId: 'out',
      sentence:
        'Kafka sink has 25k records waiting to be written: writing is what holds the job back, and the sources are slowed to match.',
    });
  });

  it('names no one step when the time is spread, and a source when reading is the limit', () => {
    const spread = [
      step('gen', 'source.datagen', { busy: 0.3 }),
      step('slow', 'transform.map', { busy: 0.35 }),
      step('per_category', 'window.aggregate', { busy: 0.3 }),
    ];
    expect(bottleneckOf(spread, titleOf, categoryOf, false).nodeId).toBeUndefined();
    expect(bottleneckOf(spread, titleOf, categoryOf, false).sentence).toBe(
      "No one step stands out: the job's thread is busy 95 % of the time, most of it in Mask the text (35 %).",
    );
    const reading = [
      step('gen', 'source.datagen', { busy: 0.8 }),
      step('out', 'sink.preview', { busy: 0.1 }),
    ];
    expect(bottleneckOf(reading, titleOf, categoryOf, false).sentence).toContain(
      "Orders takes 80 % of the job's time, more than any other step: reading its records is the job’s limit",
    );
  });

  it('on Flink, names the busiest vertex only near its limit', () => {
    const ops = [
      step('gen', 'source.datagen', { busy: 0.9 }),
      step('slow', 'transform.map', { busy: 0.97 }),
    ];
    expect(bottleneckOf(ops, titleOf, categoryOf, true).nodeId).toBe('slow');
    const calm = [step('gen', 'source.datagen', { busy: 0.4 })];
    expect(bottleneckOf(calm, titleOf, categoryOf, true)).toEqual({
      sentence: 'Nothing is a bottleneck: the busiest vertex (Orders) is busy 40 % of the time.',
    });
  });
});
