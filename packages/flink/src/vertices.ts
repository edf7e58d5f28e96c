// Which Flink vertex each node of a pipeline runs in. Flink chains operators
// into vertices named after them, "Source: orders[1] -> Calc[2] ->
// LocalWindowAggregate[3]": sources and sinks carry their table's name (the
// node's id, as the compiler names them), stateful steps the operator they
// became (a window aggregate is a WindowAggregate), and stateless steps
// (filters, computed fields, unions) are Calcs chained to their input, so
// they share its vertex.
import type { Pipeline } from '@sluice/shared';
import { topological } from './compile.js';

export interface Vertex {
  readonly id: string;
  readonly name: string;
}

/** The operator Flink makes of each stateful kind, as it appears in vertex names. */
const OPERATOR: Readonly<Record<string, RegExp>> = {
  'window.aggregate': /^(Global)?WindowAggregate\[/,
  'join.window': /^WindowJoin\[/,
  'join.interval': /^IntervalJoin\[/,
  'join.regular': /^Join\[/,
  'transform.aggregate': /^(Global)?GroupAggregate\[/,
  'transform.topn': /^(Append|Retract|Update)?Rank\[|^Rank\[/,
  'transform.dedupe': /^(RowTime|ProcTime)?Deduplicate/,
};

/** Where a node runs: its vertex, and the operator in it that is the node's own, when it has one. */
export interface Placement {
  readonly vertex: string;
  /** The operator's name in Flink's metrics (`Source__orders[1]`): its own figures. */
  readonly operator?: string;
}

/** The name Flink gives an operator in its metrics: every character but letters, digits, [ ] . - as _. */
export function metricName(segment: string): string {
  return segment.replace(/[^A-Za-z0-9_[\].-]/g, '_');
}

/** Each node's vertex, for the nodes that could be placed. */
export function mapVertices(
  pipeline: Pipeline,
  vertices: readonly Vertex[],
): Map<string, Placement> {
  const placed = new Map<string, Placement>();
  const segments = vertices.flatMap((v) =>
    v.name.split(' -> ').map((segment) => ({ vertex: v.id, segment: segment.trim() })),
  );
  const used = new Set<number>();
  for (const node of topological(pipeline)) {
    const category = node.kind.split('.')[0];
    let index = -1;
    if (category === 'source') {
      index = segments.findIndex((s) => s.segment.startsWith(`Source: ${node.id}[`));
    } else if (category === 'sink') {
      index = segments.findIndex(
        (s) => s.segment.startsWith(`${node.id}[`) || s.segment.startsWith(`Sink: ${node.id}[`),
      );
    } else if (OPERATOR[node.kind]) {
      const pattern = OPERATOR[node.kind]!;
      index = segments.findIndex((s, i) => !used.has(i) && pattern.test(s.segment));
    }
    if (index !== -1) {
      used.add(index);
      const { vertex, segment } = segments[index]!;
      // A sink's segments are "out[6]: Writer" and "out[6]: Committer": the writer's are its figures.
      placed.set(node.id, { vertex, operator: metricName(segment) });
      continue;
    }
    // A stateless step runs chained to its (first) input.
    const input = pipeline.edges.find((e) => e.target === node.id);
    const vertex = input === undefined ? undefined : placed.get(input.source)?.vertex;
    if (vertex !== undefined) placed.set(node.id, { vertex });
  }
  return placed;
}
