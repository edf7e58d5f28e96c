// The pipeline document, version 1: the JSON users export, import and keep in git.
import { type Static, Type } from 'typebox';
import { DurationSchema } from '../schema/duration.js';
import { PIPELINE_LIMITS } from './limits.js';

export const PIPELINE_FORMAT = 'sluice.pipeline/v1';

const IdSchema = Type.String({
  pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$',
  description: 'Letters, digits, _, . and -, at most 64 characters',
});

export const PortNameSchema = Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' });

export const PipelineNodeSchema = Type.Object(
  {
    id: IdSchema,
    kind: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'An operator kind from the catalog',
    }),
    label: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    position: Type.Optional(
      Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false }),
    ),
    config: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "The operator's settings; their schema depends on the kind",
      }),
    ),
  },
  { additionalProperties: false },
);
export type PipelineNode = Static<typeof PipelineNodeSchema>;

export const PipelineEdgeSchema = Type.Object(
  {
    id: IdSchema,
    source: IdSchema,
    sourcePort: Type.Optional(PortNameSchema),
    target: IdSchema,
    targetPort: Type.Optional(PortNameSchema),
  },
  { additionalProperties: false },
);
export type PipelineEdge = Static<typeof PipelineEdgeSchema>;

/** Where a pipeline runs: Sluice's engine, or a Flink cluster the server knows by name. */
export const TARGET_PATTERN = '^(embedded|flink:[A-Za-z0-9_.-]{1,64})$';

/** The most instances one job runs as. */
export const MAX_PARALLELISM = 32;

export const PipelineSettingsSchema = Type.Object(
  {
    target: Type.Optional(
      Type.String({
        pattern: TARGET_PATTERN,
        default: 'embedded',
        title: 'Runs on',
        description:
          "embedded: Sluice's own engine, in the server; flink:NAME: the Flink cluster the server knows by that name (the pipeline is compiled to Flink SQL)",
      }),
    ),
    parallelism: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: MAX_PARALLELISM }), Type.Literal('auto')], {
        default: 1,
        title: 'Instances',
        description:
          'How many instances of the job run, each in its own thread, each reading a share of the Kafka partitions; auto: one per core',
      }),
    ),
    errorBudget: Type.Optional(
      Type.Object(
        {
          maxErrors: Type.Integer({ minimum: 0, title: 'Max bad records' }),
          per: DurationSchema({ title: 'Per', description: 'e.g. 1m' }),
        },
        {
          additionalProperties: false,
          title: 'Error budget',
          description: 'Fail the job when more bad records than this arrive in the period',
        },
      ),
    ),
    checkpoints: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(
            Type.Boolean({
              default: true,
              title: 'Take checkpoints',
              description: 'Off: a restarted job starts from scratch',
            }),
          ),
          interval: Type.Optional(
            DurationSchema({ title: 'Every', description: 'e.g. 10s', default: '10s' }),
          ),
          keep: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 100, default: 3, title: 'Checkpoints kept' }),
          ),
        },
        {
          additionalProperties: false,
          title: 'Checkpoints',
          description:
            'How often a running job saves its state and its sources’ positions, so that a restart resumes exactly where it was',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PipelineSettings = Static<typeof PipelineSettingsSchema>;

export const PipelineSchema = Type.Object(
  {
    format: Type.Literal(PIPELINE_FORMAT),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    settings: Type.Optional(PipelineSettingsSchema),
    nodes: Type.Array(PipelineNodeSchema, { maxItems: PIPELINE_LIMITS.nodes }),
    edges: Type.Array(PipelineEdgeSchema, { maxItems: PIPELINE_LIMITS.edges }),
  },
  { additionalProperties: false },
);
export type Pipeline = Static<typeof PipelineSchema>;

export const DEFAULT_SOURCE_PORT = 'out';
export const DEFAULT_TARGET_PORT = 'in';
