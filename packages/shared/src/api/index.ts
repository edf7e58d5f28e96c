// The wire types of the server's API: TypeBox schemas the server builds its
// routes from, and the types of what they describe, which the web app imports.

export type { CatalogEntry, InputPort, OutputPort } from './catalog.js';
export { CatalogEntrySchema, InputPortSchema, OutputPortSchema } from './catalog.js';
export type {
  EventTimeView,
  HeldBy,
  InputTime,
  LateRecord,
  PartitionTime,
  Pending,
  PendingWindow,
} from './event-time.js';
export { EventTimeViewSchema, HeldBySchema } from './event-time.js';
export type {
  CheckpointFigures,
  ConsoleView,
  DeployedJob,
  EdgeMetrics,
  HotKey,
  InstanceMetrics,
  JobDetail,
  JobFailure,
  JobMetrics,
  JobStatus,
  JobSummary,
  JobTotals,
  NodeView,
  OperatorMetrics,
  PreviewView,
  RecordError,
  Row,
} from './jobs.js';
export {
  CheckpointFiguresSchema,
  CheckpointKindSchema,
  ConsoleViewSchema,
  DeployedJobSchema,
  EdgeMetricsSchema,
  HotKeySchema,
  JobDetailSchema,
  JobFailureSchema,
  JobMetricsSchema,
  JobStatusSchema,
  JobSummarySchema,
  JobTotalsSchema,
  NodeViewSchema,
  OperatorMetricsSchema,
  PreviewViewSchema,
  RECORD_ERRORS_KEPT,
  RecordErrorSchema,
  RowSchema,
} from './jobs.js';
export type { KafkaMessage, KafkaSample, KafkaTopic } from './kafka.js';
export {
  InferredSchemaSchema,
  KafkaMessageSchema,
  KafkaSampleSchema,
  KafkaTopicSchema,
} from './kafka.js';
export type { LiveClientMessage, LiveMessage, TapSample } from './live.js';
export { LiveClientMessageSchema, LiveMessageSchema, TapSampleSchema } from './live.js';
export type {
  ImportedPipeline,
  PipelineRecord,
  PipelineSummary,
  VersionOrigin,
  VersionSummary,
} from './pipelines.js';
export {
  ImportedPipelineSchema,
  PipelineIdSchema,
  PipelineRecordSchema,
  PipelineSummarySchema,
  VersionOriginSchema,
  VersionSummarySchema,
} from './pipelines.js';
export type { Follow, FollowedEdge, RecordedRecord, RecordPage } from './recorder.js';
export {
  FollowedEdgeSchema,
  FollowSchema,
  RecordedRecordSchema,
  RecordPageSchema,
} from './recorder.js';
export type { ErrorResponse } from './refs.js';
export {
  DiagnosticRef,
  DiagnosticSchema,
  ErrorResponseSchema,
  PipelineDocumentRef,
  PipelineDocumentSchema,
} from './refs.js';
export type { WhatIfOutput, WhatIfResult } from './what-if.js';
export {
  TestCaseRequestSchema,
  WhatIfOutputSchema,
  WhatIfRequestSchema,
  WhatIfResultSchema,
} from './what-if.js';
