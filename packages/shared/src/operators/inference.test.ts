// Output-schema inference and config checks of the operators, through the
// validator as the web app and the server use them.
import { describe, expect, it } from 'vitest';
import type { PipelineEdge, PipelineNode } from '../format/pipeline.js';
import { analyzePipeline } from '../validation/validate.js';

const gen = (id: string, fields: [string, string][], eventTime = true): PipelineNode => ({
  id,
  kind: 'source.datagen',
  config: {
    fields: fields.map(([name, type]) => ({
      name,
      type,
      generator:
        type === 'timestamp'
          ? { kind: 'timestamp' }
          : type === 'string'
            ? { kind: 'choice', values: ['a'] }
            : { kind: 'sequence' },
    })),
    count: 10,
    ...(eventTime ? { eventTime: { field: 'ts', maxOutOfOrderness: '0s' } } : {}),
  },
});

function analyze(nodes: PipelineNode[], edges: PipelineEdge[]) {
  const sinkEdges = nodes
    .filter((n) => !n.kind.startsWith('sink.') && !edges.some((e) => e.source === n.id))
    .map((n, i) => ({ id: `sink_e${i}`, source: n.id, target: 'sink' }));
  return analyzePipeline({
    format: 'sluice.pipeline/v1',
    name: 't',
    nodes: [
      ...nodes,
      { id: 'sink', kind: 'transform.union', config: {} },
      { id: 'end', kind: 'sink.blackhole' },
    ],
    edges: [...edges, ...sinkEdges, { id: 'end_e', source: 'sink', target: 'end' }],
  });
}

const orders = gen('orders', [
  ['id', 'long'],
  ['customer', 'string'],
  ['amount', 'double'],
  ['ts', 'timestamp'],
]);
const customers = gen('customers', [
  ['id', 'long'],
  ['name', 'string'],
  ['ts', 'timestamp'],
]);

describe('transform.map', () => {
  it('types computed fields and keeps or drops the input fields', () => {
    const keep = analyze(
      [
        orders,
        {
          id: 'm',
          kind: 'transform.map',
          config: {
            keepInput: true,
            fields: [
              { name: 'amount', expr: 'id * 2' },
              { name: 'big', expr: 'amount > 10' },
            ],
          },
        },
      ],
      [{ id: 'e', source: 'orders', target: 'm' }],
    );
    expect(keep.schemas.get('m')?.out?.fields).toEqual([
      { name: 'id', type: 'long' },
      { name: 'customer', type: 'string' },
      { name: 'amount', type: 'long' },
      { name: 'ts', type: 'timestamp' },
      { name: 'big', type: 'boolean' },
    ]);
    const drop = analyze(
      [
        orders,
        {
          id: 'm',
          kind: 'transform.map',
          config: { fields: [{ name: 'c', expr: 'UPPER(customer)' }] },
        },
      ],
      [{ id: 'e', source: 'orders', target: 'm' }],
    );
    expect(drop.schemas.get('m')?.out).toEqual({
      fields: [{ name: 'c', type: 'string' }],
      time: 'event',
    });
  });
});

describe('transform.union', () => {
  it('merges like streams and refuses unlike ones', () => {
    const a = gen('a', [
      ['x', 'long'],
      ['ts', 'timestamp'],
    ]);
    const b = gen('b', [
      ['x', 'long'],
      ['ts', 'timestamp'],
    ]);
    const c = gen('c', [
      ['x', 'string'],
      ['ts', 'timestamp'],
    ]);
    const edges = (ids: string[]) => ids.map((id) => ({ id: `e_${id}`, source: id, target: 'u' }));
    const u: PipelineNode = { id: 'u', kind: 'transform.union', config: {} };
    expect(analyze([a, b, u], edges(['a', 'b'])).schemas.get('u')?.out?.fields).toHaveLength(2);
    const bad = analyze([a, c, u], edges(['a', 'c']));
    expect(bad.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'union.schema-mismatch', nodeId: 'u' }),
    );
  });
});

describe('joins', () => {
  const edges: PipelineEdge[] = [
    { id: 'l', source: 'orders', target: 'j', targetPort: 'left' },
    { id: 'r', source: 'customers', target: 'j', targetPort: 'right' },
  ];

  it('window join: window bounds, left fields, then right fields with clashes prefixed', () => {
    const j: PipelineNode = {
      id: 'j',
      kind: 'join.window',
      config: { window: { type: 'tumbling', size: '10s' }, on: [{ left: 'id', right: 'id' }] },
    };
    const { schemas, diagnostics } = analyze([orders, customers, j], edges);
    expect(diagnostics).toEqual([]);
    expect(schemas.get('j')?.out?.fields.map((f) => f.name)).toEqual([
      'window_start',
      'window_end',
      'id',
      'customer',
      'amount',
      'ts',
      'name',
      'right_ts',
    ]);
  });

  it('interval join: checks its bounds, keys and extra condition', () => {
    const j = (config: Record<string, unknown>): PipelineNode => ({
      id: 'j',
      kind: 'join.interval',
      config,
    });
    const ok = analyze(
      [
        orders,
        customers,
        j({ lower: '-5s', upper: '10s', on: [{ left: 'id', right: 'id' }], where: "name <> 'x'" }),
      ],
      edges,
    );
    expect(ok.diagnostics).toEqual([]);
    const bad = analyze(
      [
        orders,
        customers,
        j({
          lower: '10s',
          upper: '-5s',
          on: [{ left: 'customer', right: 'id' }],
          where: 'nam = 1',
        }),
      ],
      edges,
    );
    const codes = bad.diagnostics.map((d) => d.code);
    expect(codes).toContain('config.interval');
    expect(codes).toContain('config.key-type');
  });

  it('needs event time on both sides', () => {
    const noTime = gen(
      'customers',
      [
        ['id', 'long'],
        ['ts', 'timestamp'],
      ],
      false,
    );
    const j: PipelineNode = {
      id: 'j',
      kind: 'join.interval',
      config: { lower: '0s', upper: '1s', on: [{ left: 'id', right: 'id' }] },
    };
    const { diagnostics } = analyze([orders, noTime, j], edges);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ code: 'node.no-event-time', nodeId: 'j' }),
    );
  });
});

describe('join.regular', () => {
  const edges: PipelineEdge[] = [
    { id: 'l', source: 'orders', target: 'j', targetPort: 'left' },
    { id: 'r', source: 'customers', target: 'j', targetPort: 'right' },
  ];
  const j = (config: Record<string, unknown>): PipelineNode => ({
    id: 'j',
    kind: 'join.regular',
    config: {
      leftRetention: '1h',
      rightRetention: '0s',
      on: [{ left: 'id', right: 'id' }],
      ...config,
    },
  });

  it('gives left fields then right fields, in event time, and takes a 0s retention', () => {
    const { schemas, diagnostics } = analyze(
      [orders, customers, j({ where: "name <> 'x'" })],
      edges,
    );
    expect(diagnostics).toEqual([]);
    expect(schemas.get('j')?.out).toEqual({
      fields: [
        { name: 'id', type: 'long' },
        { name: 'customer', type: 'string' },
        { name: 'amount', type: 'double' },
        { name: 'ts', type: 'timestamp' },
        { name: 'name', type: 'string' },
        { name: 'right_ts', type: 'timestamp' },
      ],
      time: 'event',
    });
  });

  it('refuses a negative, malformed or missing retention', () => {
    const { diagnostics } = analyze(
      [orders, customers, j({ leftRetention: '-1s', rightRetention: '1 hour' })],
      edges,
    );
    expect(diagnostics.filter((d) => d.code === 'config.invalid').map((d) => d.path)).toEqual([
      'nodes[2].config.leftRetention',
      'nodes[2].config.rightRetention',
    ]);
    const missing = analyze(
      [
        orders,
        customers,
        { id: 'j', kind: 'join.regular', config: { on: [{ left: 'id', right: 'id' }] } },
      ],
      edges,
    );
    expect(missing.diagnostics.filter((d) => d.code === 'config.invalid')).toHaveLength(2);
  });

  it('checks its keys and extra condition, and needs event time on both sides', () => {
    const bad = analyze(
      [orders, customers, j({ on: [{ left: 'customer', right: 'id' }], where: 'nam = 1' })],
      edges,
    );
    expect(bad.diagnostics.map((d) => d.code)).toContain('config.key-type');
    const badWhere = analyze([orders, customers, j({ where: 'nam = 1' })], edges);
    expect(badWhere.diagnostics).toContainEqual(
      expect.objectContaining({
        nodeId: 'j',
        path: 'nodes[2].config.where',
        code: expect.stringMatching(/^expression\./),
        message: expect.stringContaining('nam'),
      }),
    );
    const noTime = gen(
      'customers',
      [
        ['id', 'long'],
        ['ts', 'timestamp'],
      ],
      false,
    );
    const { diagnostics } = analyze([orders, noTime, j({})], edges);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ code: 'node.no-event-time', nodeId: 'j' }),
    );
  });
});

describe('source.datagen', () => {
  it('refuses generators that cannot make the field type, and bad event-time fields', () => {
    const { diagnostics } = analyze(
      [
        {
          id: 'g',
          kind: 'source.datagen',
          config: {
            fields: [
              { name: 'a', type: 'string', generator: { kind: 'sequence' } },
              { name: 'b', type: 'long', generator: { kind: 'random', min: 5, max: 1 } },
              {
                name: 'c',
                type: 'long',
                generator: { kind: 'choice', values: [1, 'x'], weights: [1] },
              },
              { name: 'ts', type: 'timestamp', generator: { kind: 'timestamp', start: 'soon' } },
            ],
            eventTime: { field: 'a', maxOutOfOrderness: '0s' },
          },
        },
      ],
      [],
    );
    const byPath = Object.fromEntries(diagnostics.map((d) => [d.path, d.code]));
    expect(byPath).toMatchObject({
      'nodes[0].config.fields[0].generator': 'config.generator-type',
      'nodes[0].config.fields[1].generator': 'config.range',
      'nodes[0].config.fields[2].generator.values': 'config.generator-type',
      'nodes[0].config.fields[2].generator.weights': 'config.weights',
      'nodes[0].config.fields[3].generator.start': 'config.timestamp',
      'nodes[0].config.eventTime.field': 'config.event-time-field',
    });
  });
});

describe('aggregate output names', () => {
  it.each([
    ['window.aggregate', { window: { type: 'tumbling', size: '1m' } }],
    ['transform.aggregate', {}],
  ])('%s refuses a reserved name for an aggregate, at its name', (kind, config) => {
    const result = analyze(
      [
        orders,
        {
          id: 'agg',
          kind,
          config: { ...config, aggregates: [{ name: 'constructor', fn: 'count' }] },
        },
      ],
      [{ id: 'e', source: 'orders', target: 'agg' }],
    );
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'config.field-name',
        nodeId: 'agg',
        path: 'nodes[1].config.aggregates[0].name',
        message: expect.stringContaining("'constructor' is reserved"),
      }),
    );
  });
});
