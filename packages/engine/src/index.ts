// The public surface of @sluice/engine. Named exports only.

export type { CompiledExpression } from './expression/index.js';
// --- expression compiler (packages/engine/src/expression) ---
export { compileExpression, ExpressionError } from './expression/index.js';
// --- end expression compiler ---

export type { Batch, Row } from './batch.js';
export { END_OF_TIME, START_OF_TIME } from './batch.js';
export type { BlockReader, BlockWriter } from './checkpoint/blocks.js';
export { BlockLedger, CheckpointFileBlocks, inlineBlocks } from './checkpoint/blocks.js';
export type { CheckpointKind, CheckpointMeta, JsonValue } from './checkpoint/codec.js';
export {
  CHECKPOINT_FORMAT,
  CheckpointFormatError,
  CheckpointReadError,
  READABLE_FORMATS,
} from './checkpoint/codec.js';
export { DirectoryLockedError, lockDirectory } from './checkpoint/lock.js';
export { checkPlainData, SnapshotValueError } from './checkpoint/plain.js';
export type {
  CheckpointInfo,
  CheckpointStorageOptions,
  EncodedSnapshot,
  RestoredCheckpoint,
  WrittenCheckpoint,
} from './checkpoint/storage.js';
export { CheckpointStorage } from './checkpoint/storage.js';
export { DataDir, DataDirError } from './io/data-dir.js';
export { jsonEncoder } from './io/encode.js';
export { KafkaAdmin, KafkaWriter } from './io/kafka/client.js';
export {
  KafkaBrowseError,
  listTopics,
  MAX_SAMPLE_MESSAGES,
  MAX_SAMPLE_VALUE_CHARS,
  sampleTopic,
} from './io/kafka/topics.js';
export type {
  Auction as NexmarkAuction,
  Bid as NexmarkBid,
  EventSink as NexmarkEventSink,
  NexmarkOptions,
  Person as NexmarkPerson,
} from './nexmark/generator.js';
export { NexmarkGenerator } from './nexmark/generator.js';
export type {
  JobInstance,
  Operator,
  OperatorContext,
  OperatorEnvironment,
  RuntimeFactory,
  Source,
  SourceBatch,
  SourceContext,
} from './operator.js';
export { RUNTIMES } from './operators/registry.js';
export { CONSOLE_LINES_KEPT } from './operators/sinks.js';
export {
  branchOf,
  REPLAY_ROWS,
  ReplayError,
  type ReplayInput,
  type ReplayOptions,
  type ReplayOutput,
  type ReplayResult,
  replay,
  replayPipeline,
  sourceEdges,
} from './replay/replay.js';
export type {
  CheckpointFigures,
  CheckpointOptions,
  CheckpointSettings,
  JobSnapshot,
} from './runtime/checkpoint.js';
export { checkpointSettings, pipelineFingerprint } from './runtime/checkpoint.js';
export type { Clock } from './runtime/clock.js';
export { ManualClock, systemClock } from './runtime/clock.js';
export type { JobOptions, JobResult } from './runtime/job.js';
export {
  Job,
  PipelineError,
  RecordQueryError,
  RestoreError,
  restoreFrom,
  startJob,
} from './runtime/job.js';
export { DEFAULT_RECORDER, type RecorderLimits } from './runtime/recorder.js';
export type { TapOptions } from './runtime/taps.js';
