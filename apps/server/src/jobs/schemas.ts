// Wire schemas of jobs, checked against the engine's types at compile time so
// they cannot drift (a field the engine adds and the schema lacks fails tsc).
import type { JobMetrics, RecordError } from '@sluice/engine';
import { type Static, Type } from 'typebox';
import type { JobSummary } from './handle.js';

export const JobStatusSchema = Type.Union([
  Type.Literal('running'),
  Type.Literal('finished'),
  Type.Literal('failed'),
  Type.Literal('stopped'),
]);

export const JobFailureSchema = Type.Object(
  {
    message: Type.String(),
    nodeId: Type.Optional(Type.String({ description: 'The node where it happened, when known' })),
  },
  { description: 'Why the job failed' },
);

const Count = Type.Number({ minimum: 0 });

export const OperatorMetricsSchema = Type.Object({
  nodeId: Type.String(),
  kind: Type.String(),
  recordsIn: Count,
  recordsOut: Count,
  bytesIn: Count,
  inPerSecond: Count,
  outPerSecond: Count,
  errors: Count,
  late: Count,
  watermark: Type.Union([Type.Number(), Type.Null()], {
    description: 'Epoch ms, or null before the first',
  }),
  watermarkLagMs: Type.Union([Type.Number(), Type.Null()]),
  stateKeys: Count,
  stateBytes: Count,
  busy: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'Share of the last interval spent in this operator',
  }),
  backlog: Count,
  idle: Type.Boolean(),
  extra: Type.Record(Type.String(), Type.Number(), { description: 'Kind-specific figures' }),
});

export const EdgeMetricsSchema = Type.Object({
  edgeId: Type.String(),
  source: Type.String(),
  target: Type.String(),
  records: Count,
  perSecond: Count,
});

export const JobMetricsSchema = Type.Object(
  {
    status: JobStatusSchema,
    at: Type.Number(),
    startedAt: Type.Number(),
    uptimeMs: Count,
    recordsIn: Count,
    recordsOut: Count,
    errors: Count,
    late: Count,
    operators: Type.Array(OperatorMetricsSchema),
    edges: Type.Array(EdgeMetricsSchema),
  },
  { description: 'A metrics snapshot: totals, per operator and per edge' },
);

const jobSummaryProperties = {
  id: Type.String(),
  pipelineId: Type.Optional(Type.String()),
  pipelineVersion: Type.Optional(Type.Integer()),
  name: Type.String(),
  status: JobStatusSchema,
  startedAt: Type.Number({ description: 'Epoch ms' }),
  endedAt: Type.Optional(Type.Number({ description: 'Epoch ms' })),
  uptimeMs: Count,
  totals: Type.Object({ recordsIn: Count, recordsOut: Count, errors: Count, late: Count }),
  failure: Type.Optional(JobFailureSchema),
};

export const JobSummarySchema = Type.Object(jobSummaryProperties);

export const JobDetailSchema = Type.Object({
  ...jobSummaryProperties,
  metrics: Type.Optional(JobMetricsSchema),
});

export const RecordErrorSchema = Type.Object({
  nodeId: Type.String(),
  reason: Type.String(),
  row: Type.Unknown({ description: 'The record as it arrived' }),
  at: Type.Number({ description: 'Processing time, epoch ms' }),
});

// Both directions: the schema describes exactly what the engine and the handle produce.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T => true as T;
same<Same<Static<typeof JobMetricsSchema>, Mutable<JobMetrics>>>();
same<Same<Static<typeof JobSummarySchema>, Mutable<JobSummary>>>();
same<Same<Static<typeof RecordErrorSchema>, Mutable<RecordError>>>();

type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;
