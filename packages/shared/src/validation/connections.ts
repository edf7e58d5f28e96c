// The connections: each to a real node and port, each input fed as its port
// allows, each required output used. Connections are grouped once, so each
// node looks only at its own.
import type { Diagnostic } from './diagnostic.js';
import { groupBy } from './graph.js';
import { error, type UsableEdge, type UsableNode, warning } from './usable.js';

export function checkEdges(
  edges: UsableEdge[],
  byId: Map<string, UsableNode>,
  out: Diagnostic[],
): UsableEdge[] {
  const connected: UsableEdge[] = [];
  const seen = new Set<string>();
  for (const e of edges) {
    const at = { edgeId: e.id };
    const source = byId.get(e.source);
    const target = byId.get(e.target);
    let ok = true;
    for (const [end, node, name] of [
      ['source', source, e.source],
      ['target', target, e.target],
    ] as const) {
      if (!node) {
        out.push({
          ...error(
            'edge.dangling',
            `Connection '${e.id}' has the ${end} '${name}', but there is no node with that id.`,
          ),
          ...at,
          path: `edges[${e.index}].${end}`,
        });
        ok = false;
      }
    }
    if (source?.operator && !source.operator.outputs.some((p) => p.name === e.sourcePort)) {
      out.push({
        ...error(
          'edge.unknown-port',
          portMessage(e, 'output', e.sourcePort, source.operator.outputs),
        ),
        ...at,
        nodeId: source.id,
        path: `edges[${e.index}].sourcePort`,
      });
      ok = false;
    }
    if (target?.operator && !target.operator.inputs.some((p) => p.name === e.targetPort)) {
      out.push({
        ...error(
          'edge.unknown-port',
          portMessage(e, 'input', e.targetPort, target.operator.inputs),
        ),
        ...at,
        nodeId: target.id,
        path: `edges[${e.index}].targetPort`,
      });
      ok = false;
    }
    const key = `${e.source}\u0000${e.sourcePort}\u0000${e.target}\u0000${e.targetPort}`;
    if (ok && seen.has(key)) {
      out.push({
        ...warning(
          'edge.duplicate',
          `Connection '${e.id}' repeats another connection between the same ports; records would arrive twice.`,
        ),
        ...at,
        path: `edges[${e.index}]`,
      });
    }
    seen.add(key);
    if (ok && source && target) connected.push(e);
  }
  return connected;
}

function portMessage(
  e: UsableEdge,
  side: string,
  port: string,
  ports: readonly { name: string }[],
) {
  const names = ports.map((p) => p.name);
  return names.length === 0
    ? `Connection '${e.id}' uses the ${side} '${port}', but this node has no ${side}s.`
    : `Connection '${e.id}' uses the ${side} '${port}', which does not exist here (${side}s: ${names.join(', ')}).`;
}

export function checkPorts(nodes: UsableNode[], edges: UsableEdge[], out: Diagnostic[]): void {
  // Grouped once, so each node looks only at its own connections.
  const into = groupBy(edges, (e) => `${e.target}\u0000${e.targetPort}`);
  const outOf = new Set(edges.map((e) => `${e.source}\u0000${e.sourcePort}`));
  for (const node of nodes) {
    const op = node.operator;
    if (!op) continue;
    const at = { nodeId: node.id, path: `nodes[${node.index}]` };
    for (const port of op.inputs) {
      const incoming = into.get(`${node.id}\u0000${port.name}`) ?? [];
      if (incoming.length === 0) {
        out.push({
          ...error(
            'node.input-missing',
            `${op.label} '${node.id}' needs a connection into its '${port.label}' input.`,
          ),
          ...at,
        });
      } else if (incoming.length > 1 && !port.multiple) {
        out.push({
          ...error(
            'node.input-taken',
            `${op.label} '${node.id}' takes one connection into '${port.label}', but has ${incoming.length}. Use a Union node to merge streams first.`,
          ),
          ...at,
          edgeId: incoming[1]!.id,
        });
      }
    }
    for (const port of op.outputs) {
      if (port.optional) continue;
      if (!outOf.has(`${node.id}\u0000${port.name}`)) {
        out.push({
          ...warning(
            'node.output-unused',
            `The '${port.label}' output of ${op.label} '${node.id}' leads nowhere; its records are dropped.`,
          ),
          ...at,
        });
      }
    }
  }
}
