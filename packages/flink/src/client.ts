// A client of a Flink session cluster, for what Sluice does with one: submit
// a compiled pipeline through the SQL Gateway's REST API, and follow, stop
// and measure its job through the cluster's REST API. The only module of this
// package that does I/O, and only to the two addresses it is given.

export interface FlinkAddresses {
  /** The SQL Gateway's REST endpoint, e.g. http://127.0.0.1:8083. */
  readonly gateway: string;
  /** The cluster's REST endpoint (the JobManager's web UI), e.g. http://127.0.0.1:8081. */
  readonly rest: string;
}

export class FlinkError extends Error {
  constructor(
    message: string,
    /** Flink's own text (its exception and stack), for the logs. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface SubmitResult {
  /** The Flink job id of the pipeline's INSERT or statement set. */
  readonly jobId: string;
}

export interface SubmitOptions {
  /** How long each statement may take, in ms (120 s). */
  readonly timeoutMs?: number;
  /** A savepoint (or retained checkpoint) the job starts from, where Flink wrote it. */
  readonly restoreFrom?: string;
}

const POLL_MS = 200;

/** Flink's error responses: `{ "errors": ["...", "<stack>"] }`. */
async function request<T>(url: string, init: RequestInit = {}, timeoutMs = 30_000): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    throw new FlinkError(`Flink at ${new URL(url).origin} cannot be reached: ${String(error)}`);
  });
  const text = await response.text();
  if (!response.ok) {
    const errors = parseErrors(text);
    throw new FlinkError(
      `Flink answered ${response.status} to ${init.method ?? 'GET'} ${new URL(url).pathname}: ${firstLine(errors)}`,
      errors,
    );
  }
  return (text ? JSON.parse(text) : {}) as T;
}

function parseErrors(text: string): string {
  try {
    const body = JSON.parse(text) as { errors?: unknown[] };
    return (body.errors ?? [text]).map(String).join('\n');
  } catch {
    return text;
  }
}

/** The line of Flink's text that says what went wrong: the deepest "Caused by", else the first. */
export function firstLine(detail: string): string {
  const causes = [...detail.matchAll(/Caused by: [\w.$]+(?:Exception|Error): (.+)/g)];
  const last = causes.at(-1)?.[1];
  return (last ?? detail.split('\n').find((l) => l.trim()) ?? detail).trim().slice(0, 2000);
}

export class FlinkClient {
  readonly #gateway: string;
  readonly #rest: string;

  constructor(addresses: FlinkAddresses) {
    this.#gateway = addresses.gateway.replace(/\/+$/, '');
    this.#rest = addresses.rest.replace(/\/+$/, '');
  }

  /**
   * Runs the statements in order in a new gateway session and returns the job
   * the last one started. Each statement must finish (or, for an INSERT,
   * hand back its job id) before the next is sent; the first that fails
   * throws, naming it.
   */
  async submit(statements: readonly string[], options: SubmitOptions = {}): Promise<SubmitResult> {
    const timeoutMs = options.timeoutMs ?? 120_000;
    const session = await request<{ sessionHandle: string }>(`${this.#gateway}/v1/sessions`, {
      method: 'POST',
      body: JSON.stringify({
        sessionName: 'sluice',
        // The job's operators take their state from the savepoint, matched by the plan's uids.
        ...(options.restoreFrom
          ? { properties: { 'execution.state-recovery.path': options.restoreFrom } }
          : {}),
      }),
    });
    const base = `${this.#gateway}/v1/sessions/${session.sessionHandle}`;
    try {
      let jobId: string | undefined;
      for (const statement of statements) {
        const found = await this.#execute(base, statement, timeoutMs);
        jobId = found ?? jobId;
      }
      if (!jobId) throw new FlinkError('The statements started no Flink job.');
      return { jobId };
    } finally {
      await request(base, { method: 'DELETE' }).catch(() => {});
    }
  }

  async #execute(base: string, statement: string, timeoutMs: number): Promise<string | undefined> {
    const { operationHandle } = await request<{ operationHandle: string }>(`${base}/statements`, {
      method: 'POST',
      body: JSON.stringify({ statement }),
    });
    const deadline = Date.now() + timeoutMs;
    let uri = `${base}/operations/${operationHandle}/result/0?rowFormat=JSON`;
    for (;;) {
      let result: ResultPage;
      try {
        result = await request<ResultPage>(uri);
      } catch (error) {
        if (error instanceof FlinkError) {
          throw new FlinkError(
            `Flink refused ${summarize(statement)}: ${error.message.replace(/^Flink answered \d+ to [^:]+: /, '')}`,
            error.detail,
          );
        }
        throw error;
      }
      if (result.jobID) return result.jobID;
      if (result.resultType === 'EOS') return undefined;
      if (result.resultType === 'PAYLOAD' && result.nextResultUri) {
        uri = `${this.#gateway}${result.nextResultUri}`;
        continue;
      }
      if (Date.now() > deadline) {
        throw new FlinkError(
          `Flink did not finish ${summarize(statement)} within ${timeoutMs / 1000} s.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (result.nextResultUri) uri = `${this.#gateway}${result.nextResultUri}`;
    }
  }

  /** The job's state and vertices, as GET /jobs/:id gives them. */
  job(jobId: string): Promise<FlinkJob> {
    return request<FlinkJob>(`${this.#rest}/jobs/${jobId}`);
  }

  jobs(): Promise<{ jobs: { jid: string; name: string; state: string }[] }> {
    return request(`${this.#rest}/jobs/overview`);
  }

  /** Why the job failed, if it did: the root exception's text. */
  async failure(jobId: string): Promise<string | undefined> {
    const body = await request<{
      exceptionHistory?: { entries?: { exceptionName: string; stacktrace: string }[] };
    }>(`${this.#rest}/jobs/${jobId}/exceptions`);
    const entry = body.exceptionHistory?.entries?.[0];
    return entry ? firstLine(entry.stacktrace) : undefined;
  }

  /** The input watermark of each of a vertex's subtasks (epoch ms as text; Long.MIN_VALUE before the first). */
  watermarks(jobId: string, vertexId: string): Promise<{ id: string; value: string }[]> {
    return request(`${this.#rest}/jobs/${jobId}/vertices/${vertexId}/watermarks`);
  }

  /**
   * Figures of a vertex's subtasks, summed (records in and out) or their
   * highest (busy and backpressured time per second, where the busiest
   * subtask is the one that holds the rest back).
   */
  async vertexMetrics(
    jobId: string,
    vertexId: string,
    names: readonly string[],
    agg: 'sum' | 'max' = 'sum',
  ): Promise<Record<string, number>> {
    // Each entry is {id, <agg>}.
    const list = await request<({ id: string } & Record<typeof agg, number>)[]>(
      `${this.#rest}/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics?get=${names.map(encodeURIComponent).join(',')}&agg=${agg}`,
    );
    return Object.fromEntries(list.map((m) => [m.id, Number(m[agg])]));
  }

  /**
   * Stops the job with a savepoint (into `directory`, or the cluster's
   * default) and resolves with where it was written once it is complete.
   */
  async stopWithSavepoint(jobId: string, directory?: string, timeoutMs = 120_000): Promise<string> {
    const { 'request-id': trigger } = await request<{ 'request-id': string }>(
      `${this.#rest}/jobs/${jobId}/stop`,
      {
        method: 'POST',
        body: JSON.stringify({
          drain: false,
          ...(directory ? { targetDirectory: directory } : {}),
        }),
      },
    );
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await request<{
        status: { id: string };
        operation?: { location?: string; 'failure-cause'?: { 'stack-trace'?: string } };
      }>(`${this.#rest}/jobs/${jobId}/savepoints/${trigger}`);
      if (state.status.id === 'COMPLETED') {
        const cause = state.operation?.['failure-cause'];
        if (cause) {
          const detail = cause['stack-trace'] ?? '';
          throw new FlinkError(`The savepoint failed: ${firstLine(detail)}`, detail);
        }
        return state.operation?.location ?? '';
      }
      if (Date.now() > deadline)
        throw new FlinkError(`The savepoint did not complete within ${timeoutMs / 1000} s.`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Cancels the job without a savepoint. */
  async cancel(jobId: string): Promise<void> {
    await request(`${this.#rest}/jobs/${jobId}?mode=cancel`, { method: 'PATCH' });
  }
}

interface ResultPage {
  resultType: 'NOT_READY' | 'PAYLOAD' | 'EOS';
  nextResultUri?: string;
  jobID?: string;
}

export interface FlinkJob {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly vertices: readonly {
    readonly id: string;
    readonly name: string;
    readonly parallelism: number;
    readonly status: string;
    readonly metrics: Readonly<Record<string, number | boolean>>;
  }[];
}

function summarize(statement: string): string {
  const first = statement.split('\n')[0]!.trim();
  return first.length > 80 ? `${first.slice(0, 77)}…` : first;
}
