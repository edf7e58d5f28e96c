// The server's HTTP API. The browser is signed in by a session cookie, so
// every call is a plain same-origin fetch; errors come back as ApiError.
import type {
  DeployedJob,
  Diagnostic,
  ErrorResponse,
  EventTimeView,
  Follow,
  ImportedPipeline,
  JobSummary,
  KafkaSample,
  KafkaTopic,
  Pipeline,
  PipelineRecord,
  PipelineSummary,
  PreviewView,
  RecordError,
  RecordPage,
  TestCase,
  UpgradePlan,
  VersionSummary,
  WhatIfResult,
} from '@sluice/shared';
import type { CatalogEntry } from '../catalog/catalog.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const SIGN_IN_MESSAGE =
  'You are not signed in. Open the login link that the Sluice server printed when it started.';

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Calls `listener` whenever the server refuses a call for want of a session. Returns the unsubscribe function. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

const answerListeners = new Set<Listener>();

/**
 * Calls `listener` whenever the server answers a call (any answer below 500),
 * so what waits for it to come back can go on at once. Returns the unsubscribe function.
 */
export function onServerAnswered(listener: Listener): () => void {
  answerListeners.add(listener);
  return () => answerListeners.delete(listener);
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The Sluice server cannot be reached. Is it running?');
  }
  if (response.status < 500) for (const listener of answerListeners) listener();
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    if (response.status === 401) {
      for (const listener of unauthorizedListeners) listener();
      throw new ApiError(401, 'unauthorized', SIGN_IN_MESSAGE);
    }
    // Read defensively: a proxy in between may answer with another body.
    const error = (json as { error?: Partial<ErrorResponse['error']> } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http',
      error?.message ?? `The server answered ${response.status} ${response.statusText}.`,
      error?.details,
    );
  }
  return json as T;
}

const pipelineUrl = (id: string) => `/api/pipelines/${encodeURIComponent(id)}`;
const jobUrl = (id: string) => `/api/jobs/${encodeURIComponent(id)}`;

export const api = {
  catalog: () => request<CatalogEntry[]>('GET', '/api/catalog'),
  list: () => request<PipelineSummary[]>('GET', '/api/pipelines'),
  get: (id: string) => request<PipelineRecord>('GET', pipelineUrl(id)),
  create: (pipeline: Pipeline) => request<PipelineRecord>('POST', '/api/pipelines', pipeline),
  save: (id: string, pipeline: Pipeline, expectedVersion?: number) =>
    request<PipelineRecord>('PUT', pipelineUrl(id), { pipeline, expectedVersion }),
  remove: (id: string) => request<void>('DELETE', pipelineUrl(id)),
  import: (document: unknown) =>
    request<ImportedPipeline>('POST', '/api/pipelines/import', document),
  exportUrl: (id: string) => `${pipelineUrl(id)}/export`,
  versions: (id: string) => request<VersionSummary[]>('GET', `${pipelineUrl(id)}/versions`),
  restore: (id: string, version: number) =>
    request<PipelineRecord>('POST', `${pipelineUrl(id)}/versions/${version}/restore`),
  version: (id: string, version: number) =>
    request<PipelineRecord>('GET', `${pipelineUrl(id)}/versions/${version}`),
  /** Names a version (null takes the name away); a named version is never merged with later saves. */
  labelVersion: (id: string, version: number, label: string | null) =>
    request<VersionSummary>('PATCH', `${pipelineUrl(id)}/versions/${version}`, { label }),
  /** What the server can check before a deploy: files in the data directory, Kafka topics. */
  preflight: (pipeline: Pipeline) =>
    request<{ ready: boolean; diagnostics: Diagnostic[] }>(
      'POST',
      '/api/pipelines/preflight',
      pipeline,
    ),
  deploy: (pipelineId: string, version: number) =>
    request<DeployedJob>('POST', '/api/jobs', {
      pipelineId,
      version,
    }),
  /** The Flink clusters the server knows: a pipeline may name one as its target. */
  flinkClusters: () =>
    request<{ name: string; gateway: string; rest: string }[]>('GET', '/api/flink/clusters'),
  /** The pipeline as Flink SQL, with what the compiler says of each node. */
  flinkSql: (pipeline: Pipeline) =>
    request<{ complete: boolean; statements: string[]; diagnostics: Diagnostic[] }>(
      'POST',
      '/api/pipelines/flink-sql',
      pipeline,
    ),
  jobs: () => request<JobSummary[]>('GET', '/api/jobs'),
  job: (id: string) => request<JobSummary>('GET', jobUrl(id)),
  /** Stops a job; with `savepoint` it first takes one, so the job can be resumed from it. */
  stop: (id: string, options: { drain?: boolean; savepoint?: boolean } = {}) =>
    request<JobSummary>('POST', `${jobUrl(id)}/stop`, options),
  /** Starts a stopped job again, same id, from its savepoint or latest checkpoint (409 when it cannot). */
  resume: (id: string) => request<JobSummary>('POST', `${jobUrl(id)}/resume`),
  /** What deploying a stored version in place of a job's would do to its state (409: it has none to keep). */
  planUpgrade: (id: string, pipelineId: string, version: number) =>
    request<UpgradePlan>('POST', `${jobUrl(id)}/plan`, { pipelineId, version }),
  /** Deploys a stored version in place of a job's: keeping its state (same job id), or from scratch (a new job). */
  upgrade: (id: string, pipelineId: string, version: number, keepState: boolean) =>
    request<DeployedJob & { plan?: UpgradePlan }>('POST', `${jobUrl(id)}/upgrade`, {
      pipelineId,
      version,
      keepState,
    }),
  jobErrors: (id: string, nodeId: string) =>
    request<RecordError[]>('GET', `${jobUrl(id)}/errors?nodeId=${encodeURIComponent(nodeId)}`),
  preview: (id: string, nodeId: string) =>
    request<PreviewView | null>('GET', `${jobUrl(id)}/preview/${encodeURIComponent(nodeId)}`),
  /** Why a step's event time stands where it does; null on Flink (409 once the job ended). */
  eventTime: (id: string, nodeId: string) =>
    request<EventTimeView | null>(
      'GET',
      `${jobUrl(id)}/nodes/${encodeURIComponent(nodeId)}/event-time`,
    ),
  /** A connection's recorded records, newest first (400: the condition does not check; 409: the job ended). */
  edgeRecords: (
    id: string,
    edgeId: string,
    query: { until?: number; before?: number; where?: string; limit?: number },
  ) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    return request<RecordPage>(
      'GET',
      `${jobUrl(id)}/edges/${encodeURIComponent(edgeId)}/records?${params}`,
    );
  },
  /** One key's latest recorded records on every connection of a running job. */
  follow: (id: string, field: string, value: string) =>
    request<Follow>('GET', `${jobUrl(id)}/follow?${new URLSearchParams({ field, value })}`),
  /** The running job's recorded records replayed through its version and through `pipeline`, compared. */
  whatIf: (id: string, pipeline: unknown, from?: string[]) =>
    request<WhatIfResult>('POST', `${jobUrl(id)}/what-if`, { pipeline, ...(from ? { from } : {}) }),
  /** The running job's recorded records and its rows from them, as a sluice test case. */
  testCase: (id: string, name: string) =>
    request<TestCase>('POST', `${jobUrl(id)}/test-case`, { name }),
  kafkaTopics: (bootstrap: string) =>
    request<KafkaTopic[]>('GET', `/api/kafka/topics?bootstrap=${encodeURIComponent(bootstrap)}`),
  kafkaSample: (bootstrap: string, topic: string, limit = 20) =>
    request<KafkaSample>(
      'GET',
      `/api/kafka/topics/${encodeURIComponent(topic)}/sample?bootstrap=${encodeURIComponent(bootstrap)}&limit=${limit}`,
    ),
  /**
   * Signs this browser in with the token (in the body, never the URL); resolves
   * with what is wrong, or undefined once the session cookie is set.
   */
  signIn: async (token: string): Promise<string | undefined> => {
    try {
      await request<void>('POST', '/api/session/sign-in', { token });
      return undefined;
    } catch (error) {
      // A 401 here is the wrong token, not a lost session.
      if (error instanceof ApiError && error.status === 401) {
        return 'That is not the token: copy the whole line of <data-dir>/state/token on the machine running Sluice.';
      }
      return errorMessage(error);
    }
  },
  /** Ends this browser's session on the server (the cookie is cleared too). */
  signOut: () => request<void>('POST', '/api/session/sign-out', {}),
  /** The live WebSocket's address; the session cookie goes along with the handshake. */
  liveUrl: (id: string) => {
    const scheme = globalThis.location?.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${globalThis.location?.host}${jobUrl(id)}/live`;
  },
};

export function errorMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
