// What-if: the records a running job recorded lately, replayed through its
// own version of the pipeline and through an edited one, in a worker of their
// own with none of the job's sources or sinks, and each sink's outputs
// compared. The same slice, with the running version's outputs, becomes a
// test case for `sluice test`.
import { Worker } from 'node:worker_threads';
import { branchOf, type ReplayResult, sourceEdges } from '@sluice/engine';
import {
  diffRows,
  formatDuration,
  getOperator,
  type Pipeline,
  parseDuration,
  type TestCase,
  type WhatIfResult,
} from '@sluice/shared';
import { AppError } from '../errors.js';
import type { JobHandle } from './handle.js';
import { workerEntry } from './manager.js';
import type { ReplayReply, ReplayRequest } from './replay-worker.js';

/** How long a replay may take before its worker is stopped. */
const REPLAY_TIMEOUT_MS = 30_000;
/** Its heap. */
const REPLAY_HEAP_MB = 512;
/** Rows of each output, and of each kind of difference, sent to the browser. */
const ROWS_SHOWN = 200;

/** The connections a replay is fed on: those asked for, else those leaving the running version's sources. */
function fedEdges(job: JobHandle, edited: Pipeline, from?: readonly string[]): string[] {
  const edges = from ?? sourceEdges(job.pipeline);
  for (const id of edges) {
    if (!job.pipeline.edges.some((e) => e.id === id)) {
      throw new AppError(
        'bad-request',
        `The running job has no connection '${id}' to replay from.`,
      );
    }
    if (!edited.edges.some((e) => e.id === id)) {
      throw new AppError(
        'bad-request',
        `The edited pipeline has no connection '${id}': replay from connections both versions have.`,
      );
    }
  }
  return [...edges];
}

/** The watermark bound the replay scripts: the largest of the running version's sources'. */
function boundOf(pipeline: Pipeline): string {
  let ms = 0;
  for (const node of pipeline.nodes) {
    if (getOperator(node.kind)?.category !== 'source') continue;
    const eventTime = (node.config as { eventTime?: { maxOutOfOrderness?: string } }).eventTime;
    ms = Math.max(ms, parseDuration(eventTime?.maxOutOfOrderness ?? '0s') ?? 0);
  }
  return formatDuration(ms);
}

async function runReplays(request: ReplayRequest): Promise<ReplayResult[]> {
  const worker = new Worker(workerEntry('replay-worker'), {
    workerData: request,
    name: 'sluice what-if replay',
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: REPLAY_HEAP_MB },
  });
  const reply = await new Promise<ReplayReply>((resolve) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({
        ok: false,
        problem: `The replay took longer than ${formatDuration(REPLAY_TIMEOUT_MS)} and was stopped.`,
      });
    }, REPLAY_TIMEOUT_MS);
    worker.once('message', (message: ReplayReply) => {
      clearTimeout(timer);
      resolve(message);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, problem: `The replay failed: ${error.message}` });
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      resolve({
        ok: false,
        problem: `The replay stopped (exit code ${code}), out of memory or killed.`,
      });
    });
  });
  void worker.terminate();
  if (!reply.ok) throw new AppError('bad-request', reply.problem);
  return reply.results;
}

/** The slice a replay of these connections needs: theirs, and every other connection into the branch. */
async function sliceFor(job: JobHandle, pipelines: readonly Pipeline[], from: readonly string[]) {
  const needed = new Set(from);
  for (const pipeline of pipelines) {
    for (const e of branchOf(pipeline, from).entering) needed.add(e.id);
  }
  const known = [...needed].filter((id) => job.pipeline.edges.some((e) => e.id === id));
  return job.slice(known);
}

export async function whatIf(
  job: JobHandle,
  edited: Pipeline,
  from?: readonly string[],
): Promise<WhatIfResult> {
  const edges = fedEdges(job, edited, from);
  const slices = await sliceFor(job, [job.pipeline, edited], edges);
  const inputs = Object.entries(slices).map(([edgeId, rows]) => ({ edgeId, rows }));
  const maxOutOfOrderness = boundOf(job.pipeline);
  const [before, after] = await runReplays({
    runs: [
      { pipeline: job.pipeline, inputs },
      { pipeline: edited, inputs },
    ],
    maxOutOfOrderness,
  });
  const sinks = new Set([...before!.outputs, ...after!.outputs].map((o) => o.nodeId));
  const outputs = [...sinks].map((nodeId) => {
    const old = before!.outputs.find((o) => o.nodeId === nodeId);
    const now = after!.outputs.find((o) => o.nodeId === nodeId);
    const diff = diffRows(old?.rows ?? [], now?.rows ?? [], now?.fields ?? old?.fields ?? []);
    const cut =
      diff.added.length > ROWS_SHOWN ||
      diff.removed.length > ROWS_SHOWN ||
      diff.changed.length > ROWS_SHOWN;
    return {
      nodeId,
      fields: (now?.fields ?? old?.fields ?? []).map((f) => ({ name: f.name, type: f.type })),
      before: { rows: [...(old?.rows ?? [])].slice(0, ROWS_SHOWN), total: old?.total ?? 0 },
      after: { rows: [...(now?.rows ?? [])].slice(0, ROWS_SHOWN), total: now?.total ?? 0 },
      diff: {
        added: diff.added.slice(0, ROWS_SHOWN),
        removed: diff.removed.slice(0, ROWS_SHOWN),
        changed: diff.changed.slice(0, ROWS_SHOWN),
        same: diff.same,
      },
      cut,
    };
  });
  return {
    records: Object.fromEntries(inputs.map((i) => [i.edgeId, i.rows.length])),
    maxOutOfOrderness,
    outputs,
    warnings: [...new Set([...before!.warnings, ...after!.warnings])],
    errors: { before: before!.errors.length, after: after!.errors.length },
  };
}

/** The recorded slice and what the running version makes of it: a case for `sluice test`. */
export async function testCaseOf(
  job: JobHandle,
  name: string,
  from?: readonly string[],
): Promise<TestCase> {
  const edges = fedEdges(job, job.pipeline, from);
  const slices = await sliceFor(job, [job.pipeline], edges);
  const inputs = Object.entries(slices).map(([edgeId, rows]) => ({ edgeId, rows }));
  const maxOutOfOrderness = boundOf(job.pipeline);
  const [result] = await runReplays({
    runs: [{ pipeline: job.pipeline, inputs }],
    maxOutOfOrderness,
  });
  return {
    name,
    maxOutOfOrderness,
    inputs: slices,
    expected: Object.fromEntries(result!.outputs.map((o) => [o.nodeId, [...o.rows]])),
  };
}
