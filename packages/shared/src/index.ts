// The public surface of @sluice/shared. Named exports only.

export type {
  ArithmeticOperator,
  BinaryOperator,
  CheckedExpression,
  CheckOptions,
  ComparisonOperator,
  DateFormat,
  DateFormatElement,
  DatePatternLetter,
  Expr,
  ExpressionProblem,
  ExpressionProblemCode,
  ExpressionToken,
  ExprNode,
  ExprType,
  FunctionInfo,
  LikePart,
  LikePattern,
  LikePiece,
  ParsedExpression,
  SourceRange,
  TimestampPart,
  TypedExpr,
  UnaryOperator,
} from './expression/index.js';
// --- expression language (packages/shared/src/expression) ---
export {
  checkExpression,
  EXPRESSION_FUNCTIONS,
  EXPRESSION_KEYWORDS,
  EXPRESSION_PROBLEM_CODES,
  formatSqlTimestamp,
  formatWithDateFormat,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  parseDateFormat,
  parseExpression,
  parseLikePattern,
  parseSqlTimestamp,
  parseWithDateFormat,
  timestampPart,
  tokenizeExpression,
} from './expression/index.js';

// --- end expression language ---

// --- the API's wire types (packages/shared/src/api) ---
// --- replays compared (what-if, sluice test) ---
export type {
  CatalogEntry,
  CheckpointFigures,
  ConsoleView,
  DeployedJob,
  EdgeMetrics,
  ErrorResponse,
  EventTimeView,
  Follow,
  FollowedEdge,
  HeldBy,
  HotKey,
  ImportedPipeline,
  InputTime,
  InstanceMetrics,
  JobDetail,
  JobFailure,
  JobMetrics,
  JobStatus,
  JobSummary,
  JobTotals,
  KafkaMessage,
  KafkaSample,
  KafkaTopic,
  LateRecord,
  LiveClientMessage,
  LiveMessage,
  NodeView,
  OperatorMetrics,
  PartitionTime,
  Pending,
  PendingWindow,
  PipelineRecord,
  PipelineSummary,
  PreviewView,
  RecordError,
  RecordedRecord,
  RecordPage,
  Row,
  TapSample,
  VersionOrigin,
  VersionSummary,
  WhatIfOutput,
  WhatIfResult,
} from './api/index.js';
export {
  CatalogEntrySchema,
  CheckpointFiguresSchema,
  CheckpointKindSchema,
  ConsoleViewSchema,
  DeployedJobSchema,
  DiagnosticRef,
  DiagnosticSchema,
  EdgeMetricsSchema,
  ErrorResponseSchema,
  EventTimeViewSchema,
  FollowedEdgeSchema,
  FollowSchema,
  HeldBySchema,
  HotKeySchema,
  ImportedPipelineSchema,
  JobDetailSchema,
  JobFailureSchema,
  JobMetricsSchema,
  JobStatusSchema,
  JobSummarySchema,
  JobTotalsSchema,
  KafkaMessageSchema,
  KafkaSampleSchema,
  KafkaTopicSchema,
  LiveClientMessageSchema,
  LiveMessageSchema,
  NodeViewSchema,
  OperatorMetricsSchema,
  PipelineDocumentRef,
  PipelineDocumentSchema,
  PipelineIdSchema,
  PipelineRecordSchema,
  PipelineSummarySchema,
  PreviewViewSchema,
  RECORD_ERRORS_KEPT,
  RecordErrorSchema,
  RecordedRecordSchema,
  RecordPageSchema,
  RowSchema,
  TapSampleSchema,
  TestCaseRequestSchema,
  VersionOriginSchema,
  VersionSummarySchema,
  WhatIfOutputSchema,
  WhatIfRequestSchema,
  WhatIfResultSchema,
} from './api/index.js';
export type { NodePlan, NodePlanStatus, StateStep, UpgradePlan } from './api/upgrade.js';
export {
  NodePlanSchema,
  NodePlanStatusSchema,
  StateStepSchema,
  UpgradePlanSchema,
} from './api/upgrade.js';
export { describeCatalog, getOperator, OPERATORS } from './catalog/catalog.js';
export type { ConfigOf, Configured } from './catalog/configured.js';
export { Defaulted, Unbounded, withDefaults } from './catalog/configured.js';
// --- the operator catalog ---
export type {
  Delivery,
  InferContext,
  InferredOutputs,
  InputPort,
  OperatorCategory,
  OperatorDefinition,
  OutputPort,
  ShownResults,
} from './catalog/operator.js';
export { defineOperator, OPERATOR_CATEGORIES } from './catalog/operator.js';
export type { ParallelDeclaration } from './catalog/parallel.js';
export type { JsonSchemaNode } from './catalog/schema-node.js';
export type { NamedSecret } from './catalog/secrets.js';
export { secretsNamed } from './catalog/secrets.js';
export type {
  MigrationVerdict,
  StateDeclaration,
  StateMigration,
  StateRole,
} from './catalog/state.js';
export { canonicalPipeline, exportPipeline } from './format/canonical.js';
export type {
  FieldChange,
  NodeChange,
  NodeChangeStatus,
  PipelineDiff,
} from './format/diff.js';
export { changedFieldNames, diffPipelines, isEmptyDiff, summarizeDiff } from './format/diff.js';
export { exportFileName } from './format/export-name.js';
export { PIPELINE_SCHEMA_ID, pipelineJsonSchema } from './format/json-schema.js';
export {
  jsonTextPastDepth,
  PIPELINE_LIMITS,
  pathPastDepth,
  pipelineLimitProblem,
} from './format/limits.js';
export type { Migration } from './format/migrate.js';
export { MIGRATIONS, migratePipeline } from './format/migrate.js';
// --- the pipeline format ---
export type { Pipeline, PipelineEdge, PipelineNode, PipelineSettings } from './format/pipeline.js';
export {
  DEFAULT_SOURCE_PORT,
  DEFAULT_TARGET_PORT,
  MAX_PARALLELISM,
  PIPELINE_FORMAT,
  PipelineEdgeSchema,
  PipelineNodeSchema,
  PipelineSchema,
  PipelineSettingsSchema,
  TARGET_PATTERN,
} from './format/pipeline.js';
export type { ReadOptions, ReadResult } from './format/read.js';
export { isValidRead, MAX_PIPELINE_BYTES, readPipeline, readPipelineValue } from './format/read.js';
export { reservedKeyPaths } from './format/reserved-keys.js';
export { planUpgrade } from './format/upgrade.js';
export type { EventTimeConfig } from './operators/common.js';
export { SECRET_NAME_PATTERN, SECRET_SOURCES } from './operators/common.js';
export type { JoinFieldSource } from './operators/join-fields.js';
export { joinLayout } from './operators/join-fields.js';
export type { IntervalJoinConfig } from './operators/join-interval.js';
export { joinInterval } from './operators/join-interval.js';
export type { RegularJoinConfig } from './operators/join-regular.js';
export { joinRegular } from './operators/join-regular.js';
export type { WindowJoinConfig } from './operators/join-window.js';
export { joinWindow } from './operators/join-window.js';
export {
  BOOTSTRAP_SERVERS_PATTERN,
  bootstrapList,
  MAX_BOOTSTRAP_SERVERS_LENGTH,
} from './operators/kafka-common.js';
export type { FileSinkConfig } from './operators/sink-file.js';
export { sinkFile } from './operators/sink-file.js';
export type { KafkaSinkConfig } from './operators/sink-kafka.js';
export { sinkKafka } from './operators/sink-kafka.js';
export type { PostgresSinkConfig } from './operators/sink-postgres.js';
export { sinkPostgres, TABLE_PATTERN } from './operators/sink-postgres.js';
export type { RabbitSinkConfig } from './operators/sink-rabbitmq.js';
export { sinkRabbitMQ } from './operators/sink-rabbitmq.js';
export type { ConsoleSinkConfig, PreviewSinkConfig } from './operators/sinks.js';
export { sinkBlackhole, sinkConsole, sinkPreview } from './operators/sinks.js';
export type { DatagenConfig, GeneratorConfig } from './operators/source-datagen.js';
export { sourceDatagen } from './operators/source-datagen.js';
export type { FileSourceConfig } from './operators/source-file.js';
export { sourceFile } from './operators/source-file.js';
export type { KafkaSourceConfig } from './operators/source-kafka.js';
export { kafkaSourceFields, sourceKafka } from './operators/source-kafka.js';
export type { NexmarkEventType, NexmarkSourceConfig } from './operators/source-nexmark.js';
export { NEXMARK_EVENT_TYPES, NEXMARK_FIELDS, sourceNexmark } from './operators/source-nexmark.js';
export type { RabbitSourceConfig } from './operators/source-rabbitmq.js';
export { rabbitSourceFields, sourceRabbitMQ } from './operators/source-rabbitmq.js';
export type { RunningAggregateConfig } from './operators/transform-aggregate.js';
export { transformAggregate } from './operators/transform-aggregate.js';
export type { DedupeConfig } from './operators/transform-dedupe.js';
export { transformDedupe } from './operators/transform-dedupe.js';
export { transformFilter } from './operators/transform-filter.js';
export type { MapConfig } from './operators/transform-map.js';
export { transformMap } from './operators/transform-map.js';
export type { PredictConfig, RegressionModel } from './operators/transform-predict.js';
export { readModel, transformPredict } from './operators/transform-predict.js';
export type { TopNConfig } from './operators/transform-topn.js';
export { transformTopN } from './operators/transform-topn.js';
export { transformUnion } from './operators/transform-union.js';
export type {
  AggregateConfig,
  AggregateFunction,
  WindowAggregateConfig,
} from './operators/window-aggregate.js';
export {
  AGGREGATE_FUNCTIONS,
  aggregateType,
  windowAggregate,
} from './operators/window-aggregate.js';
export type { OverConfig } from './operators/window-over.js';
export { MAX_OVER_ROWS, windowOver } from './operators/window-over.js';
export type { WindowConfig } from './operators/windows.js';
export type { RowDiff } from './replay/diff.js';
export { diffRows, keyFieldsOf, noDifference, RowDiffSchema, rowText } from './replay/diff.js';
export type { TestCase, TestFile } from './replay/test-file.js';
export {
  readTestFile,
  TEST_FILE_FORMAT,
  TestCaseSchema,
  TestFileSchema,
  testFileFor,
} from './replay/test-file.js';
export {
  DURATION_PATTERN,
  DurationSchema,
  formatDuration,
  parseDuration,
  readDuration,
  SignedDurationSchema,
} from './schema/duration.js';
export type { Field, FieldType, StreamSchema } from './schema/field.js';
export {
  FIELD_TYPES,
  FieldNameSchema,
  FieldSchema,
  FieldTypeSchema,
  fieldNameProblem,
  findField,
  IDENTIFIER_PATTERN,
  isNumericType,
  RESERVED_FIELD_NAMES,
} from './schema/field.js';
export type { InferOptions, InferredFormat, InferredSchema } from './schema/infer.js';
export { inferSchema, sanitizeFieldName } from './schema/infer.js';
export { closestName, editDistance } from './schema/suggest.js';
export {
  formatTimestamp,
  MAX_TIMESTAMP_MS,
  parseTimestamp,
  timestampProblem,
} from './schema/timestamp.js';
// --- validation ---
export type { Diagnostic, Severity } from './validation/diagnostic.js';
export { hasErrors } from './validation/diagnostic.js';
export { topologicalOrder } from './validation/graph.js';
export { runsSplit } from './validation/parallel.js';
export type { PipelineAnalysis } from './validation/validate.js';
export { analyzePipeline, validatePipeline } from './validation/validate.js';
