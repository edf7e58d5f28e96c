import { describe, expect, it } from 'vitest';
import { samplePipeline } from '../testing/fixtures.js';
import { selectionAfter } from './changes.js';
import { moveNodes } from './document.js';
import {
  connectionEnds,
  documentBounds,
  NO_SELECTION,
  NODE_SIZE,
  toFlowEdges,
  toFlowNodes,
} from './flow.js';

describe('document → flow', () => {
  it('makes one operator node per document node, carrying the document node', () => {
    const doc = samplePipeline();
    const nodes = toFlowNodes(doc, NO_SELECTION, new Map());
    expect(nodes.map((n) => [n.id, n.type, n.position])).toEqual([
      ['gen', 'operator', { x: 0, y: 0 }],
      ['big', 'operator', { x: 250, y: 0 }],
      ['out', 'operator', { x: 500, y: 0 }],
      ['all', 'operator', { x: 250, y: 200 }],
    ]);
    expect(nodes[1]!.data.node).toBe(doc.nodes[1]);
  });

  it('maps ports to handles, defaulting to out and in', () => {
    const doc = {
      ...samplePipeline(),
      edges: [{ id: 'x', source: 'w', sourcePort: 'late', target: 'j', targetPort: 'right' }],
    };
    expect(toFlowEdges(doc, NO_SELECTION)[0]).toMatchObject({
      source: 'w',
      sourceHandle: 'late',
      target: 'j',
      targetHandle: 'right',
    });
    expect(toFlowEdges(samplePipeline(), NO_SELECTION)[0]).toMatchObject({
      sourceHandle: 'out',
      targetHandle: 'in',
    });
  });

  it('reuses the flow objects of untouched nodes and edges', () => {
    const doc = samplePipeline();
    const before = toFlowNodes(doc, NO_SELECTION, new Map());
    const moved = moveNodes(doc, new Map([['big', { x: 1, y: 2 }]]));
    const after = toFlowNodes(moved, NO_SELECTION, new Map(), before);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]!.position).toEqual({ x: 1, y: 2 });
    const edges = toFlowEdges(doc, NO_SELECTION);
    expect(toFlowEdges(moved, NO_SELECTION, edges)[0]).toBe(edges[0]);
  });

  it('hands back the same arrays when an edit changed nothing they show (typing in a step’s settings)', () => {
    const doc = samplePipeline();
    const nodes = toFlowNodes(doc, NO_SELECTION, new Map());
    const edges = toFlowEdges(doc, NO_SELECTION);
    const renamed = { ...doc, name: 'Renamed' };
    expect(toFlowNodes(renamed, NO_SELECTION, new Map(), nodes)).toBe(nodes);
    expect(toFlowEdges(renamed, NO_SELECTION, edges)).toBe(edges);
    // A step's settings: its node is new, the connections are the same array.
    const edited = {
      ...doc,
      nodes: doc.nodes.map((n) => (n.id === 'big' ? { ...n, config: { where: 'amount > 6' } } : n)),
    };
    expect(toFlowNodes(edited, NO_SELECTION, new Map(), nodes)).not.toBe(nodes);
    expect(toFlowEdges(edited, NO_SELECTION, edges)).toBe(edges);
    // One edge fewer: a new array.
    expect(toFlowEdges({ ...doc, edges: doc.edges.slice(1) }, NO_SELECTION, edges)).not.toBe(edges);
  });

  it('shows the selection and the measured size', () => {
    const doc = samplePipeline();
    const selection = { nodes: new Set(['out']), edges: new Set(['e2']) };
    const nodes = toFlowNodes(doc, selection, new Map([['out', { width: 200, height: 60 }]]));
    expect(nodes[2]).toMatchObject({ selected: true, measured: { width: 200, height: 60 } });
    expect(nodes[0]!.selected).toBe(false);
    expect(toFlowEdges(doc, selection)[1]!.selected).toBe(true);
  });

  it('places a node without a position instead of failing', () => {
    const doc = samplePipeline();
    const { position: _p, ...bare } = doc.nodes[3]!;
    const nodes = toFlowNodes(
      { ...doc, nodes: [...doc.nodes.slice(0, 3), bare] },
      NO_SELECTION,
      new Map(),
    );
    expect(nodes[3]!.position).toEqual({ x: 0, y: 360 });
  });
});

describe('flow → document', () => {
  it('reads a connection’s handles back as ports', () => {
    expect(
      connectionEnds({ source: 'a', sourceHandle: 'late', target: 'b', targetHandle: 'left' }),
    ).toEqual({ source: 'a', sourcePort: 'late', target: 'b', targetPort: 'left' });
    expect(
      connectionEnds({ source: 'a', sourceHandle: null, target: 'b', targetHandle: null }),
    ).toEqual({ source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' });
  });

  it('reads select changes into a selection, and keeps it when nothing changed', () => {
    const next = selectionAfter(
      NO_SELECTION,
      [{ type: 'select', id: 'big', selected: true }],
      [{ type: 'select', id: 'e1', selected: true }],
    );
    expect([...next.nodes]).toEqual(['big']);
    expect([...next.edges]).toEqual(['e1']);
    expect(selectionAfter(next, [{ type: 'select', id: 'big', selected: true }], [])).toBe(next);
  });
});

describe('the bounds of a document', () => {
  it('spans every node, measured or at the default size', () => {
    const doc = samplePipeline();
    const bounds = documentBounds(doc, new Map([['out', { width: 300, height: 100 }]]));
    // gen at (0,0), out at (500,0) measured 300×100, all at (250,200) at the default size.
    expect(bounds).toEqual({ x: 0, y: 0, width: 800, height: 200 + NODE_SIZE.height });
  });

  it('is undefined for an empty pipeline', () => {
    expect(
      documentBounds({ ...samplePipeline(), nodes: [], edges: [] }, new Map()),
    ).toBeUndefined();
  });
});
