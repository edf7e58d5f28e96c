// The running graph of a job: one RunningNode per pipeline node, wired by
// its edges, each with its operator or source made from the pipeline's
// config; and the graph's state as a checkpoint keeps it.

import {
  type analyzePipeline,
  getOperator,
  type Pipeline,
  type PipelineEdge,
  type StreamSchema,
  type UpgradePlan,
} from '@sluice/shared';
import type { BlockReader, BlockWriter } from '../checkpoint/blocks.js';
import type { DataDir } from '../io/data-dir.js';
import type { JobInstance } from '../operator.js';
import { runtimeFor } from '../operators/registry.js';
import type { JobSnapshot } from './checkpoint.js';
import type { Clock } from './clock.js';
import { HotKeys } from './hot-keys.js';
import { type NodeHost, type NodeSnapshot, type OutgoingEdge, RunningNode } from './node.js';
import { StateStore } from './state.js';

export interface Graph {
  readonly nodes: readonly RunningNode[];
  readonly sources: readonly RunningNode[];
  /** Every edge by id, with the node it leaves. */
  readonly edges: ReadonlyMap<string, OutgoingEdge & { readonly source: string }>;
}

/** What every operator is handed besides its own node. */
export interface GraphEnvironment {
  readonly clock: Clock;
  readonly dataDir: DataDir;
  readonly stdout: (text: string) => void;
  readonly checkpointing: boolean;
  /** Names the job across its restarts (see JobOptions.jobId). */
  readonly jobId: string;
  readonly checkpointIntervalMs?: number;
  /** One of several instances of the job (see JobOptions.instance). */
  readonly instance?: JobInstance;
  /** See JobOptions.secrets. */
  readonly secret?: (name: string) => string | undefined;
}

/** A checkpoint that does not fit the pipeline it was to be restored into. */
export class RestoreError extends Error {
  override readonly name = 'RestoreError';
}

/** Builds the nodes and edges of a validated pipeline, and makes each node's operator or source. */
export function buildGraph(
  pipeline: Pipeline,
  analysis: ReturnType<typeof analyzePipeline>,
  host: NodeHost,
  environment: GraphEnvironment,
): Graph {
  const nodes: RunningNode[] = [];
  const sources: RunningNode[] = [];
  const edges = new Map<string, OutgoingEdge & { source: string }>();
  const byId = new Map<string, RunningNode>();
  for (const node of pipeline.nodes) {
    const running = new RunningNode(node.id, getOperator(node.kind)!, new StateStore(), host);
    byId.set(node.id, running);
    nodes.push(running);
  }
  const inputs = new Map<string, StreamSchema[][]>();
  for (const edge of pipeline.edges) {
    const source = byId.get(edge.source)!;
    const target = byId.get(edge.target)!;
    const out = source.definition.outputs.findIndex((p) => p.name === (edge.sourcePort ?? 'out'));
    const port = target.definition.inputs.findIndex((p) => p.name === (edge.targetPort ?? 'in'));
    const outgoing: OutgoingEdge = {
      edgeId: edge.id,
      target,
      port,
      slot: target.addSlot(),
      records: 0,
      taps: undefined,
    };
    source.outputs[out]!.push(outgoing);
    // Keep the edge object shared, so counts and taps on either reference agree.
    edges.set(edge.id, Object.assign(outgoing, { source: source.id }));
    const schema = analysis.schemas.get(edge.source)?.[edge.sourcePort ?? 'out'];
    const list = inputs.get(edge.target) ?? target.definition.inputs.map(() => []);
    if (schema) list[port]!.push(schema);
    inputs.set(edge.target, list);
  }
  for (const node of pipeline.nodes) {
    const running = byId.get(node.id)!;
    const runtime = runtimeFor(node.kind);
    const env = {
      ...environment,
      node,
      definition: running.definition,
      inputs: inputs.get(node.id) ?? [],
      outputs: running.definition.outputs.map((p) => analysis.schemas.get(node.id)?.[p.name]),
      state: running.state,
    };
    if (runtime.type === 'source') {
      running.source = runtime.create(env);
      sources.push(running);
    } else {
      const operator = runtime.create(env);
      running.operator = operator;
      if (operator.keyFields?.some((fields) => fields.length > 0))
        running.hotKeys = new HotKeys(operator.keyFields, environment.clock.now());
    }
  }
  return { nodes, sources, edges };
}

/** Every node and edge now, as a checkpoint keeps them. Call between batches. */
export function snapshotGraph(graph: Graph, blocks?: BlockWriter): JobSnapshot {
  const nodes: Record<string, NodeSnapshot> = {};
  for (const node of graph.nodes) nodes[node.id] = node.snapshot(blocks);
  const edges: Record<string, number> = {};
  for (const [id, edge] of graph.edges) edges[id] = edge.records;
  return { nodes, edges };
}

/**
 * A restore into an edited version of the pipeline the snapshot was taken of:
 * that version, and the plan (@sluice/shared's planUpgrade) from it to this one.
 */
export interface RestoreUpgrade {
  /** The version the snapshot was taken of. */
  readonly before: Pipeline;
  /** The version being restored into (the graph's). */
  readonly after: Pipeline;
  readonly plan: UpgradePlan;
}

/**
 * Puts every node back where a snapshot of the same pipeline left it, before
 * anything runs. Throws RestoreError, saying what differs, for a snapshot of
 * another pipeline. With `upgrade`, the snapshot is of an earlier version:
 * only the nodes the plan keeps or migrates get their state back (migrated
 * as it says); dropped and new ones start empty, at the watermark of what
 * feeds them, and a dropped source reads from its start.
 */
export function restoreGraph(
  graph: Graph,
  snapshot: JobSnapshot,
  blocks?: BlockReader,
  upgrade?: RestoreUpgrade,
): void {
  if (upgrade) {
    restoreUpgrade(graph, snapshot, blocks, upgrade);
  } else {
    checkSameNodes(graph, snapshot);
    for (const node of graph.nodes) restoreNode(node, snapshot.nodes[node.id]!, blocks);
  }
  for (const [id, edge] of graph.edges) edge.records = snapshot.edges[id] ?? 0;
}

function checkSameNodes(graph: Graph, snapshot: JobSnapshot): void {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const extra = Object.keys(snapshot.nodes).filter((id) => !ids.has(id));
  const missing = [...ids].filter((id) => !(id in snapshot.nodes));
  if (extra.length > 0 || missing.length > 0) {
    const parts = [
      missing.length > 0 ? `nodes ${missing.join(', ')} are not in it` : '',
      extra.length > 0 ? `it has nodes ${extra.join(', ')} the pipeline does not` : '',
    ].filter(Boolean);
    throw new RestoreError(
      `The checkpoint was taken of another version of this pipeline: ${parts.join('; ')}.`,
    );
  }
}

function restoreNode(
  node: RunningNode,
  saved: NodeSnapshot,
  blocks: BlockReader | undefined,
  slotsFrom?: readonly (number | undefined)[],
): void {
  if (saved.kind !== node.definition.kind) {
    throw new RestoreError(
      `The checkpoint was taken of another version of this pipeline: node '${node.id}' was a ${saved.kind}, it is now a ${node.definition.kind}.`,
    );
  }
  try {
    node.restore(saved, blocks, slotsFrom);
  } catch (error) {
    throw new RestoreError(
      `The checkpoint does not fit node '${node.id}' (${node.definition.kind}): ${messageOf(error)}.`,
    );
  }
}

/** What carries over in an upgrade: see restoreGraph. */
function restoreUpgrade(
  graph: Graph,
  snapshot: JobSnapshot,
  blocks: BlockReader | undefined,
  { before, after, plan }: RestoreUpgrade,
): void {
  const planned = new Map(plan.nodes.map((n) => [n.id, n]));
  const nodes = new Map(after.nodes.map((n) => [n.id, n]));
  const restored = new Set<string>();
  for (const node of graph.nodes) {
    const entry = planned.get(node.id);
    if (!entry)
      throw new RestoreError(`The upgrade plan does not say what to do with node '${node.id}'.`);
    if (entry.status === 'new' || entry.status === 'dropped') continue;
    const saved = snapshot.nodes[node.id];
    if (!saved) {
      throw new RestoreError(
        `The savepoint has no state for node '${node.id}', which the plan keeps: it was taken of another version.`,
      );
    }
    let state = saved.state;
    for (const step of entry.steps ?? []) {
      const runtime = runtimeFor(node.definition.kind);
      const migrate = runtime.type === 'operator' ? runtime.migrate : undefined;
      if (!migrate) {
        throw new RestoreError(
          `Node '${node.id}' (${node.definition.kind}) cannot carry its state over that way (${step.type}).`,
        );
      }
      try {
        state = migrate(state, step, nodes.get(node.id)!);
      } catch (error) {
        throw new RestoreError(
          `The state of node '${node.id}' could not be carried over: ${messageOf(error)}.`,
        );
      }
    }
    restoreNode(node, { ...saved, state }, blocks, slotsFrom(node.id, before.edges, after.edges));
    restored.add(node.id);
  }
  seedWatermarks(graph, restored);
}

/** Per input slot of a node in the new version, the slot of the old version fed by the same edge. */
function slotsFrom(
  id: string,
  before: readonly PipelineEdge[],
  after: readonly PipelineEdge[],
): (number | undefined)[] {
  const end = (e: PipelineEdge) =>
    JSON.stringify([e.source, e.sourcePort ?? 'out', e.targetPort ?? 'in']);
  const old = before.filter((e) => e.target === id).map(end);
  return after
    .filter((e) => e.target === id)
    .map((e) => {
      const at = old.indexOf(end(e));
      return at < 0 ? undefined : at;
    });
}

/**
 * Gives every input slot not restored the watermark its upstream node has
 * (restored, or seeded before it, upstream first), as if forwarded: a step
 * put in before a kept window does not hold it back to the start of time.
 */
function seedWatermarks(graph: Graph, restored: ReadonlySet<string>): void {
  const incoming = new Map<string, number>();
  for (const node of graph.nodes) incoming.set(node.id, 0);
  for (const edge of graph.edges.values())
    incoming.set(edge.target.id, incoming.get(edge.target.id)! + 1);
  const ready = graph.nodes.filter((n) => incoming.get(n.id) === 0);
  while (ready.length > 0) {
    const node = ready.shift()!;
    for (const edges of node.outputs) {
      for (const edge of edges) {
        edge.target.seedSlot(edge.slot, node.watermark, !restored.has(edge.target.id));
        const left = incoming.get(edge.target.id)! - 1;
        incoming.set(edge.target.id, left);
        if (left === 0) ready.push(edge.target);
      }
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
