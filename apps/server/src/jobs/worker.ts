// The worker-thread entry that runs one job. A job that spins, throws or runs
// out of memory takes only this thread down; the server sees it as failed.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { Job } from '@sluice/engine';
import {
  type EventTimeView,
  type Follow,
  type NodeView,
  RECORD_ERRORS_KEPT,
  type RecordError,
  type RecordPage,
} from '@sluice/shared';
import type { FromWorker, Slices, ToWorker, WorkerStart } from './protocol.js';

/** Bad records are sent in batches, so a flood of them costs one message per interval. */
const ERRORS_FLUSH_MS = 200;

if (!parentPort) throw new Error('The job worker must run in a worker thread.');
const port: MessagePort = parentPort;
const start = workerData as WorkerStart;
const post = (message: FromWorker) => port.postMessage(message);

/** A stop asked for before the job began: nothing ran, so there is nothing to flush. */
function stoppedEarly(): boolean {
  if (Atomics.load(start.stopFlag, 0) === 0) return false;
  post({ type: 'stopped-before-start' });
  port.close();
  return true;
}

async function begin(): Promise<Job | undefined> {
  // Loading the engine is most of a worker's start-up (many workers starting at
  // once share the cores): a job stopped meanwhile need not load it at all.
  if (stoppedEarly()) return undefined;
  const { startJob } = await import('@sluice/engine');
  const { jobOptions, stopOptions } = await import('./options.js');
  if (stoppedEarly()) return undefined;
  let job: Job | undefined;
  try {
    const built = await jobOptions(start, (message) => post({ type: 'warning', message }));
    if (stoppedEarly()) return undefined;
    job = startJob(start.pipeline, {
      ...built.options,
      // The engine reads this between batches; the stop is asked of the job here so it carries
      // the last checkpoint (a flag-driven stop of the engine's own would take none).
      stopRequested: () => {
        const flag = Atomics.load(start.stopFlag, 0);
        if (flag !== 0 && job) void job.stop(stopOptions(flag, start.checkpoints !== undefined));
        return undefined;
      },
    });
    if (built.restoredFrom) post({ type: 'restored', from: built.restoredFrom });
    stopWith = () =>
      job?.stop(stopOptions(Atomics.load(start.stopFlag, 0), start.checkpoints !== undefined));
    return job;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    post({ type: 'start-failed', failure: { message } });
    port.close();
    return undefined;
  }
}

/** Stops the job as the stop flag says. */
let stopWith: () => void = () => {};

const started = await begin();
if (started) run(started);

function run(job: Job): void {
  job.subscribe((metrics) => post({ type: 'metrics', metrics }));

  let pendingErrors: RecordError[] = [];
  let skippedErrors = 0;
  let errorsTimer: NodeJS.Timeout | undefined;
  const flushErrors = () => {
    errorsTimer = undefined;
    if (pendingErrors.length === 0) return;
    post({ type: 'errors', errors: pendingErrors, skipped: skippedErrors });
    pendingErrors = [];
    skippedErrors = 0;
  };
  job.onError((error) => {
    pendingErrors.push(error);
    // Only the latest RECORD_ERRORS_KEPT matter to the main thread; older ones are counted.
    if (pendingErrors.length > RECORD_ERRORS_KEPT) {
      pendingErrors.shift();
      skippedErrors++;
    }
    errorsTimer ??= setTimeout(flushErrors, ERRORS_FLUSH_MS);
  });

  // Taps are reference-counted per edge: one engine tap, at the highest rate any reference asked for.
  const tapRefs = new Map<number, { edgeId: string; perSecond: number }>();
  const openTaps = new Map<string, { perSecond: number; close: () => void }>();

  function retap(edgeId: string): void {
    const wanted = Math.max(
      0,
      ...[...tapRefs.values()].filter((r) => r.edgeId === edgeId).map((r) => r.perSecond),
    );
    const open = openTaps.get(edgeId);
    if (open && open.perSecond === wanted) return;
    open?.close();
    openTaps.delete(edgeId);
    if (wanted === 0 || job.status !== 'running') return;
    try {
      const close = job.tap(edgeId, { perSecond: wanted }, (sample) =>
        post({ type: 'tap', sample }),
      );
      openTaps.set(edgeId, { perSecond: wanted, close });
    } catch {
      // The main thread checks edge ids against the pipeline; an unknown one is ignored here.
    }
  }

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'stop':
        stopWith();
        break;
      case 'tap-open':
        tapRefs.set(message.ref, { edgeId: message.edgeId, perSecond: message.perSecond });
        retap(message.edgeId);
        break;
      case 'tap-close': {
        const ref = tapRefs.get(message.ref);
        tapRefs.delete(message.ref);
        if (ref) retap(ref.edgeId);
        break;
      }
      case 'inspect':
        reply(message.requestId, () => job.inspect(message.nodeId));
        break;
      case 'explain':
        reply(message.requestId, () => job.explain(message.nodeId));
        break;
      case 'records':
        reply(message.requestId, () => job.records(message.edgeId, message.query));
        break;
      case 'follow':
        reply(message.requestId, () => job.follow(message.field, message.value));
        break;
      case 'slice': {
        // One of several instances: the group merges the instances' slices by time.
        const times: Record<string, number[]> | undefined = start.instance
          ? Object.create(null)
          : undefined;
        reply(message.requestId, () => job.slice(message.edgeIds, times), times);
        break;
      }
    }
  });

  function reply(
    requestId: number,
    value: () => NodeView | EventTimeView | RecordPage | Follow | Slices | undefined,
    times?: Record<string, number[]>,
  ): void {
    let answer: ReturnType<typeof value>;
    try {
      answer = value();
    } catch (error) {
      // A request the engine refuses (a filter that does not type-check) is answered with why.
      // (By name: the engine is imported once the job starts, below.)
      const problem =
        error instanceof Error && error.name === 'RecordQueryError' ? error.message : undefined;
      post({ type: 'reply', requestId, value: null, ...(problem ? { problem } : {}) });
      return;
    }
    try {
      post({ type: 'reply', requestId, value: answer ?? null, ...(times ? { times } : {}) });
    } catch {
      // A value that cannot be cloned is answered with nothing rather than left hanging.
      post({ type: 'reply', requestId, value: null });
    }
  }

  void job.done.then((result) => {
    clearTimeout(errorsTimer);
    flushErrors();
    for (const tap of openTaps.values()) tap.close();
    const previews = new Map<string, NodeView>();
    for (const node of start.pipeline.nodes) {
      const view = job.inspect(node.id);
      if (view !== undefined) previews.set(node.id, view);
    }
    const last = job.lastCheckpoint;
    post({
      type: 'done',
      result,
      previews,
      ...(last ? { last: { id: last.id, kind: last.kind, at: last.createdAt } } : {}),
    });
    // Nothing more to do: let the thread end once the message is out.
    port.close();
  });
}
