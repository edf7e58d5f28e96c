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

export function toFlowNodes(
  doc: Pipeline,
  selection: Selection,
  measured: ReadonlyMap<string, Size>,
  previous: readonly OperatorFlowNode[] = [],
): OperatorFlowNode[] {
  const before = new Map(previous.map((n) => [n.id, n]));
  return doc.nodes.map((node, index) => {
    const selected = selection.nodes.has(node.id);
    const size = measured.get(node.id);
    const old = before.get(node.id);
    if (old && old.data.node === node && old.selected === selected && old.measured === size) {
      return old;
    }
    const flow: OperatorFlowNode = {
      id: node.id,
      type: 'operator',
      // A node without a position is placed in a column until it is laid out.
      position: node.position ?? { x: 0, y: index * 120 },
      data: { node },
      selected,
    };
    if (size) flow.measured = size;
    return flow;
  });
}

export function toFlowEdges(
  doc: Pipeline,
  selection: Selection,
  previous: readonly PipelineFlowEdge[] = [],
): PipelineFlowEdge[] {
  const before = new Map(previous.map((e) => [e.id, e]));
  return doc.edges.map((edge) => {
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
