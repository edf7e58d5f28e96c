import { describe, expect, it } from 'vitest';
import { samplePipeline, testCatalog } from '../testing/fixtures.js';
import {
  extractFragment,
  newEdge,
  newNode,
  pasteFragment,
  removeElements,
  uniqueId,
} from './document.js';

describe('document edits', () => {
  it('gives unique, valid ids', () => {
    expect(uniqueId('filter', new Set())).toBe('filter');
    expect(uniqueId('filter', new Set(['filter', 'filter_2']))).toBe('filter_3');
    expect(uniqueId('a b/c', new Set())).toBe('a_b_c');
    expect(uniqueId('', new Set())).toBe('node');
  });

  it('makes a new node with a copy of the kind’s defaults', () => {
    const entry = testCatalog().byKind.get('transform.filter')!;
    const node = newNode(entry, { x: 10.4, y: 20.6 }, new Set(['filter']));
    expect(node).toMatchObject({
      id: 'filter_2',
      kind: 'transform.filter',
      position: { x: 10, y: 21 },
    });
    expect(node.config).toEqual(entry.defaults);
    expect(node.config).not.toBe(entry.defaults);
  });

  it('leaves default ports out of new edges', () => {
    expect(
      newEdge({ source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' }, new Set(['e1'])),
    ).toEqual({ id: 'e2', source: 'a', target: 'b' });
    expect(
      newEdge({ source: 'a', sourcePort: 'late', target: 'b', targetPort: 'left' }, new Set()),
    ).toEqual({
      id: 'e1',
      source: 'a',
      sourcePort: 'late',
      target: 'b',
      targetPort: 'left',
    });
  });

  it('removes the edges of removed nodes', () => {
    const doc = removeElements(samplePipeline(), new Set(['big']), new Set());
    expect(doc.nodes.map((n) => n.id)).toEqual(['gen', 'out', 'all']);
    expect(doc.edges).toEqual([]);
  });

  it('pastes a fragment with fresh ids and its inner edges', () => {
    const doc = samplePipeline();
    const fragment = extractFragment(doc, new Set(['gen', 'big']));
    expect(fragment.edges.map((e) => e.id)).toEqual(['e1']);
    const { doc: pasted, nodeIds } = pasteFragment(doc, fragment, { x: 40, y: 40 });
    expect(nodeIds).toEqual(['gen_2', 'big_2']);
    expect(pasted.edges.at(-1)).toMatchObject({ source: 'gen_2', target: 'big_2' });
    expect(pasted.nodes.at(-1)!.position).toEqual({ x: 290, y: 40 });
  });
});
