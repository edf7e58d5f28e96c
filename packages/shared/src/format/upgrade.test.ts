import { describe, expect, it } from 'vitest';
import { OPERATORS } from '../catalog/catalog.js';
import type { StateRole } from '../catalog/state.js';
import type { Pipeline, PipelineNode } from './pipeline.js';
import { type NodePlanStatus, planUpgrade } from './upgrade.js';

const source: PipelineNode = {
  id: 'gen',
  kind: 'source.datagen',
  config: {
    fields: [
      { name: 'n', type: 'long', generator: { kind: 'sequence' } },
      { name: 'key', type: 'string', generator: { kind: 'choice', values: ['a', 'b'] } },
      {
        name: 'ts',
        type: 'timestamp',
        generator: { kind: 'timestamp', start: '2024-01-01T00:00:00Z', step: '1s' },
      },
    ],
    eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
  },
};
const sink: PipelineNode = { id: 'out', kind: 'sink.preview', config: {} };

/** The node under test between a generator (two, for a join) and a preview; a source or sink alone. */
function around(node: PipelineNode): Pipeline {
  const kind = OPERATORS.find((op) => op.kind === node.kind)!;
  const nodes: PipelineNode[] = [node];
  const edges: Pipeline['edges'] = [];
  if (kind.inputs.length > 0) {
    nodes.unshift(source);
    kind.inputs.forEach((port, i) => {
      if (i > 0) nodes.unshift({ ...source, id: `gen${i}` });
      edges.push({
        id: `in${i}`,
        source: i === 0 ? 'gen' : `gen${i}`,
        target: node.id,
        targetPort: port.name,
      });
    });
  }
  if (kind.outputs.length > 0) {
    nodes.push(sink);
    edges.push({ id: 'down', source: node.id, target: 'out' });
  }
  return { format: 'sluice.pipeline/v1', name: 'plan', nodes, edges };
}

interface Case {
  readonly edit: string;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
  readonly status: NodePlanStatus;
  /** The field a drop names, or a piece of what the plan says. */
  readonly field?: string;
  readonly says?: RegExp;
}

const window = (extra: Record<string, unknown> = {}) => ({
  window: { type: 'tumbling', size: '1m' },
  groupBy: ['key'],
  aggregates: [{ name: 'records', fn: 'count' }],
  ...extra,
});
const join = { on: [{ left: 'key', right: 'key' }] };

/** Every kind, and for each the kinds of edit it can take. */
const CASES: Record<string, readonly Case[]> = {
  'source.datagen': [
    {
      edit: 'a longer count keeps the position',
      before: { ...source.config!, count: 100 },
      after: { ...source.config!, count: 200 },
      status: 'kept',
    },
    {
      edit: 'another seed resets the position',
      before: { ...source.config! },
      after: { ...source.config!, seed: 7 },
      status: 'dropped',
      field: 'seed',
    },
  ],
  'source.file': [
    {
      edit: 'another schema keeps the position',
      before: { path: 'a.jsonl', format: 'jsonl', schema: [{ name: 'v', type: 'string' }] },
      after: { path: 'a.jsonl', format: 'jsonl', schema: [{ name: 'v', type: 'long' }] },
      status: 'kept',
    },
    {
      edit: 'another file resets the position',
      before: { path: 'a.jsonl', format: 'jsonl', schema: [{ name: 'v', type: 'string' }] },
      after: { path: 'b.jsonl', format: 'jsonl', schema: [{ name: 'v', type: 'string' }] },
      status: 'dropped',
      field: 'path',
    },
  ],
  'source.kafka': [
    {
      edit: 'another consumer group keeps the offsets',
      before: kafka({ group: 'one' }),
      after: kafka({ group: 'two' }),
      status: 'kept',
    },
    {
      edit: 'another topic resets the offsets',
      before: kafka({}),
      after: kafka({ topics: ['other'] }),
      status: 'dropped',
      field: 'topics[0]',
    },
  ],
  'source.nexmark': [
    {
      edit: 'a longer count keeps the position',
      before: { count: 100 },
      after: { count: 1000 },
      status: 'kept',
    },
    {
      edit: 'another rate resets the position',
      before: { rate: 100 },
      after: { rate: 200 },
      status: 'dropped',
      field: 'rate',
    },
  ],
  'transform.filter': [
    {
      edit: 'a new condition',
      before: { where: 'n > 1' },
      after: { where: 'n > 2' },
      status: 'stateless',
    },
  ],
  'transform.map': [
    {
      edit: 'a new computed field',
      before: { fields: [{ name: 'double', expr: 'n * 2' }], keepInput: true },
      after: {
        fields: [
          { name: 'double', expr: 'n * 2' },
          { name: 'triple', expr: 'n * 3' },
        ],
        keepInput: true,
      },
      status: 'stateless',
    },
  ],
  'transform.union': [{ edit: 'nothing to change', before: {}, after: {}, status: 'stateless' }],
  'transform.aggregate': [
    {
      edit: 'an added aggregate starts empty for the keys so far',
      before: { groupBy: ['key'], aggregates: [{ name: 'c', fn: 'count' }] },
      after: {
        groupBy: ['key'],
        aggregates: [
          { name: 'c', fn: 'count' },
          { name: 's', fn: 'sum', expr: 'n' },
        ],
      },
      status: 'migrated',
      says: /'s' starts empty for the keys seen so far/,
    },
    {
      edit: 'an added aggregate drops the state when records replace earlier ones',
      before: { aggregates: [{ name: 'c', fn: 'count' }], updateKey: ['n'] },
      after: {
        aggregates: [
          { name: 'c', fn: 'count' },
          { name: 's', fn: 'sum', expr: 'n' },
        ],
        updateKey: ['n'],
      },
      status: 'dropped',
      field: 'aggregates',
    },
    {
      edit: 'another group-by drops the state',
      before: { groupBy: ['key'], aggregates: [{ name: 'c', fn: 'count' }] },
      after: { groupBy: ['n'], aggregates: [{ name: 'c', fn: 'count' }] },
      status: 'dropped',
      field: 'groupBy[0]',
    },
    {
      edit: 'a longer idle retention migrates',
      before: { aggregates: [{ name: 'c', fn: 'count' }], retention: '1h' },
      after: { aggregates: [{ name: 'c', fn: 'count' }], retention: '2h' },
      status: 'migrated',
      says: /kept longer \(2h instead of 1h\)/,
    },
    {
      edit: 'a shorter idle retention drops the state',
      before: { aggregates: [{ name: 'c', fn: 'count' }], retention: '2h' },
      after: { aggregates: [{ name: 'c', fn: 'count' }], retention: '1h' },
      status: 'dropped',
      field: 'retention',
    },
  ],
  'transform.topn': [
    {
      edit: 'a renamed rank field keeps the ranking',
      before: topn({}),
      after: topn({ rankField: 'place' }),
      status: 'kept',
      says: /Rank field changed, which does not touch/,
    },
    {
      edit: 'another N drops the ranking',
      before: topn({}),
      after: topn({ n: 5 }),
      status: 'dropped',
      field: 'n',
    },
  ],
  'transform.dedupe': [
    {
      edit: 'another retention migrates',
      before: { key: ['key'], retention: '10m' },
      after: { key: ['key'], retention: '5m' },
      status: 'migrated',
      says: /forgotten 5m after their first record, not 10m/,
    },
    {
      edit: 'another key drops the state',
      before: { key: ['key'], retention: '10m' },
      after: { key: ['n'], retention: '10m' },
      status: 'dropped',
      field: 'key[0]',
    },
  ],
  'window.aggregate': [
    {
      edit: 'an added aggregate starts empty in the open windows',
      before: window(),
      after: window({
        aggregates: [
          { name: 'records', fn: 'count' },
          { name: 'total', fn: 'sum', expr: 'n' },
        ],
      }),
      status: 'migrated',
      says: /'total' starts empty in the windows open now/,
    },
    {
      edit: 'a renamed aggregate (a renamed output field) migrates',
      before: window(),
      after: window({ aggregates: [{ name: 'n_records', fn: 'count' }] }),
      status: 'migrated',
      says: /'records' is now called 'n_records'/,
    },
    {
      edit: 'a longer allowed lateness migrates',
      before: window({ allowedLateness: '1m' }),
      after: window({ allowedLateness: '5m' }),
      status: 'migrated',
    },
    {
      edit: 'a new size drops the state',
      before: window(),
      after: window({ window: { type: 'tumbling', size: '5m' } }),
      status: 'dropped',
      field: 'window.size',
    },
    {
      edit: 'another kind of window drops the state',
      before: window(),
      after: window({ window: { type: 'session', gap: '1m' } }),
      status: 'dropped',
      field: 'window.gap',
    },
    {
      edit: 'other group-by keys drop the state',
      before: window(),
      after: window({ groupBy: [] }),
      status: 'dropped',
      field: 'groupBy',
    },
    {
      edit: 'processing time instead of event time drops the state',
      before: window(),
      after: window({ time: 'processing' }),
      status: 'dropped',
      field: 'time',
    },
    {
      edit: 'a label alone keeps the state',
      before: window(),
      after: window(),
      status: 'kept',
    },
  ],
  'join.window': [
    {
      edit: 'a left join instead of an inner one keeps the records',
      before: { window: { type: 'tumbling', size: '10s' }, ...join },
      after: { window: { type: 'tumbling', size: '10s' }, type: 'left', ...join },
      status: 'kept',
    },
    {
      edit: 'a different join key drops the records',
      before: { window: { type: 'tumbling', size: '10s' }, ...join },
      after: { window: { type: 'tumbling', size: '10s' }, on: [{ left: 'n', right: 'n' }] },
      status: 'dropped',
      field: 'on[0].left',
    },
  ],
  'join.interval': [
    {
      edit: 'an extra condition keeps the records',
      before: { lower: '-5s', upper: '5s', ...join },
      after: { lower: '-5s', upper: '5s', where: 'n > 0', ...join },
      status: 'kept',
    },
    {
      edit: 'other bounds drop the records',
      before: { lower: '-5s', upper: '5s', ...join },
      after: { lower: '-10s', upper: '5s', ...join },
      status: 'dropped',
      field: 'lower',
    },
  ],
  'join.regular': [
    {
      edit: 'a longer retention migrates',
      before: { leftRetention: '1h', rightRetention: '1h', ...join },
      after: { leftRetention: '2h', rightRetention: '1h', ...join },
      status: 'migrated',
      says: /left records are now kept 2h instead of 1h/,
    },
    {
      edit: 'a side that no longer keeps records drops the state',
      before: { leftRetention: '1h', rightRetention: '1h', ...join },
      after: { leftRetention: '1h', rightRetention: '0s', ...join },
      status: 'dropped',
      field: 'rightRetention',
    },
  ],
  'sink.file': [
    {
      edit: 'another file drops what it has yet to publish',
      before: { path: 'out/a.jsonl', format: 'jsonl' },
      after: { path: 'out/b.jsonl', format: 'jsonl' },
      status: 'dropped',
      field: 'path',
    },
  ],
  'sink.kafka': [
    {
      edit: 'another compression keeps the transaction',
      before: { bootstrapServers: 'localhost:9092', topic: 'out', format: 'json' },
      after: {
        bootstrapServers: 'localhost:9092',
        topic: 'out',
        format: 'json',
        compression: 'gzip',
      },
      status: 'kept',
    },
    {
      edit: 'another topic drops the transaction',
      before: { bootstrapServers: 'localhost:9092', topic: 'out', format: 'json' },
      after: { bootstrapServers: 'localhost:9092', topic: 'other', format: 'json' },
      status: 'dropped',
      field: 'topic',
    },
  ],
  'sink.postgres': [
    {
      edit: 'another batch size keeps the rows set aside',
      before: { host: 'db', database: 'd', user: 'u', table: 'results' },
      after: { host: 'db', database: 'd', user: 'u', table: 'results', batchSize: 10 },
      status: 'kept',
    },
    {
      edit: 'another table drops the rows set aside',
      before: { host: 'db', database: 'd', user: 'u', table: 'results' },
      after: { host: 'db', database: 'd', user: 'u', table: 'other' },
      status: 'dropped',
      field: 'table',
    },
  ],
  'source.rabbitmq': [
    {
      edit: 'another prefetch keeps its watermark',
      before: {
        host: 'mq',
        user: 'u',
        queue: 'q',
        format: 'json',
        schema: [{ name: 'v', type: 'string' }],
      },
      after: {
        host: 'mq',
        user: 'u',
        queue: 'q',
        format: 'json',
        schema: [{ name: 'v', type: 'string' }],
        prefetch: 10,
      },
      status: 'kept',
    },
    {
      edit: 'another queue reads from its start',
      before: {
        host: 'mq',
        user: 'u',
        queue: 'q',
        format: 'json',
        schema: [{ name: 'v', type: 'string' }],
      },
      after: {
        host: 'mq',
        user: 'u',
        queue: 'r',
        format: 'json',
        schema: [{ name: 'v', type: 'string' }],
      },
      status: 'dropped',
      field: 'queue',
    },
  ],
  'sink.rabbitmq': [
    {
      edit: 'another routing key: nothing to keep',
      before: { host: 'mq', user: 'u', routingKey: 'a', format: 'json' },
      after: { host: 'mq', user: 'u', routingKey: 'b', format: 'json' },
      status: 'stateless',
    },
  ],
  'transform.predict': [
    {
      edit: 'another model: nothing to keep',
      before: { model: 'models/a.json' },
      after: { model: 'models/b.json', threshold: 0.7 },
      status: 'stateless',
    },
  ],
  'window.over': [
    {
      edit: 'another frame drops the records kept',
      before: { frame: { type: 'rows', preceding: 3 }, aggregates: [{ name: 'n', fn: 'count' }] },
      after: { frame: { type: 'rows', preceding: 5 }, aggregates: [{ name: 'n', fn: 'count' }] },
      status: 'dropped',
      field: 'frame.preceding',
    },
  ],
  'sink.console': [
    {
      edit: 'a table instead of JSON keeps the lines',
      before: { format: 'json' },
      after: { format: 'table' },
      status: 'kept',
    },
  ],
  'sink.preview': [
    {
      edit: 'another capacity drops the kept results',
      before: { capacity: 10 },
      after: { capacity: 20 },
      status: 'dropped',
      field: 'capacity',
    },
  ],
  'sink.blackhole': [{ edit: 'nothing to change', before: {}, after: {}, status: 'stateless' }],
};

function kafka(extra: Record<string, unknown>) {
  return {
    bootstrapServers: 'localhost:9092',
    topics: ['orders'],
    group: 'g',
    format: 'json',
    schema: [{ name: 'v', type: 'string' }],
    ...extra,
  };
}

function topn(extra: Record<string, unknown>) {
  return { orderBy: [{ expr: 'n', direction: 'desc' }], n: 3, ...extra };
}

describe('every kind declares its state', () => {
  it.each(OPERATORS.map((op) => [op.kind, op] as const))(
    '%s classifies each of its config fields, and no others',
    (_, op) => {
      const properties = Object.keys((op.config as { properties: object }).properties).sort();
      expect(Object.keys(op.state.fields).sort()).toEqual(properties);
      for (const role of Object.values(op.state.fields) as StateRole<unknown>[]) {
        expect(role === 'shapes' || role === 'free' || typeof role.migrate === 'function').toBe(
          true,
        );
      }
    },
  );

  it('has planner cases for every kind of the catalog', () => {
    expect(Object.keys(CASES).sort()).toEqual(OPERATORS.map((op) => op.kind).sort());
  });
});

describe('planUpgrade, kind by kind', () => {
  const rows = Object.entries(CASES).flatMap(([kind, cases]) =>
    cases.map((c) => [kind, c.edit, c] as const),
  );
  it.each(rows)('%s: %s', (kind, _, c) => {
    const node = (config: Record<string, unknown>): PipelineNode => ({ id: 'step', kind, config });
    const plan = planUpgrade(around(node(c.before)), around({ ...node(c.after), label: 'Edited' }));
    const step = plan.nodes.find((n) => n.id === 'step')!;
    expect(step.status).toBe(c.status);
    if (c.status === 'dropped') expect(step.field).toBe(c.field);
    if (c.says) expect(step.says).toMatch(c.says);
    expect(plan.dropsState).toBe(c.status === 'dropped');
    const isSource = kind.startsWith('source.');
    if (isSource) expect(step.position).toBe(c.status === 'dropped' ? 'reset' : 'kept');
    else expect(step.position).toBeUndefined();
  });
});

describe('planUpgrade, across a pipeline', () => {
  const windowNode: PipelineNode = { id: 'win', kind: 'window.aggregate', config: window() };
  const base: Pipeline = {
    format: 'sluice.pipeline/v1',
    name: 'counts',
    nodes: [source, windowNode, sink],
    edges: [
      { id: 'e1', source: 'gen', target: 'win' },
      { id: 'e2', source: 'win', target: 'out' },
    ],
  };

  it('keeps a window when a filter goes in before it and a computed field after it', () => {
    const after: Pipeline = {
      ...base,
      nodes: [
        source,
        { id: 'big', kind: 'transform.filter', config: { where: 'n >= 0' } },
        windowNode,
        {
          id: 'more',
          kind: 'transform.map',
          config: { fields: [{ name: 'double', expr: 'records * 2' }], keepInput: true },
        },
        sink,
      ],
      edges: [
        { id: 'e1', source: 'gen', target: 'big' },
        { id: 'e3', source: 'big', target: 'win' },
        { id: 'e4', source: 'win', target: 'more' },
        { id: 'e5', source: 'more', target: 'out' },
      ],
    };
    const plan = planUpgrade(base, after);
    expect(plan.nodes.map((n) => [n.id, n.status])).toEqual([
      ['gen', 'kept'],
      ['big', 'new'],
      ['win', 'kept'],
      ['more', 'new'],
      ['out', 'kept'],
    ]);
    expect(plan.nodes.find((n) => n.id === 'win')!.says).toBe(
      'It keeps its open windows and their aggregates, per key.',
    );
    expect(plan.nodes[0]!.position).toBe('kept');
    expect(plan.dropsState).toBe(false);
    expect(plan.notes).toEqual([]);
    expect(plan.summary).toBe('3 kept, 2 new');
  });

  it('lists the nodes in the order records flow, whatever their order in the document', () => {
    const shuffled: Pipeline = { ...base, nodes: [sink, windowNode, source] };
    expect(planUpgrade(shuffled, shuffled).nodes.map((n) => n.id)).toEqual(['gen', 'win', 'out']);
  });

  it('says what a migration carries: accumulators by the old index, a new aggregate empty', () => {
    const after = structuredClone(base);
    after.nodes[1]!.config = window({
      aggregates: [
        { name: 'total', fn: 'sum', expr: 'n' },
        { name: 'records', fn: 'count' },
      ],
    });
    const win = planUpgrade(base, after).nodes.find((n) => n.id === 'win')!;
    expect(win.status).toBe('migrated');
    expect(win.steps).toEqual([{ type: 'aggregates', from: [null, 0] }]);
    expect(win.says).toBe(
      "It keeps its open windows and their aggregates, per key: 'total' starts empty in the windows open now.",
    );
  });

  it('drops a join whose input records change shape upstream', () => {
    const joined: Pipeline = around({ id: 'step', kind: 'join.interval', config: { ...join } });
    const after = structuredClone(joined);
    // The left input now has one field more.
    after.nodes.find((n) => n.id === 'gen')!.config = {
      ...source.config!,
      fields: [
        ...(source.config!.fields as object[]),
        { name: 'extra', type: 'long', generator: { kind: 'sequence' } },
      ],
    };
    const plan = planUpgrade(
      { ...joined, nodes: joined.nodes.map((n) => (n.id === 'step' ? withBounds(n) : n)) },
      { ...after, nodes: after.nodes.map((n) => (n.id === 'step' ? withBounds(n) : n)) },
    );
    const step = plan.nodes.find((n) => n.id === 'step')!;
    expect(step).toMatchObject({ status: 'dropped', field: 'input' });
    // The generator's fields changed too: it reads again from its start.
    expect(plan.nodes.find((n) => n.id === 'gen')).toMatchObject({
      status: 'dropped',
      field: 'fields',
      position: 'reset',
    });
  });

  it('warns when a source read again from its start feeds state that is kept', () => {
    const after = structuredClone(base);
    after.nodes[0]!.config = { ...source.config!, seed: 99 };
    const plan = planUpgrade(base, after);
    expect(plan.notes).toEqual([
      'Data generator gen reads again from its start while Window aggregate win, Preview out keep their state: records read before count again there.',
    ]);
  });

  it('lists removed nodes last, and a kind change as a drop', () => {
    const after: Pipeline = {
      ...base,
      nodes: [
        source,
        { id: 'win', kind: 'transform.dedupe', config: { key: ['key'], retention: '1m' } },
      ],
      edges: [{ id: 'e1', source: 'gen', target: 'win' }],
    };
    const plan = planUpgrade(base, after);
    expect(plan.nodes.map((n) => [n.id, n.status, n.field])).toEqual([
      ['gen', 'kept', undefined],
      ['win', 'dropped', 'kind'],
      ['out', 'removed', undefined],
    ]);
    expect(plan.nodes[2]!.says).toBe('Removed: its latest results goes with it.');
  });
});

function withBounds(node: PipelineNode): PipelineNode {
  return { ...node, config: { ...node.config, lower: '-5s', upper: '5s' } };
}
