// Jobs on the wire: what the API says of a job, its metrics, its bad records
// and its preview sinks. Declared once, here: the engine builds these values
// with these types, the server sends them with these schemas, the web app reads them.
import { type Static, Type } from 'typebox';
import { HeldBySchema } from './event-time.js';

export const JobStatusSchema = Type.Union([
  Type.Literal('running'),
  Type.Literal('finished'),
  Type.Literal('failed'),
  Type.Literal('stopped'),
]);
export type JobStatus = Static<typeof JobStatusSchema>;

export const JobFailureSchema = Type.Object(
  {
    message: Type.String(),
    nodeId: Type.Optional(Type.String({ description: 'The node where it happened, when known' })),
  },
  { description: 'Why the job failed' },
);
export type JobFailure = Static<typeof JobFailureSchema>;

const Count = Type.Number({ minimum: 0 });

export const JobTotalsSchema = Type.Object({
  recordsIn: Count,
  recordsOut: Count,
  errors: Count,
  late: Count,
});
export type JobTotals = Static<typeof JobTotalsSchema>;

export const HotKeySchema = Type.Object({
  key: Type.String({ description: 'The key’s values, comma-separated; NULL for a null' }),
  share: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'Its share of the step’s recent records (from a sample)',
  }),
});
export type HotKey = Static<typeof HotKeySchema>;

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
  /** Records or bytes waiting to be written, a sign of backpressure. */
  backlog: Count,
  idle: Type.Boolean(),
  extra: Type.Record(Type.String(), Type.Number(), { description: 'Kind-specific figures' }),
  condition: Type.Optional(
    Type.String({
      description: 'What is wrong while the operator keeps going, such as Kafka being unreachable',
    }),
  ),
  hotKeys: Type.Optional(
    Type.Array(HotKeySchema, {
      description:
        'A keyed step’s hottest keys over the last 30 to 60 s, hottest first, from a sample of about one record in 16',
    }),
  ),
  vertex: Type.Optional(
    Type.String({
      description:
        "On Flink: the name of the vertex the node runs in; its figures are the vertex's, shared by the nodes chained in it",
    }),
  ),
});
export type OperatorMetrics = Static<typeof OperatorMetricsSchema>;

export const EdgeMetricsSchema = Type.Object({
  edgeId: Type.String(),
  source: Type.String(),
  target: Type.String(),
  records: Count,
  perSecond: Count,
});
export type EdgeMetrics = Static<typeof EdgeMetricsSchema>;

const NullableNumber = (description: string) =>
  Type.Union([Type.Number(), Type.Null()], { description });

/** A job's checkpoints so far (this run of it). */
export const CheckpointFiguresSchema = Type.Object(
  {
    completed: Count,
    failed: Count,
    lastId: Type.Union([Type.Integer(), Type.Null()]),
    lastAt: NullableNumber('When the last checkpoint completed, epoch ms'),
    lastDurationMs: NullableNumber('From the cut to durable'),
    lastBytes: NullableNumber('Its size on disk'),
    restoredFrom: Type.Union([Type.Integer(), Type.Null()], {
      description: 'The checkpoint this run started from',
    }),
  },
  { description: "The job's checkpoints: how many, the last one's age, duration and size" },
);
export type CheckpointFigures = Static<typeof CheckpointFiguresSchema>;

/** One instance of a job that runs as several (settings.parallelism), as it stands. */
export const InstanceMetricsSchema = Type.Object({
  index: Type.Integer({ minimum: 0 }),
  status: JobStatusSchema,
  recordsIn: Count,
  recordsOut: Count,
  inPerSecond: Type.Number({ minimum: 0, description: 'Records its sources read per second' }),
  lag: Type.Number({ minimum: 0, description: 'Kafka messages its sources have yet to read' }),
  partitions: Type.Array(Type.String(), {
    description: 'The Kafka partitions it reads, as topic:partition',
  }),
  busy: Type.Number({ minimum: 0, maximum: 1, description: 'Share of its thread’s time in work' }),
});
export type InstanceMetrics = Static<typeof InstanceMetricsSchema>;

export const JobMetricsSchema = Type.Object(
  {
    status: JobStatusSchema,
    at: Type.Number(),
    startedAt: Type.Number(),
    uptimeMs: Count,
    ...JobTotalsSchema.properties,
    operators: Type.Array(OperatorMetricsSchema),
    edges: Type.Array(EdgeMetricsSchema),
    checkpoints: Type.Optional(CheckpointFiguresSchema),
    /** The source (and Kafka partition) the job's event time waits for: the one its slowest sink is held back by. */
    heldBy: Type.Optional(HeldBySchema),
    instances: Type.Optional(
      Type.Array(InstanceMetricsSchema, {
        description:
          'For a job that runs as several instances: each one; the figures above are theirs summed',
      }),
    ),
  },
  { description: 'A metrics snapshot: totals, per operator and per edge' },
);
export type JobMetrics = Static<typeof JobMetricsSchema>;

export const CheckpointKindSchema = Type.Union([
  Type.Literal('checkpoint'),
  Type.Literal('savepoint'),
]);

const jobSummaryProperties = {
  id: Type.String(),
  pipelineId: Type.Optional(Type.String()),
  pipelineVersion: Type.Optional(Type.Integer()),
  name: Type.String(),
  status: JobStatusSchema,
  startedAt: Type.Number({ description: 'Epoch ms' }),
  endedAt: Type.Optional(Type.Number({ description: 'Epoch ms' })),
  uptimeMs: Count,
  totals: JobTotalsSchema,
  failure: Type.Optional(JobFailureSchema),
  restoredFrom: Type.Optional(
    Type.Object(
      {
        id: Type.Integer(),
        kind: CheckpointKindSchema,
        at: Type.Number({ description: 'When that checkpoint was taken, epoch ms' }),
      },
      { description: 'This run of the job resumed from a checkpoint or savepoint' },
    ),
  ),
  savepoint: Type.Optional(
    Type.Object(
      {
        id: Type.Integer(),
        at: Type.Number({ description: 'Epoch ms' }),
        instances: Type.Optional(
          Type.Array(Type.Integer(), {
            description:
              'For a job of several instances: the savepoint of each (the id is the first’s)',
          }),
        ),
      },
      { description: 'The savepoint the job was stopped with: it can start again from there' },
    ),
  ),
  flink: Type.Optional(
    Type.Object(
      {
        cluster: Type.String({ description: 'The name the server knows the cluster by' }),
        jobId: Type.Optional(Type.String({ description: "Flink's id of the job, once submitted" })),
        savepoint: Type.Optional(
          Type.String({ description: 'Where the stop wrote its savepoint, on the cluster' }),
        ),
        restoredFrom: Type.Optional(
          Type.String({ description: 'The savepoint this run of the job started from' }),
        ),
      },
      { description: 'The job runs on a Flink cluster (settings.target)' },
    ),
  ),
};

/** What the API lists about a job. */
export const JobSummarySchema = Type.Object(jobSummaryProperties);
export type JobSummary = Static<typeof JobSummarySchema>;

export const JobDetailSchema = Type.Object({
  ...jobSummaryProperties,
  metrics: Type.Optional(JobMetricsSchema),
});
export type JobDetail = Static<typeof JobDetailSchema>;

/** The answer to a deploy. */
export const DeployedJobSchema = Type.Object({ id: Type.String(), status: JobStatusSchema });
export type DeployedJob = Static<typeof DeployedJobSchema>;

/** How many of a job's latest bad records are kept (by the engine, and by the server for the API). */
export const RECORD_ERRORS_KEPT = 200;

export const RecordErrorSchema = Type.Object({
  nodeId: Type.String(),
  reason: Type.String(),
  row: Type.Unknown({ description: 'The record as it arrived' }),
  at: Type.Number({ description: 'Processing time, epoch ms' }),
});
export type RecordError = Static<typeof RecordErrorSchema>;

/** A record: field name → value (timestamps as epoch ms). */
export const RowSchema = Type.Record(Type.String(), Type.Unknown());
export type Row = Static<typeof RowSchema>;

/** What a `sink.preview` node shows: its latest rows, oldest first. */
export const PreviewViewSchema = Type.Object({
  fields: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
  rows: Type.Array(RowSchema),
  times: Type.Array(Type.Number()),
  total: Type.Number({ description: 'Rows received in all' }),
});
export type PreviewView = Static<typeof PreviewViewSchema>;

/** What a `sink.console` node shows: the latest lines it printed (limited and cut as printed). */
export const ConsoleViewSchema = Type.Object({
  lines: Type.Array(Type.String(), { description: 'Oldest first' }),
  total: Type.Number({ description: 'Records received in all' }),
  omitted: Type.Number({ description: 'Records not printed, over the rate limit' }),
});
export type ConsoleView = Static<typeof ConsoleViewSchema>;

/** What a node shows of itself: a preview sink's rows or a console sink's lines. */
export const NodeViewSchema = Type.Union([PreviewViewSchema, ConsoleViewSchema]);
export type NodeView = Static<typeof NodeViewSchema>;
