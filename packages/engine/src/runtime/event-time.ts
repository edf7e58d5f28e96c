// The event-time view of one node: its inputs' watermarks and which holds it
// back, a Kafka source's partitions, the windows it has yet to fire, its
// latest late records, and, walking upstream along the inputs that hold each
// node back, the source (and partition) the whole chain waits for. Built on
// demand from what the runtime already tracks; nothing here is on the hot path.
import type { EventTimeView, InputTime, PartitionTime } from '@sluice/shared';
import type { Graph } from './graph.js';
import type { RunningNode } from './node.js';

/** How many windows or sessions the view lists. */
export const PENDING_SHOWN = 20;

const time = (watermark: number) => (Number.isFinite(watermark) ? watermark : null);

function inputsOf(node: RunningNode, edges: Graph['edges']): InputTime[] {
  const inputs: InputTime[] = [];
  for (const [edgeId, edge] of edges) {
    if (edge.target !== node) continue;
    const slot = node.slot(edge.slot);
    inputs.push({
      edgeId,
      from: edge.source,
      watermark: slot.ended ? null : time(slot.watermark),
      idle: slot.idle && !slot.ended,
      ended: slot.ended,
      holding: false,
    });
  }
  // The node waits for the lowest of its inputs that are neither idle nor ended.
  let holding: InputTime | undefined;
  for (const input of inputs) {
    if (input.idle || input.ended) continue;
    if (holding === undefined || (input.watermark ?? -Infinity) < (holding.watermark ?? -Infinity))
      holding = input;
  }
  if (holding) holding.holding = true;
  return inputs;
}

export function explainNode(
  node: RunningNode,
  nodes: readonly RunningNode[],
  edges: Graph['edges'],
  now: number,
  speed: number | null,
): EventTimeView {
  const inputs = inputsOf(node, edges);
  const partitions = node.source?.partitions?.(now);
  const pending = node.operator?.pending?.(PENDING_SHOWN);
  const heldBy = holderOf(node, nodes, edges, now);
  // A Kafka source's per-partition timeout, else the source's own.
  const idleTimeoutMs = node.source?.partitionIdleMs ?? node.source?.idleTimeoutMs;
  return {
    nodeId: node.id,
    at: now,
    watermark: time(node.watermark),
    speed,
    inputs,
    ...(partitions ? { partitions } : {}),
    ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
    ...(pending ? { pending } : {}),
    late: { total: node.counters.late, recent: [...node.recentLate] },
    ...(heldBy ? { heldBy } : {}),
  };
}

/**
 * The source (and partition) the whole job's event time waits for: the holder
 * of its slowest sink. Undefined while no sink waits on one with event time
 * (no source has any, or every input has ended).
 */
export function jobHeldBy(
  nodes: readonly RunningNode[],
  edges: Graph['edges'],
  now: number,
): EventTimeView['heldBy'] {
  const feeding = new Set<string>();
  for (const edge of edges.values()) feeding.add(edge.source);
  let slowest: RunningNode | undefined;
  for (const node of nodes) {
    if (feeding.has(node.id) || node.watermark === Number.POSITIVE_INFINITY) continue;
    if (slowest === undefined || node.watermark < slowest.watermark) slowest = node;
  }
  if (slowest === undefined) return undefined;
  return holderOf(slowest, nodes, edges, now);
}

/** Upstream along the holding inputs to the source (and its holding partition) they start from. */
function holderOf(
  start: RunningNode,
  nodes: readonly RunningNode[],
  edges: Graph['edges'],
  now: number,
): EventTimeView['heldBy'] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let node = start;
  for (let hops = 0; hops <= nodes.length; hops++) {
    if (node.source) {
      // A source without event time holds nothing back: its watermark never moves.
      if (!node.source.watermark) return undefined;
      const partitions = node.source.partitions?.(now);
      const partition: PartitionTime | undefined = partitions?.find((p) => p.holding);
      if (partitions && !partition) return undefined;
      const idleTimeoutMs = partition ? node.source.partitionIdleMs : node.source.idleTimeoutMs;
      return {
        nodeId: node.id,
        ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
        ...(partition
          ? {
              topic: partition.topic,
              partition: partition.partition,
              watermark: partition.watermark,
              behind: (partitions ?? []).some(
                (p) =>
                  p !== partition &&
                  p.owned &&
                  (p.watermark ?? -Infinity) > (partition.watermark ?? -Infinity),
              ),
              ...(partition.idleForMs === null ? {} : { idleForMs: partition.idleForMs }),
            }
          : { watermark: time(node.watermark) }),
      };
    }
    const holding = inputsOf(node, edges).find((i) => i.holding);
    const upstream = holding && byId.get(holding.from);
    if (!upstream) return undefined;
    node = upstream;
  }
  return undefined;
}
