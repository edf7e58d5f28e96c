// Canonical export: two exports of the same pipeline are byte-identical, and
// a small edit makes a small diff. Nodes and edges are sorted by id, keys come
// in a fixed order (config keys in their schema's order), default ports and
// empty optional values are left out, positions are whole numbers.
import type { TSchema } from 'typebox';
import { getOperator } from '../catalog/catalog.js';
import { RESERVED_FIELD_NAMES } from '../schema/field.js';
import { PIPELINE_LIMITS, pathPastDepth } from './limits.js';
import {
  DEFAULT_SOURCE_PORT,
  DEFAULT_TARGET_PORT,
  type Pipeline,
  type PipelineEdge,
  type PipelineNode,
} from './pipeline.js';

/**
 * The canonical form of a pipeline. Throws a RangeError naming the limit for
 * a document nested deeper than readers accept (validation refuses those
 * first), rather than overflowing the stack in the key ordering below.
 */
export function canonicalPipeline(pipeline: Pipeline): Pipeline {
  const deep = pathPastDepth(pipeline, PIPELINE_LIMITS.depth);
  if (deep !== undefined) {
    throw new RangeError(
      `The pipeline cannot be written out: the value at ${deep} is nested more than ${PIPELINE_LIMITS.depth} levels deep.`,
    );
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return compact({
    format: pipeline.format,
    name: pipeline.name,
    description: pipeline.description,
    settings: pipeline.settings && orderKeys(pipeline.settings, undefined),
    nodes: [...pipeline.nodes].sort(byId).map(canonicalNode),
    edges: [...pipeline.edges].sort(byId).map(canonicalEdge),
  }) as Pipeline;
}

/** The canonical JSON text of a pipeline, with a final newline. */
export function exportPipeline(pipeline: Pipeline): string {
  return `${JSON.stringify(canonicalPipeline(pipeline), null, 2)}\n`;
}

function canonicalNode(node: PipelineNode): PipelineNode {
  const schema = getOperator(node.kind)?.config;
  return compact({
    id: node.id,
    kind: node.kind,
    label: node.label,
    description: node.description,
    position: node.position && { x: Math.round(node.position.x), y: Math.round(node.position.y) },
    config: node.config && (orderKeys(node.config, schema) as Record<string, unknown>),
  }) as PipelineNode;
}

function canonicalEdge(edge: PipelineEdge): PipelineEdge {
  return compact({
    id: edge.id,
    source: edge.source,
    sourcePort: edge.sourcePort === DEFAULT_SOURCE_PORT ? undefined : edge.sourcePort,
    target: edge.target,
    targetPort: edge.targetPort === DEFAULT_TARGET_PORT ? undefined : edge.targetPort,
  }) as PipelineEdge;
}

/** Drops undefined values and empty descriptions. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || (key === 'description' && value === '')) continue;
    if (RESERVED_FIELD_NAMES.has(key)) continue;
    out[key] = value;
  }
  return out;
}

/**
 * Orders an object's keys as its schema lists its properties (for unions, the
 * branch whose discriminator matches), then any other keys alphabetically.
 */
function orderKeys(value: unknown, schema: TSchema | undefined): unknown {
  if (Array.isArray(value)) {
    const items = (schema as { items?: TSchema } | undefined)?.items;
    return value.map((v) => orderKeys(v, items));
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const properties = propertiesFor(schema, record);
  const known = Object.keys(properties).filter((k) => Object.hasOwn(record, k));
  const rest = Object.keys(record)
    .filter((k) => !Object.hasOwn(properties, k) && !RESERVED_FIELD_NAMES.has(k))
    .sort();
  const out: Record<string, unknown> = {};
  for (const key of [...known, ...rest]) {
    if (record[key] !== undefined) out[key] = orderKeys(record[key], properties[key]);
  }
  return out;
}

function propertiesFor(
  schema: TSchema | undefined,
  value: Record<string, unknown>,
): Record<string, TSchema> {
  const s = schema as { properties?: Record<string, TSchema>; anyOf?: TSchema[] } | undefined;
  if (s?.properties) return s.properties;
  for (const branch of s?.anyOf ?? []) {
    const props = (branch as { properties?: Record<string, { const?: unknown }> }).properties;
    if (!props) continue;
    const matches = Object.entries(props).every(
      ([key, p]) => p.const === undefined || p.const === value[key],
    );
    if (matches) return props as Record<string, TSchema>;
  }
  return {};
}
