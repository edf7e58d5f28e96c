// The upgrade planner: what deploying an edited version of a running (or
// savepointed) pipeline does to each node's state. Nodes are matched by id
// (ids are stable across edits), as in the diff this builds on; what each
// changed config field does to the state is declared by its kind's catalog
// entry (../catalog/state.ts). The engine restores only what the plan keeps,
// and carries over what it migrates, the way the plan says.

import type { NodePlan, NodePlanStatus, StateStep, UpgradePlan } from '../api/upgrade.js';
import { getOperator } from '../catalog/catalog.js';
import { withDefaults } from '../catalog/configured.js';
import type { OperatorDefinition } from '../catalog/operator.js';
import type { MigrationVerdict, StateRole } from '../catalog/state.js';
import type { StreamSchema } from '../schema/field.js';
import { topologicalOrder } from '../validation/graph.js';
import { analyzePipeline } from '../validation/validate.js';
import { diffPipelines, type FieldChange, nodeName } from './diff.js';
import type { Pipeline, PipelineNode } from './pipeline.js';

export type { NodePlan, NodePlanStatus, UpgradePlan } from '../api/upgrade.js';

/** The plan for restoring the state of `before` (as a savepoint holds it) into `after`. */
export function planUpgrade(before: Pipeline, after: Pipeline): UpgradePlan {
  const diff = diffPipelines(before, after);
  const changedFields = new Map(diff.nodes.map((change) => [change.id, change.fields]));
  const old = new Map(before.nodes.map((node) => [node.id, node]));
  const schemas = { before: inputSchemas(before), after: inputSchemas(after) };
  const nodes: NodePlan[] = [];
  // In the order records flow (sources first), as a reader of the plan follows the graph.
  for (const node of flowOrder(after)) {
    const previous = old.get(node.id);
    nodes.push(
      previous
        ? planNode(previous, node, changedFields.get(node.id) ?? [], schemas)
        : newNode(node),
    );
  }
  const kept = new Set(after.nodes.map((node) => node.id));
  for (const node of before.nodes) if (!kept.has(node.id)) nodes.push(removedNode(node));
  const dropsState = nodes.some((n) => n.status === 'dropped');
  return { nodes, dropsState, notes: notesOn(nodes, after), summary: summarize(nodes) };
}

function flowOrder(pipeline: Pipeline): PipelineNode[] {
  const byId = new Map(pipeline.nodes.map((node) => [node.id, node]));
  const { order } = topologicalOrder([...byId.keys()], pipeline.edges);
  const placed = new Set(order);
  return [
    ...order.map((id) => byId.get(id)!),
    ...pipeline.nodes.filter((node) => !placed.has(node.id)),
  ];
}

type Schemas = Record<'before' | 'after', Map<string, string>>;

function planNode(
  previous: PipelineNode,
  node: PipelineNode,
  fields: readonly FieldChange[],
  schemas: Schemas,
): NodePlan {
  const definition = getOperator(node.kind);
  const base = { id: node.id, kind: node.kind, name: nodeName(node) };
  const isSource = definition?.category === 'source';
  const dropped = (field: string, says: string): NodePlan => ({
    ...base,
    status: 'dropped',
    field,
    says,
    ...(isSource ? { position: 'reset' as const } : {}),
  });
  if (!definition) return dropped('kind', `Sluice does not know the kind '${node.kind}'.`);
  if (previous.kind !== node.kind) {
    const was = getOperator(previous.kind)?.label ?? previous.kind;
    return dropped('kind', `It was a ${was} and is now a ${definition.label}: it starts empty.`);
  }
  const declaration = definition.state;
  const stateless = declaration.holds === null;
  const holds = declaration.holds ?? '';
  const b = withDefaults(definition, previous.config) as Record<string, unknown>;
  const a = withDefaults(definition, node.config) as Record<string, unknown>;

  const drops: { field: string; says: string }[] = [];
  const migrations: { says: string; step?: StateStep }[] = [];
  const untouched: string[] = [];
  for (const key of topLevelKeys(fields)) {
    if (sameValue(b[key], a[key])) continue;
    const path = firstPath(fields, key);
    const role = (declaration.fields as Record<string, StateRole<unknown>>)[key] ?? 'shapes';
    if (role === 'free') untouched.push(titleOf(definition, key));
    else if (role === 'shapes')
      drops.push({ field: path, says: `${titleOf(definition, key)} (${path}) changed` });
    else {
      const verdict: MigrationVerdict = role.migrate(b, a);
      if ('drop' in verdict) drops.push({ field: path, says: verdict.drop });
      else migrations.push(verdict);
    }
  }
  if (declaration.keepsInputRecords && !stateless) {
    const was = schemas.before.get(node.id);
    const is = schemas.after.get(node.id);
    if (was !== is)
      drops.push({
        field: 'input',
        says: 'the records coming in have other fields than the ones it keeps',
      });
  }

  if (drops.length > 0) {
    const what = isSource ? `It reads again from its start: ${holds} is lost` : 'It starts empty';
    return dropped(drops[0]!.field, `${what} because ${drops.map((d) => d.says).join('; ')}.`);
  }
  const position = isSource ? { position: 'kept' as const } : {};
  if (stateless) {
    return { ...base, status: 'stateless', says: 'It keeps no state: nothing to carry over.' };
  }
  const untouchedNote =
    untouched.length > 0
      ? ` Its ${untouched.join(', ')} changed, which does not touch what it keeps.`
      : '';
  if (migrations.length > 0) {
    const steps = migrations.flatMap((m) => (m.step ? [m.step] : []));
    return {
      ...base,
      status: 'migrated',
      says: `It keeps ${holds}: ${migrations.map((m) => m.says).join('; ')}.${untouchedNote}`,
      ...(steps.length > 0 ? { steps } : {}),
      ...position,
    };
  }
  return { ...base, status: 'kept', says: `It keeps ${holds}.${untouchedNote}`, ...position };
}

function newNode(node: PipelineNode): NodePlan {
  const definition = getOperator(node.kind);
  const says =
    definition?.category === 'source'
      ? 'A new source: it reads from its start, as its settings say.'
      : definition?.state.holds === null
        ? 'A new step; it keeps no state.'
        : 'A new step: it starts empty.';
  return { id: node.id, kind: node.kind, name: nodeName(node), status: 'new', says };
}

function removedNode(node: PipelineNode): NodePlan {
  const holds = getOperator(node.kind)?.state.holds;
  const says = holds ? `Removed: ${holds} goes with it.` : 'Removed.';
  return { id: node.id, kind: node.kind, name: nodeName(node), status: 'removed', says };
}

/** A source that reads again from its start, upstream of state that is kept, counts records twice there. */
function notesOn(nodes: readonly NodePlan[], after: Pipeline): string[] {
  const status = new Map(nodes.map((n) => [n.id, n.status]));
  const downstream = new Map<string, string[]>();
  for (const edge of after.edges)
    downstream.set(edge.source, [...(downstream.get(edge.source) ?? []), edge.target]);
  const notes: string[] = [];
  for (const source of nodes) {
    if (source.position !== 'reset') continue;
    const seen = new Set<string>();
    const queue = [...(downstream.get(source.id) ?? [])];
    const keeping: string[] = [];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const s = status.get(id);
      if (s === 'kept' || s === 'migrated') keeping.push(nodes.find((n) => n.id === id)!.name);
      queue.push(...(downstream.get(id) ?? []));
    }
    if (keeping.length > 0) {
      notes.push(
        `${source.name} reads again from its start while ${keeping.join(', ')} ${keeping.length === 1 ? 'keeps its' : 'keep their'} state: records read before count again there.`,
      );
    }
  }
  return notes;
}

function summarize(nodes: readonly NodePlan[]): string {
  const order: NodePlanStatus[] = ['kept', 'migrated', 'dropped', 'new', 'removed', 'stateless'];
  const words: Record<NodePlanStatus, string> = {
    kept: 'kept',
    migrated: 'migrated',
    dropped: 'dropped',
    new: 'new',
    removed: 'removed',
    stateless: 'without state',
  };
  const parts = order.flatMap((status) => {
    const n = nodes.filter((node) => node.status === status).length;
    return n === 0 ? [] : [`${n} ${words[status]}`];
  });
  return parts.length === 0 ? 'Nothing to deploy' : parts.join(', ');
}

/** Per node, the schemas arriving on its inputs, as one comparable string. */
function inputSchemas(pipeline: Pipeline): Map<string, string> {
  const { schemas } = analyzePipeline(pipeline);
  const inputs = new Map<string, Record<string, StreamSchema[]>>();
  for (const edge of pipeline.edges) {
    const schema = schemas.get(edge.source)?.[edge.sourcePort ?? 'out'];
    const port = edge.targetPort ?? 'in';
    const byPort = inputs.get(edge.target) ?? {};
    byPort[port] = [...(byPort[port] ?? []), ...(schema ? [schema] : [])];
    inputs.set(edge.target, byPort);
  }
  return new Map(
    [...inputs].map(([id, byPort]) => [
      id,
      canonical(
        Object.fromEntries(
          Object.entries(byPort).map(([port, list]) => [
            port,
            list.map((s) => s.fields.map((f) => [f.name, f.type])),
          ]),
        ),
      ),
    ]),
  );
}

/** `config.window.size` → `window`; `label` and `description` are not config. */
function topLevelKeys(fields: readonly FieldChange[]): string[] {
  const keys = new Set<string>();
  for (const { path } of fields) {
    const match = /^config\.([^.[]+)/.exec(path);
    if (match) keys.add(match[1]!);
  }
  return [...keys];
}

function firstPath(fields: readonly FieldChange[], key: string): string {
  const path = fields.find((f) => f.path === `config.${key}` || f.path.startsWith(`config.${key}`));
  return path ? path.path.replace(/^config\./, '') : key;
}

function titleOf(definition: OperatorDefinition, key: string): string {
  const properties = (definition.config as { properties?: Record<string, { title?: string }> })
    .properties;
  return properties?.[key]?.title ?? key;
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with sorted keys; +Infinity (an unbounded limit) kept apart from null. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => {
    if (v === Number.POSITIVE_INFINITY) return '+Infinity';
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, (v as Record<string, unknown>)[k]]),
      );
    }
    return v;
  });
}
