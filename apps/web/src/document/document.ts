// Pure edits of a pipeline document. The document is immutable: every edit
// returns a new one, sharing the nodes and edges it did not touch, so undo is
// a snapshot and the canvas can skip what did not change.
import {
  DEFAULT_SOURCE_PORT,
  DEFAULT_TARGET_PORT,
  PIPELINE_FORMAT,
  type Pipeline,
  type PipelineEdge,
  type PipelineNode,
} from '@sluice/shared';
import type { CatalogEntry } from '../catalog/catalog.js';

export interface Position {
  readonly x: number;
  readonly y: number;
}

export function emptyPipeline(name = 'Untitled pipeline'): Pipeline {
  return { format: PIPELINE_FORMAT, name, nodes: [], edges: [] };
}

const ID_LIMIT = 64;

/** `base`, or `base_2`, `base_3`… — the first that `taken` does not hold, always a valid id. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  let stem = base.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[.-]+/, '');
  if (stem === '') stem = 'node';
  stem = stem.slice(0, ID_LIMIT - 6);
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The short id stem of a kind: `transform.filter` → `filter`. */
export function idStem(kind: string): string {
  return kind.slice(kind.lastIndexOf('.') + 1) || 'node';
}

export function nodeIds(doc: Pipeline): Set<string> {
  return new Set(doc.nodes.map((n) => n.id));
}

export function edgeIds(doc: Pipeline): Set<string> {
  return new Set(doc.edges.map((e) => e.id));
}

/** A fresh node of a catalog kind, with the kind's defaults (deep-copied). */
export function newNode(
  entry: CatalogEntry,
  position: Position,
  taken: ReadonlySet<string>,
): PipelineNode {
  return {
    id: uniqueId(idStem(entry.kind), taken),
    kind: entry.kind,
    label: entry.label,
    position: roundPosition(position),
    config: structuredClone(entry.defaults as Record<string, unknown>),
  };
}

export function roundPosition(p: Position): Position {
  return { x: Math.round(p.x), y: Math.round(p.y) };
}

export function addNodes(doc: Pipeline, nodes: readonly PipelineNode[]): Pipeline {
  return { ...doc, nodes: [...doc.nodes, ...nodes] };
}

/** Changes one node; returns the same document when `id` is unknown. */
export function updateNode(
  doc: Pipeline,
  id: string,
  change: (node: PipelineNode) => PipelineNode,
): Pipeline {
  const index = doc.nodes.findIndex((n) => n.id === id);
  if (index < 0) return doc;
  const before = doc.nodes[index]!;
  const after = change(before);
  if (after === before) return doc;
  const nodes = doc.nodes.slice();
  nodes[index] = after;
  return { ...doc, nodes };
}

/** Moves nodes; untouched nodes keep their identity. */
export function moveNodes(doc: Pipeline, positions: ReadonlyMap<string, Position>): Pipeline {
  if (positions.size === 0) return doc;
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = positions.get(n.id);
      return p ? { ...n, position: roundPosition(p) } : n;
    }),
  };
}

/** Removes nodes and edges, and every edge that touched a removed node. */
export function removeElements(
  doc: Pipeline,
  nodes: ReadonlySet<string>,
  edges: ReadonlySet<string>,
): Pipeline {
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !nodes.has(n.id)),
    edges: doc.edges.filter(
      (e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target),
    ),
  };
}

export interface Endpoints {
  readonly source: string;
  readonly sourcePort: string;
  readonly target: string;
  readonly targetPort: string;
}

/** An edge in canonical form: default ports are left out. */
export function newEdge(ends: Endpoints, taken: ReadonlySet<string>): PipelineEdge {
  let n = taken.size + 1;
  while (taken.has(`e${n}`)) n++;
  return {
    id: `e${n}`,
    source: ends.source,
    ...(ends.sourcePort !== DEFAULT_SOURCE_PORT && { sourcePort: ends.sourcePort }),
    target: ends.target,
    ...(ends.targetPort !== DEFAULT_TARGET_PORT && { targetPort: ends.targetPort }),
  };
}

export function addEdge(doc: Pipeline, edge: PipelineEdge): Pipeline {
  return { ...doc, edges: [...doc.edges, edge] };
}

export function sourcePort(edge: PipelineEdge): string {
  return edge.sourcePort ?? DEFAULT_SOURCE_PORT;
}

export function targetPort(edge: PipelineEdge): string {
  return edge.targetPort ?? DEFAULT_TARGET_PORT;
}

/** A copied piece of a pipeline: some nodes and the edges between them. */
export interface Fragment {
  readonly nodes: readonly PipelineNode[];
  readonly edges: readonly PipelineEdge[];
}

export function extractFragment(doc: Pipeline, ids: ReadonlySet<string>): Fragment {
  return {
    nodes: doc.nodes.filter((n) => ids.has(n.id)),
    edges: doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

/**
 * Adds a copy of a fragment, shifted by `offset`, with fresh ids. Returns the
 * new document and the ids of the pasted nodes.
 */
export function pasteFragment(
  doc: Pipeline,
  fragment: Fragment,
  offset: Position,
): { doc: Pipeline; nodeIds: string[] } {
  const takenNodes = nodeIds(doc);
  const renamed = new Map<string, string>();
  const nodes = fragment.nodes.map((n) => {
    const id = uniqueId(n.id.replace(/_\d+$/, ''), takenNodes);
    takenNodes.add(id);
    renamed.set(n.id, id);
    const p = n.position ?? { x: 0, y: 0 };
    return {
      ...structuredClone(n),
      id,
      position: roundPosition({ x: p.x + offset.x, y: p.y + offset.y }),
    };
  });
  const takenEdges = edgeIds(doc);
  const edges = fragment.edges.map((e) => {
    const edge = newEdge(
      {
        source: renamed.get(e.source)!,
        sourcePort: sourcePort(e),
        target: renamed.get(e.target)!,
        targetPort: targetPort(e),
      },
      takenEdges,
    );
    takenEdges.add(edge.id);
    return edge;
  });
  return {
    doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] },
    nodeIds: nodes.map((n) => n.id),
  };
}
