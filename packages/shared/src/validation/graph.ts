// Graph facts the validator needs: the order to infer schemas in, and cycles.

export interface GraphEdge {
  readonly source: string;
  readonly target: string;
}

/**
 * Kahn's algorithm. Returns the nodes in topological order (ties in input
 * order) and, when there are cycles, the nodes left over.
 */
export function topologicalOrder(
  nodeIds: readonly string[],
  edges: readonly GraphEdge[],
): { order: string[]; cyclic: string[] } {
  const indegree = new Map(nodeIds.map((id) => [id, 0]));
  const outgoing = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const e of edges) {
    indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
    outgoing.get(e.source)?.push(e.target);
  }
  const ready = nodeIds.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i]!;
    order.push(id);
    for (const next of outgoing.get(id) ?? []) {
      const left = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  const placed = new Set(order);
  return { order, cyclic: nodeIds.filter((id) => !placed.has(id)) };
}

/** One cycle through `start` among `cyclic` nodes, as a list of ids ending where it began. */
export function findCycle(
  start: string,
  edges: readonly GraphEdge[],
  cyclic: ReadonlySet<string>,
): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (cyclic.has(e.source) && cyclic.has(e.target)) {
      const targets = next.get(e.source);
      if (targets) targets.push(e.target);
      else next.set(e.source, [e.target]);
    }
  }
  // Breadth-first search back to start gives the shortest cycle.
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const to of next.get(id) ?? []) {
      if (to === start) {
        const path = [id];
        for (let p = parent.get(id); p !== undefined; p = parent.get(p)) path.push(p);
        return [...path.reverse(), start];
      }
      if (!parent.has(to) && to !== start) {
        parent.set(to, id);
        queue.push(to);
      }
    }
  }
  return [start];
}

/** Items by key, each group in input order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
