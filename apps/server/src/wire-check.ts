// The engine keeps its own types for what the API sends (it knows nothing of
// HTTP), and @sluice/shared declares the wire. The server is the one place that
// sees both, so it checks here, at compile time, that they are the same shape:
// a field the engine adds and the wire lacks (or the reverse) fails tsc.
import type {
  JobFailure,
  JobMetrics,
  PreviewView,
  RecordError,
  SampledMessage,
  TopicSummary,
} from '@sluice/engine';
import type {
  Assert,
  KafkaMessage,
  KafkaTopic,
  LiveMessage,
  SameShape,
  JobFailure as WireJobFailure,
  JobMetrics as WireJobMetrics,
  PreviewView as WirePreviewView,
  RecordError as WireRecordError,
} from '@sluice/shared';
import type { ServerMessage } from './routes/live-session.js';

type _WireChecks = [
  Assert<SameShape<JobMetrics, WireJobMetrics>>,
  Assert<SameShape<JobFailure, WireJobFailure>>,
  Assert<SameShape<RecordError, WireRecordError>>,
  Assert<SameShape<PreviewView, WirePreviewView>>,
  Assert<SameShape<TopicSummary, KafkaTopic>>,
  Assert<SameShape<SampledMessage, KafkaMessage>>,
  Assert<SameShape<ServerMessage, LiveMessage>>,
];
