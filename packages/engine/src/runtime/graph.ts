// The running graph of a job: one RunningNode per pipeline node, wired by
// its edges, each with its operator or source made from the pipeline's
// config; and the graph's state as a checkpoint keeps it.
import {
  type analyzePipeline,
  getOperator,
  type Pipeline,
  type StreamSchema,
} from '@sluice/shared';
import type { BlockReader, BlockWriter } from '../checkpoint/blocks.js';
import type { DataDir } from '../io/data-dir.js';
import { runtimeFor } from '../operators/registry.js';
import type { JobSnapshot } from './checkpoint.js';
import type { Clock } from './clock.js';
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
      running.operator = runtime.create(env);
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
 * Puts every node back where a snapshot of the same pipeline left it, before
 * anything runs. Throws RestoreError, saying what differs, for a snapshot of
 * another pipeline.
 */
export function restoreGraph(graph: Graph, snapshot: JobSnapshot, blocks?: BlockReader): void {
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
  for (const node of graph.nodes) {
    const saved = snapshot.nodes[node.id]!;
    if (saved.kind !== node.definition.kind) {
      throw new RestoreError(
        `The checkpoint was taken of another version of this pipeline: node '${node.id}' was a ${saved.kind}, it is now a ${node.definition.kind}.`,
      );
    }
    try {
      node.restore(saved, blocks);
    } catch (error) {
      throw new RestoreError(
        `The checkpoint does not fit node '${node.id}' (${node.definition.kind}): ${messageOf(error)}.`,
      );
    }
  }
  for (const [id, edge] of graph.edges) edge.records = snapshot.edges[id] ?? 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
