import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPipeline, exportPipeline } from './canonical.js';
import type { Pipeline } from './pipeline.js';
import { readPipeline } from './read.js';

const examplesDir = new URL('../../../../examples/', import.meta.url);
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
const load = (file: string): Pipeline =>
  JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')) as Pipeline;

/** The same object with its keys in reverse order, all the way down. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

describe('exportPipeline', () => {
  it.each(examples)('gives byte-identical text for any key and node order of %s', (file) => {
    const pipeline = load(file);
    const shuffled = reverseKeys({
      ...pipeline,
      nodes: [...pipeline.nodes].reverse(),
      edges: [...pipeline.edges].reverse(),
    }) as Pipeline;
    expect(exportPipeline(shuffled)).toBe(exportPipeline(pipeline));
  });

  it('sorts nodes and edges by id and orders keys as declared', () => {
    const text = exportPipeline(load('orders-per-category.json'));
    const doc = JSON.parse(text) as Pipeline;
    expect(doc.nodes.map((n) => n.id)).toEqual(['big_orders', 'orders', 'per_category', 'results']);
    expect(Object.keys(doc)).toEqual(['format', 'name', 'description', 'nodes', 'edges']);
    expect(Object.keys(doc.nodes[1]!)).toEqual(['id', 'kind', 'label', 'position', 'config']);
    expect(Object.keys(doc.nodes[1]!.config!)).toEqual(['fields', 'rate', 'seed', 'eventTime']);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('leaves out default ports and rounds positions', () => {
    const p: Pipeline = {
      format: 'sluice.pipeline/v1',
      name: 'x',
      nodes: [{ id: 'a', kind: 'sink.blackhole', position: { x: 10.4, y: -3.6 }, config: {} }],
      edges: [{ id: 'e', source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' }],
    };
    const c = canonicalPipeline(p);
    expect(c.edges[0]).toEqual({ id: 'e', source: 'a', target: 'b' });
    expect(c.nodes[0]?.position).toEqual({ x: 10, y: -4 });
  });

  it.each(examples)('survives export and re-import unchanged: %s', (file) => {
    const first = exportPipeline(load(file));
    const read = readPipeline(first);
    expect(read.pipeline).toBeDefined();
    expect(exportPipeline(read.pipeline!)).toBe(first);
  });

  it('is idempotent for arbitrary node orders and positions', () => {
    const base = load('revenue-per-country.json');
    fc.assert(
      fc.property(
        fc.shuffledSubarray(base.nodes, { minLength: base.nodes.length }),
        fc.array(
          fc.tuple(
            fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
            fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
          ),
        ),
        (nodes, positions) => {
          const moved = nodes.map((n, i) => {
            const pos = positions[i];
            return pos ? { ...n, position: { x: pos[0], y: pos[1] } } : n;
          });
          const once = exportPipeline({ ...base, nodes: moved });
          expect(exportPipeline(JSON.parse(once))).toBe(once);
        },
      ),
      { numRuns: 200 },
    );
  });
});
