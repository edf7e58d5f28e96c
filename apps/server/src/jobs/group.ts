// A job that runs as several instances (settings.parallelism), each in its own
// worker thread with its share of the Kafka partitions, speaking to JobHandle
// as one worker would: requests go to every instance and their answers come
// back put together (./instances.ts); the instances share one stop flag, so a
// stop reaches all at once; when one fails, the others are stopped and the
// job fails with its reason; it ends when all have.
import { EventEmitter } from 'node:events';
import type { JobFailure, JobMetrics, NodeView } from '@sluice/shared';
import {
  instanceQuery,
  mergeEventTimes,
  mergeFollows,
  mergeMetrics,
  mergeRecordPages,
  mergeSlices,
  mergeViews,
  nextCursors,
} from './instances.js';
import {
  type FromWorker,
  type JobWorker,
  type RecordsQuery,
  type Slices,
  STOP,
  type ToWorker,
} from './protocol.js';

type Reply = Extract<FromWorker, { type: 'reply' }>;
type Done = Extract<FromWorker, { type: 'done' }>;
type Request = Extract<ToWorker, { requestId: number }>;

/** How an instance ended. */
type Outcome =
  | Done
  | Extract<FromWorker, { type: 'start-failed' | 'stopped-before-start' }>
  | { readonly type: 'crashed'; readonly error: Error }
  | { readonly type: 'gone' };

interface Pending {
  readonly request: Request;
  readonly replies: (Reply | undefined)[];
  /** For records: what each instance was asked its page before. */
  readonly befores?: readonly (number | undefined)[];
}

/** How many served pages of recorded records the group remembers the next cursors of. */
const CURSORS_KEPT = 256;

export class WorkerGroup extends EventEmitter implements JobWorker {
  readonly #workers: readonly JobWorker[];
  readonly #stopFlag: Int32Array;
  readonly #metrics: (JobMetrics | undefined)[];
  /** Instances that reported metrics since the job's last merged snapshot. */
  readonly #fresh = new Set<number>();
  readonly #outcomes: (Outcome | undefined)[];
  /** Whether the job said it resumed from a checkpoint (the first instance to restore says it). */
  #restored = false;
  readonly #exited: boolean[];
  readonly #pending = new Map<number, Pending>();
  /** By the last record of a page served: where each instance's next page starts. */
  readonly #cursors = new Map<number, readonly (number | undefined)[]>();
  #settled = false;
  /** The exit code of the first instance that ended without a word. */
  #exitCode?: number;

  readonly #keeps: (nodeId: string) => number;

  /**
   * `start(i)` starts instance i of `count`; they share `stopFlag`. `keeps`
   * says how many rows a node's view keeps (see viewKeeps).
   */
  constructor(
    count: number,
    start: (index: number) => JobWorker,
    stopFlag: Int32Array,
    keeps: (nodeId: string) => number,
  ) {
    super();
    this.#stopFlag = stopFlag;
    this.#keeps = keeps;
    this.#metrics = new Array(count).fill(undefined);
    this.#outcomes = new Array(count).fill(undefined);
    this.#exited = new Array(count).fill(false);
    this.#workers = Array.from({ length: count }, (_, index) => {
      const worker = start(index);
      worker.on('message', (message) => this.#receive(index, message));
      worker.on('error', (error) => this.#end(index, { type: 'crashed', error }));
      worker.on('exit', (code) => this.#exit(index, code));
      return worker;
    });
  }

  get count(): number {
    return this.#workers.length;
  }

  postMessage(message: ToWorker): void {
    const n = this.count;
    switch (message.type) {
      case 'stop':
      case 'tap-close':
        this.#toRunning(() => message);
        return;
      case 'tap-open':
        // The job samples at the rate asked: each instance a share of it.
        this.#toRunning(() => ({
          ...message,
          perSecond: Math.max(1, Math.ceil(message.perSecond / n)),
        }));
        return;
      default: {
        const queries =
          message.type === 'records'
            ? this.#workers.map((_w, index) =>
                instanceQuery(
                  message.query,
                  index,
                  n,
                  message.query.before === undefined
                    ? undefined
                    : this.#cursors.get(message.query.before),
                ),
              )
            : undefined;
        const pending: Pending = {
          request: message,
          replies: new Array(n).fill(undefined),
          ...(queries ? { befores: queries.map((q) => q.before) } : {}),
        };
        this.#pending.set(message.requestId, pending);
        this.#workers.forEach((worker, index) => {
          if (this.#outcomes[index]) {
            pending.replies[index] = { type: 'reply', requestId: message.requestId, value: null };
            return;
          }
          worker.postMessage(
            message.type === 'records' ? { ...message, query: queries![index]! } : message,
          );
        });
        this.#answerIfAll(message.requestId);
      }
    }
  }

  async terminate(): Promise<number> {
    const codes = await Promise.all(this.#workers.map((w) => w.terminate()));
    return codes.find((c) => c !== 0) ?? codes[0] ?? 0;
  }

  #toRunning(message: (index: number) => ToWorker): void {
    this.#workers.forEach((worker, index) => {
      if (!this.#outcomes[index]) worker.postMessage(message(index));
    });
  }

  #receive(index: number, message: FromWorker): void {
    switch (message.type) {
      case 'metrics':
        this.#metrics[index] = message.metrics;
        this.#snapshot(index);
        break;
      case 'errors':
      case 'tap':
        this.emit('message', message);
        break;
      case 'warning':
        this.emit('message', { ...message, message: `${this.#name(index)}: ${message.message}` });
        break;
      case 'reply': {
        const pending = this.#pending.get(message.requestId);
        if (!pending) break;
        pending.replies[index] = message;
        this.#answerIfAll(message.requestId);
        break;
      }
      case 'restored':
        // Said once, by the first instance to restore: one without a checkpoint yet starts afresh.
        if (!this.#restored) this.emit('message', message);
        this.#restored = true;
        break;
      case 'done':
      case 'start-failed':
      case 'stopped-before-start':
        this.#end(index, message);
        break;
    }
  }

  /** A merged snapshot once every running instance has reported since the last, or one reports twice. */
  #snapshot(index: number): void {
    const running = this.#outcomes.filter((o) => o === undefined).length;
    const again = this.#fresh.has(index);
    this.#fresh.add(index);
    if (this.#metrics.some((m) => m === undefined)) return;
    if (!again && this.#fresh.size < running) return;
    this.#fresh.clear();
    this.emit('message', { type: 'metrics', metrics: mergeMetrics(this.#metrics as JobMetrics[]) });
  }

  #answerIfAll(requestId: number): void {
    const pending = this.#pending.get(requestId);
    if (!pending || pending.replies.some((r) => r === undefined)) return;
    this.#pending.delete(requestId);
    const replies = pending.replies as Reply[];
    const problem = replies.find((r) => r.problem !== undefined)?.problem;
    const answered = replies
      .map((reply, index) => ({ index, value: reply.value, times: reply.times }))
      .filter((r) => r.value !== null);
    const reply = (value: Reply['value']): Reply => ({
      type: 'reply',
      requestId,
      value,
      ...(problem === undefined ? {} : { problem }),
    });
    if (problem !== undefined || answered.length === 0) {
      this.emit('message', reply(null));
      return;
    }
    const values = answered.map((a) => a.value) as never[];
    const request = pending.request;
    const n = this.count;
    switch (request.type) {
      case 'inspect':
        this.emit('message', reply(mergeViews(values, this.#keeps(request.nodeId))));
        break;
      case 'explain':
        this.emit('message', reply(mergeEventTimes(values)));
        break;
      case 'records': {
        const page = mergeRecordPages(
          answered.map((a) => ({ index: a.index, page: a.value as never })),
          n,
          (request.query as RecordsQuery).limit,
        );
        const last = page.records.at(-1);
        if (last) {
          this.#cursors.set(last.seq, nextCursors(page, pending.befores ?? [], n));
          // The oldest remembered first.
          if (this.#cursors.size > CURSORS_KEPT) {
            this.#cursors.delete(this.#cursors.keys().next().value!);
          }
        }
        this.emit('message', reply(page));
        break;
      }
      case 'follow':
        this.emit(
          'message',
          reply(
            mergeFollows(
              answered.map((a) => ({ index: a.index, follow: a.value as never })),
              n,
            ),
          ),
        );
        break;
      case 'slice':
        this.emit(
          'message',
          reply(
            mergeSlices(
              answered.map((a) => ({
                slices: a.value as Slices,
                ...(a.times ? { times: a.times } : {}),
              })),
            ),
          ),
        );
        break;
    }
  }

  /** Instance `index` ended: the others are stopped if it failed; the job ends when all have. */
  #end(index: number, outcome: Outcome): void {
    if (this.#outcomes[index]) return;
    this.#outcomes[index] = outcome;
    // It answers nothing more: what it was asked counts as unanswered.
    for (const [requestId, pending] of this.#pending) {
      pending.replies[index] ??= { type: 'reply', requestId, value: null };
      this.#answerIfAll(requestId);
    }
    const failed =
      outcome.type === 'crashed' ||
      outcome.type === 'gone' ||
      outcome.type === 'start-failed' ||
      (outcome.type === 'done' && outcome.result.status === 'failed');
    if (failed) this.#stopOthers();
    this.#settleIfAll();
  }

  #exit(index: number, code: number): void {
    this.#exited[index] = true;
    // An instance that ended without reporting failed; the others must not run on without it.
    if (!this.#outcomes[index]) {
      this.#exitCode ??= code;
      this.#end(index, { type: 'gone' });
    }
    if (this.#exited.every(Boolean)) this.emit('exit', this.#exitCode ?? code);
  }

  #stopOthers(): void {
    if (Atomics.load(this.#stopFlag, 0) === 0) Atomics.store(this.#stopFlag, 0, STOP);
    this.#toRunning(() => ({ type: 'stop' }));
  }

  #name(index: number): string {
    return `Instance ${index + 1} of ${this.count}`;
  }

  #failure(index: number, failure: JobFailure | undefined): JobFailure {
    const message = failure?.message ?? 'it failed';
    return { ...failure, message: `${this.#name(index)}: ${message}` };
  }

  #settleIfAll(): void {
    if (this.#settled || this.#outcomes.some((o) => o === undefined)) return;
    this.#settled = true;
    const outcomes = this.#outcomes as Outcome[];
    const crashed = outcomes.findIndex((o) => o.type === 'crashed');
    if (crashed >= 0) {
      const { error } = outcomes[crashed] as { error: Error & { code?: string } };
      const wrapped = Object.assign(new Error(`${this.#name(crashed)}: ${error.message}`), {
        ...(error.code === undefined ? {} : { code: error.code }),
      });
      this.emit('error', wrapped);
      return;
    }
    // One ended without a word: the last exit tells JobHandle so.
    if (outcomes.some((o) => o.type === 'gone')) return;
    if (outcomes.every((o) => o.type === 'stopped-before-start')) {
      this.emit('message', { type: 'stopped-before-start' });
      return;
    }
    const refused = outcomes.findIndex((o) => o.type === 'start-failed');
    if (refused >= 0) {
      const { failure } = outcomes[refused] as Extract<Outcome, { type: 'start-failed' }>;
      this.emit('message', { type: 'start-failed', failure: this.#failure(refused, failure) });
      return;
    }
    // Some may have been stopped before they started (a sibling failed first): they have no result.
    this.emit('message', this.#done(outcomes));
  }

  /** The job's result: failed with the first failed instance's reason, else as they all ended. */
  #done(outcomes: readonly Outcome[]): Done {
    const ran = outcomes.flatMap((o, index) => (o.type === 'done' ? [{ index, done: o }] : []));
    const dones = ran.map((r) => r.done);
    const failed = ran.find((r) => r.done.result.status === 'failed');
    const status = failed ? 'failed' : dones[0]!.result.status;
    const metrics = mergeMetrics(
      dones.map((d) => d.result.metrics),
      ran.map((r) => r.index),
    );
    const failure = failed ? this.#failure(failed.index, failed.done.result.failure) : undefined;
    const previews = new Map<string, NodeView>();
    for (const [nodeId] of dones[0]!.previews) {
      const views = dones.map((d) => d.previews.get(nodeId)).filter((v) => v !== undefined);
      previews.set(nodeId, mergeViews(views, this.#keeps(nodeId)));
    }
    // A set of checkpoints only when every instance took its last one, of one kind.
    const lasts = outcomes.map((o) => (o.type === 'done' ? o.last : undefined));
    const first = lasts[0];
    const last =
      first && lasts.every((l) => l !== undefined && l.kind === first.kind)
        ? { ...first, instances: lasts.map((l) => l!.id) }
        : undefined;
    const { failure: _own, ...result } = dones[0]!.result;
    return {
      type: 'done',
      result: {
        ...result,
        status,
        metrics: { ...metrics, status },
        ...(failure ? { failure } : {}),
      },
      previews,
      ...(last ? { last } : {}),
    };
  }
}
