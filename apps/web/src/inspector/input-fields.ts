// The fields flowing into a node, from schema inference: what the field
// pickers offer and what expression completion suggests.
import type { Field, PipelineEdge, StreamSchema } from '@sluice/shared';
import { sourcePort, targetPort } from '../document/document.js';

/** Fields arriving at `nodeId` on `port` (every input when absent), each name once. */
export function inputFields(
  edges: readonly PipelineEdge[],
  schemas: ReadonlyMap<string, Readonly<Record<string, StreamSchema>>>,
  nodeId: string,
  port?: string,
): Field[] {
  const fields = new Map<string, Field>();
  for (const edge of edges) {
    if (edge.target !== nodeId || (port !== undefined && targetPort(edge) !== port)) continue;
    for (const field of schemas.get(edge.source)?.[sourcePort(edge)]?.fields ?? []) {
      if (!fields.has(field.name)) fields.set(field.name, field);
    }
  }
  return [...fields.values()];
}

/** The schemas arriving at `nodeId`, by input port: what its operator's inference is handed. */
export function inputSchemas(
  edges: readonly PipelineEdge[],
  schemas: ReadonlyMap<string, Readonly<Record<string, StreamSchema>>>,
  nodeId: string,
): Record<string, StreamSchema[]> {
  const inputs: Record<string, StreamSchema[]> = {};
  for (const edge of edges) {
    if (edge.target !== nodeId) continue;
    const schema = schemas.get(edge.source)?.[sourcePort(edge)];
    if (!schema) continue;
    inputs[targetPort(edge)] ??= [];
    inputs[targetPort(edge)]!.push(schema);
  }
  return inputs;
}

/** A config path (`aggregates[0].expr`) from an rjsf widget id (`cfg.aggregates.0.expr`). */
export function configPath(widgetId: string): string {
  return widgetId
    .split('.')
    .slice(1)
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}
