import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../format/pipeline.js';
import { analyzePipeline, validatePipeline } from './validate.js';

const examplesDir = new URL('../../../../examples/', import.meta.url);
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));

/** Orders from a file → filter → 1-minute window → preview: valid as given. */
function basePipeline(): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Test',
    nodes: [
      {
        id: 'orders',
        kind: 'source.file',
        config: {
          path: 'orders.jsonl',
          format: 'jsonl',
          schema: [
            { name: 'order_id', type: 'string' },
            { name: 'amount', type: 'double' },
            { name: 'country', type: 'string' },
            { name: 'ts', type: 'timestamp' },
          ],
          eventTime: { field: 'ts', maxOutOfOrderness: '5s' },
        },
      },
      {
        id: 'big',
        kind: 'transform.filter',
        config: { where: "amount > 100 AND country <> 'XX'" },
      },
      {
        id: 'per_minute',
        kind: 'window.aggregate',
        config: {
          window: { type: 'tumbling', size: '1m' },
          groupBy: ['country'],
          aggregates: [
            { name: 'orders', fn: 'count' },
            { name: 'revenue', fn: 'sum', expr: 'amount' },
          ],
        },
      },
      { id: 'out', kind: 'sink.preview', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'orders', target: 'big' },
      { id: 'e2', source: 'big', target: 'per_minute' },
      { id: 'e3', source: 'per_minute', target: 'out' },
    ],
  };
}

function withConfig(p: Pipeline, id: string, config: Record<string, unknown>): Pipeline {
  return { ...p, nodes: p.nodes.map((n) => (n.id === id ? { ...n, config } : n)) };
}

function errors(input: unknown) {
  return validatePipeline(input).filter((d) => d.severity === 'error');
}

describe('validatePipeline', () => {
  it.each(examples)('accepts the example %s without errors or warnings', (file) => {
    const document = JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8'));
    expect(validatePipeline(document)).toEqual([]);
  });

  it('accepts the base pipeline', () => {
    expect(validatePipeline(basePipeline())).toEqual([]);
  });

  it('reads each config object once across analyses, and an edit (a new object) afresh', () => {
    const first = basePipeline();
    const again = analyzePipeline(first);
    expect(analyzePipeline(first)).toEqual(again);
    // As the designer edits: the other nodes keep their objects, the edited one is new.
    const window = first.nodes[2]!.config as Record<string, unknown>;
    const broken = withConfig(first, 'per_minute', { ...window, window: { type: 'tumbling' } });
    expect(errors(broken).map((d) => d.nodeId)).toEqual(['per_minute']);
    const renamed = withConfig(broken, 'per_minute', {
      ...window,
      aggregates: [{ name: 'n', fn: 'count' }],
    });
    expect(errors(renamed)).toEqual([]);
    const out = analyzePipeline(renamed).schemas.get('per_minute')!.out!;
    expect(out.fields.map((f) => f.name)).toContain('n');
    expect(out.fields.map((f) => f.name)).not.toContain('orders');
    // The first document's analysis is still its own.
    expect(analyzePipeline(first)).toEqual(again);
  });

  it('reports a cycle on a node of the cycle, naming the loop', () => {
    const p = basePipeline();
    p.nodes.splice(1, 0, { id: 'again', kind: 'transform.filter', config: { where: 'TRUE' } });
    p.edges.push(
      { id: 'loop1', source: 'big', target: 'again' },
      { id: 'loop2', source: 'again', target: 'big' },
    );
    const cycle = errors(p).find((d) => d.code === 'graph.cycle');
    expect(cycle?.nodeId).toMatch(/^(big|again)$/);
    expect(cycle?.message).toMatch(/big → again → big|again → big → again/);
  });

  it('reports a dangling edge on the edge and the missing end', () => {
    const p = basePipeline();
    p.edges.push({ id: 'e9', source: 'big', target: 'nowhere' });
    expect(errors(p)).toContainEqual(
      expect.objectContaining({ code: 'edge.dangling', edgeId: 'e9', path: 'edges[3].target' }),
    );
  });

  it('reports an unknown kind on its node, with a suggestion', () => {
    const p = basePipeline();
    p.nodes[1] = { id: 'big', kind: 'transform.filtr', config: { where: 'TRUE' } };
    const d = errors(p).find((x) => x.code === 'node.unknown-kind');
    expect(d).toMatchObject({ nodeId: 'big', path: 'nodes[1].kind' });
    expect(d?.message).toContain("Did you mean 'transform.filter'?");
  });

  it('reports a config that breaks its schema with the JSON path', () => {
    const p = withConfig(basePipeline(), 'per_minute', {
      window: { type: 'tumbling', size: 'one minute' },
      aggregates: [{ name: 'n', fn: 'count' }],
    });
    const d = errors(p).find((x) => x.code === 'config.invalid');
    expect(d).toMatchObject({ nodeId: 'per_minute', path: 'nodes[2].config.window.size' });
    expect(d?.message).toContain("'one minute' is not a duration");
  });

  it('names the allowed window types when the type is wrong', () => {
    const p = withConfig(basePipeline(), 'per_minute', {
      window: { type: 'sliding', size: '1m' },
      aggregates: [{ name: 'n', fn: 'count' }],
    });
    const d = errors(p).find((x) => x.code === 'config.invalid');
    expect(d?.path).toBe('nodes[2].config.window.type');
    expect(d?.message).toContain('"tumbling", "hopping", "session"');
  });

  it('reports an unknown setting and a missing required one', () => {
    const p = withConfig(basePipeline(), 'big', { wher: 'TRUE' });
    const found = errors(p).filter((d) => d.code === 'config.invalid');
    expect(found.map((d) => d.path).sort()).toEqual(
      ['nodes[1].config.where', 'nodes[1].config.wher'].sort(),
    );
  });

  it('reports a filter on a field that does not exist, with its position', () => {
    const p = withConfig(basePipeline(), 'big', { where: 'amout > 100' });
    const d = errors(p).find((x) => x.code === 'expression.unknown-field');
    expect(d).toMatchObject({
      nodeId: 'big',
      path: 'nodes[1].config.where',
      range: { start: 0, end: 5 },
    });
    expect(d?.message).toContain("'amount'");
  });

  it('refuses a filter that is not a condition', () => {
    const p = withConfig(basePipeline(), 'big', { where: 'amount * 2' });
    expect(errors(p).some((d) => d.nodeId === 'big' && d.code.startsWith('expression.'))).toBe(
      true,
    );
  });

  it.each(['__proto__', 'constructor'])('refuses %s as a field of a source schema', (name) => {
    const p = basePipeline();
    const config = {
      ...p.nodes[0]!.config,
      schema: [
        { name, type: 'string' },
        { name: 'ts', type: 'timestamp' },
      ],
    };
    const d = errors(withConfig(p, 'orders', config)).find((x) => x.nodeId === 'orders');
    expect(d?.message).toContain(`'${name}' is reserved`);
  });

  it.each(['__proto__', 'constructor'])('refuses %s as a field in an expression', (name) => {
    const p = withConfig(basePipeline(), 'big', { where: `${name} IS NULL` });
    const d = errors(p).find((x) => x.nodeId === 'big');
    expect(d?.code).toBe('expression.reserved-name');
  });

  it('refuses a __proto__ key anywhere in the document', () => {
    const p = JSON.parse(
      JSON.stringify(basePipeline()).replace('"where":', '"__proto__":{"polluted":true},"where":'),
    );
    expect(errors(p)).toContainEqual(
      expect.objectContaining({ code: 'format.reserved-key', path: 'nodes[1].config.__proto__' }),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports an unconnected required input', () => {
    const p = basePipeline();
    p.edges = p.edges.filter((e) => e.id !== 'e2');
    expect(errors(p)).toContainEqual(
      expect.objectContaining({ code: 'node.input-missing', nodeId: 'per_minute' }),
    );
  });

  it('warns about an output that leads nowhere', () => {
    const p = basePipeline();
    p.nodes.push({ id: 'unused', kind: 'transform.filter', config: { where: 'TRUE' } });
    p.edges.push({ id: 'e4', source: 'orders', target: 'unused' });
    const found = validatePipeline(p);
    expect(found).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'node.output-unused',
        nodeId: 'unused',
      }),
    ]);
  });

  it('refuses a second edge into a single input', () => {
    const p = basePipeline();
    p.edges.push({ id: 'e4', source: 'orders', target: 'per_minute' });
    expect(errors(p)).toContainEqual(
      expect.objectContaining({ code: 'node.input-taken', nodeId: 'per_minute', edgeId: 'e4' }),
    );
  });

  it('refuses an edge from a port the node does not have', () => {
    const p = basePipeline();
    p.edges[0] = { id: 'e1', source: 'orders', sourcePort: 'late', target: 'big' };
    expect(errors(p)).toContainEqual(
      expect.objectContaining({ code: 'edge.unknown-port', edgeId: 'e1', nodeId: 'orders' }),
    );
  });

  it('reports duplicate node and edge ids', () => {
    const p = basePipeline();
    p.nodes.push({ ...p.nodes[3]! });
    p.edges.push({ ...p.edges[0]! });
    const codes = errors(p).map((d) => d.code);
    expect(codes).toContain('node.duplicate-id');
    expect(codes).toContain('edge.duplicate-id');
  });

  it('reports an aggregate over the wrong type', () => {
    const p = withConfig(basePipeline(), 'per_minute', {
      window: { type: 'tumbling', size: '1m' },
      aggregates: [{ name: 'total', fn: 'sum', expr: 'country' }],
    });
    const d = errors(p).find((x) => x.code === 'config.aggregate-type');
    expect(d).toMatchObject({ nodeId: 'per_minute', path: 'nodes[2].config.aggregates[0].fn' });
    expect(d?.message).toContain('sum needs a number, not a string');
  });

  it('reports a missing event time for an event-time window, and accepts processing time', () => {
    const p = basePipeline();
    const { eventTime: _, ...config } = p.nodes[0]!.config as Record<string, unknown>;
    const noTime = withConfig(p, 'orders', config);
    expect(errors(noTime)).toContainEqual(
      expect.objectContaining({ code: 'node.no-event-time', nodeId: 'per_minute' }),
    );
    const processing = withConfig(noTime, 'per_minute', {
      ...(p.nodes[2]!.config as Record<string, unknown>),
      time: 'processing',
    });
    expect(errors(processing)).toEqual([]);
  });

  it('requires a hopping size to be a multiple of the slide', () => {
    const p = withConfig(basePipeline(), 'per_minute', {
      window: { type: 'hopping', size: '10s', slide: '3s' },
      aggregates: [{ name: 'n', fn: 'count' }],
    });
    expect(errors(p)).toContainEqual(expect.objectContaining({ code: 'config.window-slide' }));
  });

  it('reports a group-by field that does not exist', () => {
    const p = withConfig(basePipeline(), 'per_minute', {
      window: { type: 'tumbling', size: '1m' },
      groupBy: ['region'],
      aggregates: [{ name: 'n', fn: 'count' }],
    });
    expect(errors(p)).toContainEqual(
      expect.objectContaining({ code: 'config.unknown-field', path: 'nodes[2].config.groupBy[0]' }),
    );
  });

  it('infers a running aggregate: group-by fields, then aggregates, in the input time mode', () => {
    const running = (p: Pipeline) =>
      withConfig(p, 'per_minute', {
        groupBy: ['country'],
        aggregates: [
          { name: 'orders', fn: 'count' },
          { name: 'avg_amount', fn: 'avg', expr: 'amount' },
        ],
      });
    const p = { ...basePipeline() };
    p.nodes = p.nodes.map((n) =>
      n.id === 'per_minute' ? { ...n, kind: 'transform.aggregate' } : n,
    );
    const { schemas, diagnostics } = analyzePipeline(running(p));
    expect(diagnostics).toEqual([]);
    expect(schemas.get('per_minute')?.out).toEqual({
      fields: [
        { name: 'country', type: 'string' },
        { name: 'orders', type: 'long' },
        { name: 'avg_amount', type: 'double' },
      ],
      time: 'event',
    });
    const { eventTime: _, ...noTime } = p.nodes[0]!.config as Record<string, unknown>;
    const processing = analyzePipeline(running(withConfig(p, 'orders', noTime)));
    expect(processing.diagnostics).toEqual([]);
    expect(processing.schemas.get('per_minute')?.out?.time).toBe('processing');

    const bad = (config: Record<string, unknown>) =>
      errors(withConfig(p, 'per_minute', { aggregates: [{ name: 'n', fn: 'count' }], ...config }));
    const unknown = bad({ groupBy: ['region'], updateKey: ['order_id', 'ordr'] });
    expect(unknown.map((d) => [d.code, d.path])).toEqual([
      ['config.unknown-field', 'nodes[2].config.updateKey[1]'],
      ['config.unknown-field', 'nodes[2].config.groupBy[0]'],
    ]);
    expect(unknown[0]?.message).toContain("Cannot key updates by 'ordr'");
    expect(unknown[0]?.message).toContain('Fields here: order_id, amount, country, ts.');
    // With an update key, only count, sum and avg can take a replaced value back.
    const retract = bad({
      updateKey: ['order_id'],
      aggregates: ['count', 'sum', 'avg', 'max'].map((fn) => ({ name: fn, fn, expr: 'amount' })),
    });
    expect(retract).toEqual([
      expect.objectContaining({
        code: 'config.aggregate-retract',
        path: 'nodes[2].config.aggregates[3].fn',
      }),
    ]);
    expect(retract[0]?.message).toContain("'per_minute': max cannot take back a replaced value");
    expect(bad({ retention: '0s' })).toEqual([
      expect.objectContaining({ code: 'config.duration', path: 'nodes[2].config.retention' }),
    ]);
    // Forgetting idle keys is by event time.
    const noEventTime = errors(
      withConfig(withConfig(p, 'orders', noTime), 'per_minute', {
        aggregates: [{ name: 'n', fn: 'count' }],
        retention: '1h',
      }),
    );
    expect(noEventTime).toEqual([
      expect.objectContaining({ code: 'node.no-event-time', path: 'nodes[2].config.retention' }),
    ]);
  });

  it('refuses paths that leave the data directory', () => {
    for (const path of ['/etc/passwd', '../secrets.jsonl', 'a/../../b.jsonl']) {
      const p = basePipeline();
      const config = { ...(p.nodes[0]!.config as Record<string, unknown>), path };
      expect(errors(withConfig(p, 'orders', config))).toContainEqual(
        expect.objectContaining({ code: 'config.path-outside', nodeId: 'orders' }),
      );
    }
  });

  it('explains a document that is not a pipeline', () => {
    expect(errors(42)[0]?.code).toBe('format.not-object');
    expect(errors({ name: 'x' })[0]?.code).toBe('format.missing');
    expect(errors({ ...basePipeline(), format: 'sluice.pipeline/v9' })[0]?.message).toContain(
      'Update Sluice',
    );
    expect(errors({ ...basePipeline(), nodes: 'none' })).toContainEqual(
      expect.objectContaining({ code: 'format.invalid', path: 'nodes' }),
    );
  });

  it('infers the output schema of every node', () => {
    const { schemas } = analyzePipeline(basePipeline());
    expect(schemas.get('per_minute')?.out?.fields).toEqual([
      { name: 'country', type: 'string' },
      { name: 'window_start', type: 'timestamp' },
      { name: 'window_end', type: 'timestamp' },
      { name: 'orders', type: 'long' },
      { name: 'revenue', type: 'double' },
    ]);
    expect(schemas.get('per_minute')?.late).toEqual(schemas.get('big')?.out);
    expect(schemas.get('big')?.out?.time).toBe('event');
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(Array.isArray(validatePipeline(value))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on random damage to a valid pipeline', () => {
    const valid = JSON.stringify(basePipeline());
    const leaves = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), leaves), { maxLength: 5 }), (damage) => {
        const doc = JSON.parse(valid);
        for (const [at, value] of damage) setNth(doc, at, value);
        expect(Array.isArray(validatePipeline(doc))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

/** Replaces the n-th value (depth-first, modulo the count) in a JSON tree. */
function setNth(root: unknown, n: number, value: unknown): void {
  const slots: [Record<string, unknown>, string][] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      slots.push([node as Record<string, unknown>, key]);
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(root);
  const slot = slots[n % Math.max(1, slots.length)];
  if (slot) slot[0][slot[1]] = value;
}
