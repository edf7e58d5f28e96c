import type { Pipeline } from '@sluice/shared';
import { describe, expect, test } from 'vitest';
import { CASES } from './cases.js';
import { mapVertices } from './vertices.js';

describe('which Flink vertex each node runs in', () => {
  test('a source with a chained filter and the local window stage, then the global stage and the sink', () => {
    const pipeline: Pipeline = {
      ...CASES['window-tumbling']!,
      nodes: [
        ...CASES['window-tumbling']!.nodes,
        { id: 'big', kind: 'transform.filter', config: { where: 'amount > 1' } },
      ],
      edges: [
        { id: 'a', source: 'orders', target: 'big' },
        { id: 'b', source: 'big', target: 'step' },
        { id: 'c', source: 'step', target: 'out' },
      ],
    };
    const placed = mapVertices(pipeline, [
      { id: 'v1', name: 'Source: orders[1] -> Calc[2] -> LocalWindowAggregate[3]' },
      {
        id: 'v2',
        name: 'GlobalWindowAggregate[4] -> Calc[5] -> out[6]: Writer -> out[6]: Committer',
      },
    ]);
    expect(Object.fromEntries(placed)).toEqual({
      orders: { vertex: 'v1', operator: 'Source__orders[1]' },
      big: { vertex: 'v1' },
      step: { vertex: 'v2', operator: 'GlobalWindowAggregate[4]' },
      out: { vertex: 'v2', operator: 'out[6]__Writer' },
    });
  });

  test('joins take their operator in order; nodes Flink shows nowhere are left out', () => {
    const placed = mapVertices(CASES['join-interval']!, [
      { id: 'v1', name: 'Source: orders[1] -> WatermarkAssigner[2]' },
      { id: 'v2', name: 'Source: payments[3]' },
      { id: 'v3', name: 'IntervalJoin[5] -> Calc[6] -> out[7]: Writer' },
    ]);
    expect(Object.fromEntries([...placed].map(([node, p]) => [node, p.vertex]))).toEqual({
      orders: 'v1',
      payments: 'v2',
      step: 'v3',
      out: 'v3',
    });
    expect(placed.get('step')?.operator).toBe('IntervalJoin[5]');
    expect(mapVertices(CASES['join-interval']!, []).size).toBe(0);
  });
});
