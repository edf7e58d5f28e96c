import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffPipelines, isEmptyDiff, summarizeDiff } from './diff.js';
import type { Pipeline } from './pipeline.js';

const examplesDir = new URL('../../../../examples/', import.meta.url);
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
const load = (file: string): Pipeline =>
  JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')) as Pipeline;
const orders = () => load('orders-per-category.json');

describe('diffPipelines', () => {
  it.each(examples)('finds nothing between %s and itself moved around', (file) => {
    const before = load(file);
    const after: Pipeline = {
      ...before,
      nodes: [...before.nodes]
        .reverse()
        .map((node, i) => ({ ...node, position: { x: i * 7, y: -i } })),
      edges: [...before.edges].reverse().map((edge, i) => ({ ...edge, id: `renamed_${i}` })),
    };
    const diff = diffPipelines(before, after);
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff.moved).toBe(before.nodes.length);
    expect(summarizeDiff(diff)).toBe('Moved nodes only');
  });

  it('names the config fields that changed, down to the item of a list', () => {
    const before = orders();
    const after = structuredClone(before);
    const filter = after.nodes.find((n) => n.id === 'big_orders')!;
    filter.config = { where: 'amount >= 50' };
    const source = after.nodes.find((n) => n.id === 'orders')!;
    const fields = (source.config as { fields: { generator: { weights?: number[] } }[] }).fields;
    fields[1]!.generator.weights = [1, 1, 1, 1, 1];
    const diff = diffPipelines(before, after);
    expect(diff.nodes).toEqual([
      {
        id: 'big_orders',
        kind: 'transform.filter',
        name: 'Filter “Big orders”',
        status: 'changed',
        fields: [
          {
            path: 'config.where',
            before: "amount >= 20 AND category <> 'test'",
            after: 'amount >= 50',
          },
        ],
      },
      expect.objectContaining({
        id: 'orders',
        status: 'changed',
        fields: [
          { path: 'config.fields[1].generator.weights[0]', before: 4, after: 1 },
          { path: 'config.fields[1].generator.weights[1]', before: 3, after: 1 },
          { path: 'config.fields[1].generator.weights[2]', before: 2, after: 1 },
        ],
      }),
    ]);
    expect(summarizeDiff(diff)).toBe(
      'Changed Filter “Big orders” (where); changed Data generator “Orders” (fields[1].generator.weights[0], fields[1].generator.weights[1], fields[1].generator.weights[2])',
    );
  });

  it('tells added, removed and rewired nodes apart, and connections by their ends', () => {
    const before = orders();
    const after = structuredClone(before);
    after.nodes = after.nodes.filter((n) => n.id !== 'big_orders');
    after.nodes.push({ id: 'cheap', kind: 'transform.filter', config: { where: 'amount < 5' } });
    after.edges = after.edges
      .filter((e) => e.source !== 'big_orders' && e.target !== 'big_orders')
      .concat([
        { id: 'a', source: 'orders', target: 'cheap' },
        ...before.edges
          .filter((e) => e.source === 'big_orders')
          .map((e, i) => ({ ...e, id: `b${i}`, source: 'cheap' })),
      ]);
    const diff = diffPipelines(before, after);
    expect(diff.nodes.map((n) => [n.id, n.status])).toEqual([
      ['cheap', 'added'],
      ['big_orders', 'removed'],
    ]);
    expect(diff.edgesAdded.map((e) => `${e.source}→${e.target}`)).toContain('orders→cheap');
    expect(diff.edgesRemoved.map((e) => `${e.source}→${e.target}`)).toContain('orders→big_orders');
    expect(summarizeDiff(diff)).toMatch(
      /^Added Filter cheap; removed Filter “Big orders”; \d connections added; \d connections removed$/,
    );
  });

  it('counts nodes past three, and names the document fields that changed', () => {
    const before = orders();
    const after: Pipeline = {
      ...structuredClone(before),
      name: 'Orders, renamed',
      settings: { checkpoints: { interval: '1s' } },
      nodes: [
        ...before.nodes,
        ...[1, 2, 3, 4].map((i) => ({ id: `f${i}`, kind: 'transform.filter', config: {} })),
      ],
    };
    expect(summarizeDiff(diffPipelines(before, after))).toBe(
      'Added 4 nodes; renamed to “Orders, renamed”; changed settings.checkpoints',
    );
  });

  it('is empty exactly when the documents agree on everything but positions and edge ids', () => {
    const before = orders();
    const where = fc.constantFrom('amount > 1', "amount >= 20 AND category <> 'test'", 'true');
    fc.assert(
      fc.property(where, fc.boolean(), fc.integer({ min: -500, max: 500 }), (w, dropEdge, x) => {
        const after = structuredClone(before);
        after.nodes.find((n) => n.id === 'big_orders')!.config = { where: w };
        after.nodes[0]!.position = { x, y: x };
        if (dropEdge) after.edges = after.edges.slice(1);
        const same = w === "amount >= 20 AND category <> 'test'" && !dropEdge;
        expect(isEmptyDiff(diffPipelines(before, after))).toBe(same);
      }),
    );
  });
});
