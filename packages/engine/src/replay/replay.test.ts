// Replays: the branch downstream of the edges given, fed from their records,
// its sinks captured; the same input gives the same output every time, and a
// branch that depends on the clock says so.
import type { Pipeline } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { branchOf, ReplayError, replay, sourceEdges } from './replay.js';

const T = Date.parse('2024-05-01T10:00:00Z');

const pipeline: Pipeline = {
  format: 'sluice.pipeline/v1',
  name: 'clicks and orders',
  nodes: [
    {
      id: 'clicks',
      kind: 'source.datagen',
      config: {
        fields: [
          { name: 'user', type: 'string', generator: { kind: 'choice', values: ['a', 'b'] } },
          { name: 'ts', type: 'timestamp', generator: { kind: 'timestamp' } },
        ],
        eventTime: { field: 'ts', maxOutOfOrderness: '0s' },
      },
    },
    {
      id: 'orders',
      kind: 'source.datagen',
      config: {
        fields: [
          { name: 'user', type: 'string', generator: { kind: 'choice', values: ['a', 'b'] } },
          { name: 'amount', type: 'double', generator: { kind: 'random', min: 1, max: 9 } },
          { name: 'ts', type: 'timestamp', generator: { kind: 'timestamp' } },
        ],
        eventTime: { field: 'ts', maxOutOfOrderness: '0s' },
      },
    },
    {
      id: 'joined',
      kind: 'join.window',
      config: {
        window: { type: 'tumbling', size: '10s' },
        on: [{ left: 'user', right: 'user' }],
      },
    },
    { id: 'big', kind: 'transform.filter', config: { where: 'amount > 2' } },
    { id: 'out', kind: 'sink.kafka', config: { bootstrapServers: 'localhost:1', topic: 'never' } },
  ],
  edges: [
    { id: 'c', source: 'clicks', target: 'joined', targetPort: 'left' },
    { id: 'o', source: 'orders', target: 'big' },
    { id: 'b', source: 'big', target: 'joined', targetPort: 'right' },
    { id: 'j', source: 'joined', target: 'out' },
  ],
};

const clicks = [
  { user: 'a', ts: T },
  { user: 'b', ts: T + 1000 },
  { user: 'a', ts: T + 12_000 },
];
const orders = [
  { user: 'a', amount: 5, ts: T + 2000 },
  { user: 'b', amount: 1, ts: T + 3000 },
  { user: 'a', amount: 7, ts: T + 13_000 },
];

describe('a replay', () => {
  it('feeds every connection into the branch, captures its sinks, and gives the same rows every time', async () => {
    expect(
      branchOf(pipeline, ['c'])
        .entering.map((e) => e.id)
        .sort(),
    ).toEqual(['b', 'c']);
    expect(sourceEdges(pipeline).sort()).toEqual(['c', 'o']);
    const inputs = [
      { edgeId: 'c', rows: clicks },
      { edgeId: 'o', rows: orders },
    ];
    const first = await replay(pipeline, inputs);
    // The Kafka sink is a capture: nothing is written to a broker that is not there.
    const out = first.outputs.find((o) => o.nodeId === 'out')!;
    // Order b (amount 1) is filtered out; a's click joins a's order in each window.
    expect(out.rows.map((r) => [r.user, r.amount, r.window_start])).toEqual(
      expect.arrayContaining([
        ['a', 5, T],
        ['a', 7, T + 10_000],
      ]),
    );
    expect(out.total).toBe(2);
    for (let i = 0; i < 3; i++) {
      const again = await replay(pipeline, inputs);
      expect(again.outputs).toEqual(first.outputs);
    }
    expect(first.warnings).toEqual([]);
  });

  it('says which connection has no event time, and refuses an edge that is not there', async () => {
    const untimed: Pipeline = {
      format: 'sluice.pipeline/v1',
      name: 'untimed',
      nodes: [
        {
          id: 'gen',
          kind: 'source.datagen',
          config: { fields: [{ name: 'n', type: 'long', generator: { kind: 'sequence' } }] },
        },
        { id: 'out', kind: 'sink.preview', config: {} },
      ],
      edges: [{ id: 'e1', source: 'gen', target: 'out' }],
    };
    const result = await replay(untimed, [{ edgeId: 'e1', rows: [{ n: 1 }, { n: 2 }] }]);
    expect(result.outputs[0]!.rows).toEqual([{ n: 1 }, { n: 2 }]);
    expect(result.warnings[0]).toContain('The records from gen to out have no event-time field');
    await expect(replay(untimed, [{ edgeId: 'nope', rows: [] }])).rejects.toThrow(ReplayError);
  });
});
