// What changed between two versions of a pipeline: nodes added, removed and
// changed (with the fields that changed), connections added and removed, and
// the pipeline's own settings. Positions are layout, not meaning: moving nodes
// changes nothing here. Nodes are matched by id (ids are stable across edits),
// connections by their ends, not by their ids.
import { getOperator } from '../catalog/catalog.js';
import type { Pipeline, PipelineEdge, PipelineNode } from './pipeline.js';

/** One field that differs, by its path in the node (`config.window.size`, `label`). */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export type NodeChangeStatus = 'added' | 'removed' | 'changed';

export interface NodeChange {
  readonly id: string;
  readonly kind: string;
  /** How the node is named on the canvas: its label, or its kind's name and its id. */
  readonly name: string;
  readonly status: NodeChangeStatus;
  /** For a changed node, what changed; empty for added and removed ones. */
  readonly fields: readonly FieldChange[];
}

export interface PipelineDiff {
  /** The nodes that differ, in the order of the newer document (removed ones last). */
  readonly nodes: readonly NodeChange[];
  readonly edgesAdded: readonly PipelineEdge[];
  readonly edgesRemoved: readonly PipelineEdge[];
  /** The document's name, description and settings (`settings.checkpoints.interval`). */
  readonly document: readonly FieldChange[];
  /** Nodes whose position alone changed. */
  readonly moved: number;
}

export function diffPipelines(before: Pipeline, after: Pipeline): PipelineDiff {
  const old = new Map(before.nodes.map((node) => [node.id, node]));
  const kept = new Set<string>();
  const nodes: NodeChange[] = [];
  let moved = 0;
  for (const node of after.nodes) {
    const previous = old.get(node.id);
    if (!previous) {
      nodes.push(nodeChange(node, 'added', []));
      continue;
    }
    kept.add(node.id);
    const fields: FieldChange[] = [];
    for (const key of ['kind', 'label', 'description'] as const)
      if (previous[key] !== node[key])
        fields.push({ path: key, before: previous[key], after: node[key] });
    compareValues('config', previous.config ?? {}, node.config ?? {}, fields);
    if (fields.length > 0) nodes.push(nodeChange(node, 'changed', fields));
    else if (!samePosition(previous.position, node.position)) moved++;
  }
  for (const node of before.nodes)
    if (!kept.has(node.id)) nodes.push(nodeChange(node, 'removed', []));

  const document: FieldChange[] = [];
  if (before.name !== after.name)
    document.push({ path: 'name', before: before.name, after: after.name });
  if ((before.description ?? '') !== (after.description ?? ''))
    document.push({ path: 'description', before: before.description, after: after.description });
  compareValues('settings', before.settings ?? {}, after.settings ?? {}, document);

  const ends = (edge: PipelineEdge) =>
    JSON.stringify([edge.source, edge.sourcePort ?? '', edge.target, edge.targetPort ?? '']);
  const beforeEnds = new Set(before.edges.map(ends));
  const afterEnds = new Set(after.edges.map(ends));
  return {
    nodes,
    edgesAdded: after.edges.filter((edge) => !beforeEnds.has(ends(edge))),
    edgesRemoved: before.edges.filter((edge) => !afterEnds.has(ends(edge))),
    document,
    moved,
  };
}

/** True when the diff holds no change of meaning (moves alone do not count). */
export function isEmptyDiff(diff: PipelineDiff): boolean {
  return (
    diff.nodes.length === 0 &&
    diff.edgesAdded.length === 0 &&
    diff.edgesRemoved.length === 0 &&
    diff.document.length === 0
  );
}

/** The node's fields that changed, as short names (`window.size`, `label`), each once. */
export function changedFieldNames(change: NodeChange): string[] {
  return [...new Set(change.fields.map((field) => field.path.replace(/^config\./, '')))];
}

/**
 * One line that says what changed, for a version history: "Added Filter
 * “big”; changed Window “per minute” (window.size); 1 connection added".
 * Past a few nodes it counts instead of naming them.
 */
export function summarizeDiff(diff: PipelineDiff): string {
  const parts: string[] = [];
  const of = (status: NodeChangeStatus) => diff.nodes.filter((node) => node.status === status);
  const verbs: Record<NodeChangeStatus, string> = {
    added: 'added',
    removed: 'removed',
    changed: 'changed',
  };
  const named = diff.nodes.length <= 3;
  for (const status of ['added', 'changed', 'removed'] as const) {
    const changes = of(status);
    if (changes.length === 0) continue;
    if (named) {
      for (const change of changes) {
        const fields = status === 'changed' ? ` (${shortList(changedFieldNames(change), 3)})` : '';
        parts.push(`${verbs[status]} ${change.name}${fields}`);
      }
    } else {
      parts.push(`${verbs[status]} ${changes.length} ${changes.length === 1 ? 'node' : 'nodes'}`);
    }
  }
  const connections = (count: number, verb: string) => {
    if (count > 0) parts.push(`${count} ${count === 1 ? 'connection' : 'connections'} ${verb}`);
  };
  connections(diff.edgesAdded.length, 'added');
  connections(diff.edgesRemoved.length, 'removed');
  const renamed = diff.document.find((field) => field.path === 'name');
  if (renamed) parts.push(`renamed to “${String(renamed.after)}”`);
  const settings = diff.document.filter((field) => field.path !== 'name').map((f) => f.path);
  if (settings.length > 0) parts.push(`changed ${shortList(settings, 2)}`);
  if (parts.length === 0) return diff.moved > 0 ? 'Moved nodes only' : 'No changes';
  const line = parts.join('; ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}

function shortList(items: readonly string[], limit: number): string {
  if (items.length <= limit) return items.join(', ');
  return `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}

function nodeChange(
  node: PipelineNode,
  status: NodeChangeStatus,
  fields: FieldChange[],
): NodeChange {
  return { id: node.id, kind: node.kind, name: nodeName(node), status, fields };
}

/** How the canvas names a node: its label, or its kind's name and its id. */
export function nodeName(node: PipelineNode): string {
  const kindName = getOperator(node.kind)?.label ?? node.kind;
  return node.label?.trim() ? `${kindName} “${node.label.trim()}”` : `${kindName} ${node.id}`;
}

function samePosition(a: PipelineNode['position'], b: PipelineNode['position']): boolean {
  return (a?.x ?? 0) === (b?.x ?? 0) && (a?.y ?? 0) === (b?.y ?? 0);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Adds the leaves where `a` and `b` differ. Objects are compared key by key;
 * arrays of the same length item by item (`aggregates[1].field`); arrays of
 * another length, and values of other types, as a whole.
 */
function compareValues(path: string, a: unknown, b: unknown, out: FieldChange[]): void {
  if (Object.is(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of [...keys].sort()) compareValues(`${path}.${key}`, a[key], b[key], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let index = 0; index < a.length; index++)
      compareValues(`${path}[${index}]`, a[index], b[index], out);
    return;
  }
  out.push({ path, before: a, after: b });
}
