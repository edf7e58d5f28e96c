// The React Flow view of a pipeline document. The document is the source of
// truth; flow nodes and edges are derived from it, reusing the previous flow
// object whenever nothing it shows has changed, so memoized nodes skip renders.
import type { Pipeline, PipelineEdge, PipelineNode } from '@sluice/shared';
import type { Connection, Edge, Node } from '@xyflow/react';
import { type Endpoints, sourcePort, targetPort } from './document.js';

export type OperatorNodeData = { node: PipelineNode };
export type OperatorFlowNode = Node<OperatorNodeData, 'operator'>;
export type PipelineEdgeData = { edge: PipelineEdge };
export type PipelineFlowEdge = Edge<PipelineEdgeData, 'pipeline'>;

export interface Selection {
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
}

export const NO_SELECTION: Selection = { nodes: new Set(), edges: new Set() };

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** The size a step is drawn at before the canvas has measured it (its CSS width and height, --op-node-height). */
export const NODE_SIZE: Size = { width: 184, height: 78 };

/** Where a node is drawn: a node without a position is placed in a column until it is laid out. */
export function nodePosition(node: PipelineNode, index: number): { x: number; y: number } {
  return node.position ?? { x: 0, y: index * 120 };
}

/** The box around every node of `doc`, in flow coordinates; undefined when it has none. */
export function documentBounds(
  doc: Pipeline,
  measured: ReadonlyMap<string, Size>,
): { x: number; y: number; width: number; height: number } | undefined {
  if (doc.nodes.length === 0) return undefined;
  let left = Number.POSITIVE_INFINITY;
  let top = Number.POSITIVE_INFINITY;
  let right = Number.NEGATIVE_INFINITY;
  let bottom = Number.NEGATIVE_INFINITY;
  doc.nodes.forEach((node, index) => {
    const { x, y } = nodePosition(node, index);
    const size = measured.get(node.id) ?? NODE_SIZE;
    left = Math.min(left, x);
    top = Math.min(top, y);
    right = Math.max(right, x + size.width);
    bottom = Math.max(bottom, y + size.height);
  });
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * `next`, or `previous` itself when it holds the same objects: React Flow
 * rebuilds its lookups (every connection's, every node's) whenever the array it
 * is given is a new one, so an edit that touches no edge must hand over the old.
 */
function sameOr<T>(next: T[], previous: readonly T[]): T[] {
  if (next.length !== previous.length) return next;
  for (let i = 0; i < next.length; i++) if (next[i] !== previous[i]) return next;
  return previous as T[];
}

export function toFlowNodes(
  doc: Pipeline,
  selection: Selection,
  measured: ReadonlyMap<string, Size>,
  previous: readonly OperatorFlowNode[] = [],
): OperatorFlowNode[] {
  const before = new Map(previous.map((n) => [n.id, n]));
  const nodes = doc.nodes.map((node, index) => {
    const selected = selection.nodes.has(node.id);
    const size = measured.get(node.id);
    const old = before.get(node.id);
    if (old && old.data.node === node && old.selected === selected && old.measured === size) {
      return old;
    }
    const flow: OperatorFlowNode = {
      id: node.id,
      type: 'operator',
      position: nodePosition(node, index),
      data: { node },
      selected,
    };
    if (size) flow.measured = size;
    return flow;
  });
  return sameOr(nodes, previous);
}

export function toFlowEdges(
  doc: Pipeline,
  selection: Selection,
  previous: readonly PipelineFlowEdge[] = [],
): PipelineFlowEdge[] {
  const before = new Map(previous.map((e) => [e.id, e]));
  const edges = doc.edges.map((edge): PipelineFlowEdge => {
    const selected = selection.edges.has(edge.id);
    const old = before.get(edge.id);
    if (old && old.data?.edge === edge && old.selected === selected) return old;
    return {
      id: edge.id,
      type: 'pipeline',
      source: edge.source,
      sourceHandle: sourcePort(edge),
      target: edge.target,
      targetHandle: targetPort(edge),
      data: { edge },
      selected,
    };
  });
  return sameOr(edges, previous);
}

/** The document endpoints of a connection dragged on the canvas (handle ids are port names). */
export function connectionEnds(connection: Connection | Edge): Endpoints {
  return {
    source: connection.source,
    sourcePort: connection.sourceHandle ?? 'out',
    target: connection.target,
    targetPort: connection.targetHandle ?? 'in',
  };
}
