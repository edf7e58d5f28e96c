// React Flow reports what the user did as changes; these read them back into
// document moves, measured sizes and the selection.
import type { EdgeChange, NodeChange } from '@xyflow/react';
import type { Position } from './document.js';
import type { OperatorFlowNode, PipelineFlowEdge, Selection, Size } from './flow.js';

export function movedPositions(
  changes: readonly NodeChange<OperatorFlowNode>[],
): Map<string, Position> {
  const positions = new Map<string, Position>();
  for (const c of changes) if (c.type === 'position' && c.position) positions.set(c.id, c.position);
  return positions;
}

export function measuredSizes(changes: readonly NodeChange<OperatorFlowNode>[]): Map<string, Size> {
  const sizes = new Map<string, Size>();
  for (const c of changes)
    if (c.type === 'dimensions' && c.dimensions) sizes.set(c.id, c.dimensions);
  return sizes;
}

/** The selection after React Flow's select changes; the same object when nothing changed. */
export function selectionAfter(
  selection: Selection,
  nodeChanges: readonly NodeChange<OperatorFlowNode>[],
  edgeChanges: readonly EdgeChange<PipelineFlowEdge>[],
): Selection {
  const nodes = new Set(selection.nodes);
  const edges = new Set(selection.edges);
  let changed = false;
  for (const c of nodeChanges) {
    if (c.type !== 'select' || nodes.has(c.id) === c.selected) continue;
    changed = true;
    if (c.selected) nodes.add(c.id);
    else nodes.delete(c.id);
  }
  for (const c of edgeChanges) {
    if (c.type !== 'select' || edges.has(c.id) === c.selected) continue;
    changed = true;
    if (c.selected) edges.add(c.id);
    else edges.delete(c.id);
  }
  return changed ? { nodes, edges } : selection;
}
