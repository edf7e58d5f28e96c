// Whether a connection being dragged may be made, and why not. The canvas
// refuses what validation would reject anyway, so the analyst sees it at once.
import type { Pipeline } from '@sluice/shared';
import type { Catalog } from '../catalog/catalog.js';
import { type Endpoints, sourcePort, targetPort } from './document.js';

/** A reason the connection is refused, in the analyst's words, or undefined when it is fine. */
export function connectionProblem(
  doc: Pipeline,
  catalog: Catalog,
  ends: Endpoints,
): string | undefined {
  if (ends.source === ends.target) return 'A step cannot feed itself.';
  const source = doc.nodes.find((n) => n.id === ends.source);
  const target = doc.nodes.find((n) => n.id === ends.target);
  if (!source || !target) return 'Both ends must be steps on the canvas.';
  const output = catalog.byKind.get(source.kind)?.outputs.find((p) => p.name === ends.sourcePort);
  if (!output) return `${source.label ?? source.id} has no output named ${ends.sourcePort}.`;
  const input = catalog.byKind.get(target.kind)?.inputs.find((p) => p.name === ends.targetPort);
  if (!input) return `${target.label ?? target.id} has no input named ${ends.targetPort}.`;
  const into = doc.edges.filter((e) => e.target === ends.target && targetPort(e) === input.name);
  if (into.some((e) => e.source === ends.source && sourcePort(e) === ends.sourcePort)) {
    return 'These two ports are already connected.';
  }
  if (!input.multiple && into.length > 0) {
    return `The ${input.label} input of ${target.label ?? target.id} already has a connection.`;
  }
  if (reaches(doc, ends.target, ends.source)) {
    return 'This connection would make a loop; a pipeline must flow one way.';
  }
  return undefined;
}

/** Whether `to` can be reached from `from` by following edges. */
export function reaches(doc: Pipeline, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of doc.edges) {
    const list = next.get(e.source);
    if (list) list.push(e.target);
    else next.set(e.source, [e.target]);
  }
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}
