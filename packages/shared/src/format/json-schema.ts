// The published JSON Schema of the pipeline format, generated from the same
// TypeBox declarations as the types, with each kind's config schema attached.
import { OPERATORS } from '../catalog/catalog.js';
import { PIPELINE_FORMAT, PipelineNodeSchema, PipelineSchema } from './pipeline.js';

export const PIPELINE_SCHEMA_ID = 'https://sluice.dev/schemas/pipeline-v1.json';

export function pipelineJsonSchema(): Record<string, unknown> {
  const node = {
    ...PipelineNodeSchema,
    properties: {
      ...PipelineNodeSchema.properties,
      kind: { ...PipelineNodeSchema.properties.kind, enum: OPERATORS.map((o) => o.kind) },
    },
    allOf: OPERATORS.map((op) => ({
      if: { properties: { kind: { const: op.kind } }, required: ['kind'] },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword.
      then: { properties: { config: op.config } },
    })),
  };
  return JSON.parse(
    JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: PIPELINE_SCHEMA_ID,
      title: 'Sluice pipeline',
      description: `A Sluice pipeline document, format ${PIPELINE_FORMAT}.`,
      ...PipelineSchema,
      properties: {
        ...PipelineSchema.properties,
        nodes: { ...PipelineSchema.properties.nodes, items: node },
      },
    }),
  );
}
