// The wire shapes of jobs, as the server's API and live WebSocket send them
// (docs/api.md, docs/engine.md). The web app imports nothing of the engine, so
// these are the contract written down on this side of the wire.

export type JobStatus = 'running' | 'finished' | 'failed' | 'stopped';

export interface JobFailure {
  readonly message: string;
  /** The node where it happened, when known. */
  readonly nodeId?: string;
}

export interface JobTotals {
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly errors: number;
  readonly late: number;
}

export interface JobSummary {
  readonly id: string;
  readonly pipelineId?: string;
  readonly pipelineVersion?: number;
  readonly name: string;
  readonly status: JobStatus;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly uptimeMs: number;
  readonly totals: JobTotals;
  readonly failure?: JobFailure;
}

export interface OperatorMetrics {
  readonly nodeId: string;
  readonly kind: string;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly bytesIn: number;
  readonly inPerSecond: number;
  readonly outPerSecond: number;
  readonly errors: number;
  readonly late: number;
  readonly watermark: number | null;
  readonly watermarkLagMs: number | null;
  readonly stateKeys: number;
  readonly stateBytes: number;
  /** Share of the last interval spent in the operator's own code, 0 to 1. */
  readonly busy: number;
  /** Records or bytes waiting to be written, a sign of backpressure. */
  readonly backlog: number;
  readonly idle: boolean;
  readonly extra: Readonly<Record<string, number>>;
}

export interface EdgeMetrics {
  readonly edgeId: string;
  readonly source: string;
  readonly target: string;
  readonly records: number;
  readonly perSecond: number;
}

export interface JobMetrics extends JobTotals {
  readonly status: JobStatus;
  readonly at: number;
  readonly startedAt: number;
  readonly uptimeMs: number;
  readonly operators: readonly OperatorMetrics[];
  readonly edges: readonly EdgeMetrics[];
}

export interface RecordError {
  readonly nodeId: string;
  readonly reason: string;
  readonly row: unknown;
  readonly at: number;
}

export type Row = Readonly<Record<string, unknown>>;

/** What a `sink.preview` node shows: its latest rows, oldest first. */
export interface PreviewView {
  readonly fields: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly Row[];
  readonly times: readonly number[];
  readonly total: number;
}

/** Server → browser messages of `GET /api/jobs/:id/live`. */
export type LiveMessage =
  | { readonly type: 'status'; readonly status: JobStatus; readonly failure?: JobFailure }
  | { readonly type: 'metrics'; readonly metrics: JobMetrics; readonly dropped: number }
  | { readonly type: 'error'; readonly error: RecordError }
  | {
      readonly type: 'tap';
      readonly edgeId: string;
      readonly rows: readonly Row[];
      readonly times: readonly number[];
    }
  | { readonly type: 'problem'; readonly message: string };
