// One operator of a running job: delivers batches and watermarks to it,
// counts what passes, and forwards what it emits. Every call into operator
// code is synchronous; batches flow through the whole graph in one go.
import type { LateRecord, OperatorDefinition } from '@sluice/shared';
import type { Batch } from '../batch.js';
import { END_OF_TIME, START_OF_TIME } from '../batch.js';
import type { BlockReader, BlockWriter } from '../checkpoint/blocks.js';
import type { Operator, OperatorContext, Source } from '../operator.js';
import type { Clock } from './clock.js';
import type { HotKeys } from './hot-keys.js';
import { OperatorCounters } from './metrics.js';
import type { Recorder } from './recorder.js';
import type { StateStore, StoreSnapshot } from './state.js';
import type { Tap } from './taps.js';

/** How many of a node's latest late records the event-time view shows. */
export const RECENT_LATE = 20;

/** Where one output port leads: the edge, and the input slot of the node it feeds. */
export interface OutgoingEdge {
  readonly edgeId: string;
  readonly target: RunningNode;
  /** Index of the target's input port (into its kind's inputs). */
  readonly port: number;
  /** The target's slot for this edge, for watermarks and end of input. */
  readonly slot: number;
  records: number;
  taps: Tap[] | undefined;
  /** The edge's flight recorder (see recorder.ts); set by the job unless recording is off. */
  recorder?: Recorder;
}

/** What a checkpoint keeps of one node: its operator's store and what the runtime tracks for it. */
export interface NodeSnapshot {
  readonly kind: string;
  readonly state: StoreSnapshot;
  /** Combined input watermark (a source's own). */
  readonly watermark: number;
  /** Per input slot, its watermark and whether it has ended. */
  readonly slots: readonly { readonly watermark: number; readonly ended: boolean }[];
  readonly finished: boolean;
  /** The processing-time timer the operator asked for; +Infinity when none. */
  readonly timerAt: number;
  /** A source's position after its last batch; absent when it has handed out none. */
  readonly position?: unknown;
  readonly counters: { recordsIn: number; recordsOut: number; errors: number; late: number };
}

/** What a node reports to its job. */
export interface NodeHost {
  readonly clock: Clock;
  readonly busy: BusyTimer;
  recordError(node: RunningNode, row: unknown, reason: string): void;
  fail(node: RunningNode, error: unknown): void;
  nodeFinished(node: RunningNode): void;
}

/** Charges wall time to the operator whose own code is running (not its downstream). */
export class BusyTimer {
  readonly #stack: OperatorCounters[] = [];
  #mark = 0;

  enter(counters: OperatorCounters): void {
    const now = performance.now();
    const top = this.#stack.at(-1);
    if (top) top.busyMs += now - this.#mark;
    this.#stack.push(counters);
    this.#mark = now;
  }

  exit(): void {
    const now = performance.now();
    const top = this.#stack.pop();
    if (top) top.busyMs += now - this.#mark;
    this.#mark = now;
  }
}

export class RunningNode {
  readonly counters = new OperatorCounters();
  /** Per output port, the edges leaving it. */
  readonly outputs: OutgoingEdge[][];
  readonly latePort: number;
  operator?: Operator;
  source?: Source;
  /** Combined input watermark (for a source: its own). */
  watermark = START_OF_TIME;
  idle = false;
  finished = false;
  /** A source's `position()` after its last batch (see Source.position). */
  position: unknown;
  /** A keyed operator's hottest keys, counted on a sample (see hot-keys.ts); set with the operator. */
  hotKeys?: HotKeys;
  /** The latest late records, oldest first, for the event-time view. */
  readonly recentLate: LateRecord[] = [];
  #slotWatermarks: number[] = [];
  #slotIdle: boolean[] = [];
  #slotEnded: boolean[] = [];
  #timerAt = Number.POSITIVE_INFINITY;
  #cancelTimer?: () => void;
  readonly #context: OperatorContext;

  constructor(
    readonly id: string,
    readonly definition: OperatorDefinition,
    readonly state: StateStore,
    readonly host: NodeHost,
  ) {
    this.outputs = definition.outputs.map(() => []);
    this.latePort = definition.outputs.findIndex((p) => p.name === 'late');
    // One context object per node, reused for every call: nothing is allocated per batch.
    const node = this;
    this.#context = {
      emit: (batch, port = 0) => node.emit(batch, port),
      error: (row, reason) => host.recordError(node, row, reason),
      late: (batch) => node.#late(batch),
      get watermark() {
        return node.watermark;
      },
      now: () => host.clock.now(),
      setTimer: (at) => node.#setTimer(at),
    };
  }

  get context(): OperatorContext {
    return this.#context;
  }

  /** Adds an input slot (one per incoming edge); returns its index. */
  addSlot(): number {
    this.#slotWatermarks.push(START_OF_TIME);
    this.#slotIdle.push(false);
    this.#slotEnded.push(false);
    return this.#slotWatermarks.length - 1;
  }

  get slots(): number {
    return this.#slotWatermarks.length;
  }

  /** An input slot's watermark, and whether it is idle or has ended. */
  slot(index: number): { watermark: number; idle: boolean; ended: boolean } {
    return {
      watermark: this.#slotWatermarks[index] ?? START_OF_TIME,
      idle: this.#slotIdle[index] ?? false,
      ended: this.#slotEnded[index] ?? false,
    };
  }

  /** Delivers a batch that arrived on input port `port` through slot `slot`. */
  receive(batch: Batch, port: number, slot: number): void {
    if (this.finished) return;
    if (this.#slotIdle[slot]) this.setIdle(slot, false);
    this.counters.recordsIn += batch.rows.length;
    this.host.busy.enter(this.counters);
    if (this.hotKeys !== undefined) this.hotKeys.offer(batch.rows, port, this.host.clock.now());
    try {
      this.operator!.process(batch, port, this.#context);
    } catch (error) {
      this.host.fail(this, error);
    } finally {
      this.host.busy.exit();
    }
  }

  /** Sends a batch to every edge of an output port. */
  emit(batch: Batch, port: number): void {
    const n = batch.rows.length;
    if (n === 0) return;
    this.counters.recordsOut += n;
    const edges = this.outputs[port];
    if (!edges) return;
    for (const edge of edges) {
      edge.records += n;
      if (edge.recorder !== undefined) edge.recorder.offer(batch, this.host.clock.now());
      if (edge.taps !== undefined)
        for (const tap of edge.taps) tap.offer(batch, this.host.clock.now());
      edge.target.receive(batch, edge.port, edge.slot);
    }
  }

  /** A watermark arrived on an input slot (or, for a source, was generated). */
  advance(slot: number, watermark: number): void {
    if (watermark > (this.#slotWatermarks[slot] ?? START_OF_TIME))
      this.#slotWatermarks[slot] = watermark;
    this.#recombine();
  }

  /** An idle input stops holding back the watermark until it has records again. */
  setIdle(slot: number, idle: boolean): void {
    this.#slotIdle[slot] = idle;
    if (idle) this.#recombine();
  }

  /** An input has ended: it no longer holds back the watermark. */
  endSlot(slot: number): void {
    this.#slotEnded[slot] = true;
    this.#slotWatermarks[slot] = END_OF_TIME;
    this.#recombine();
    if (!this.finished && this.#slotEnded.every(Boolean)) this.finish();
  }

  /** Sets a source's own watermark and forwards it. */
  sourceWatermark(watermark: number): void {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    this.#forwardWatermark(watermark);
  }

  /** Marks a source idle or active for everything downstream. */
  sourceIdle(idle: boolean): void {
    if (this.idle === idle) return;
    this.idle = idle;
    for (const edges of this.outputs) for (const e of edges) e.target.setIdle(e.slot, idle);
  }

  /** No more input: let the operator emit what it holds, then end every output. */
  finish(): void {
    if (this.finished) return;
    if (this.operator?.finish) this.#call(() => this.operator!.finish!(this.#context));
    this.finished = true;
    this.#cancelTimer?.();
    for (const edges of this.outputs) for (const e of edges) e.target.endSlot(e.slot);
    this.host.nodeFinished(this);
  }

  #recombine(): void {
    let min = END_OF_TIME;
    let active = 0;
    for (let i = 0; i < this.#slotWatermarks.length; i++) {
      if (this.#slotIdle[i] && !this.#slotEnded[i]) continue;
      active++;
      const w = this.#slotWatermarks[i]!;
      if (w < min) min = w;
    }
    // Every input idle: hold the watermark where it is (as Flink does).
    if (active === 0 || min <= this.watermark) return;
    this.watermark = min;
    if (this.operator?.onWatermark)
      this.#call(() => this.operator!.onWatermark!(min, this.#context));
    this.#forwardWatermark(min);
  }

  #forwardWatermark(watermark: number): void {
    for (const edges of this.outputs) for (const e of edges) e.target.advance(e.slot, watermark);
  }

  #late(batch: Batch): void {
    const n = batch.rows.length;
    this.counters.late += n;
    // Only the last few of a burst: the view shows how late, not every record.
    const at = this.host.clock.now();
    for (let i = Math.max(0, n - RECENT_LATE); i < n; i++) {
      const time = batch.times[i]!;
      this.recentLate.push({
        time,
        watermark: this.watermark,
        byMs: Math.max(0, this.watermark - time),
        at,
      });
    }
    if (this.recentLate.length > RECENT_LATE)
      this.recentLate.splice(0, this.recentLate.length - RECENT_LATE);
    if (this.latePort >= 0) this.emit(batch, this.latePort);
  }

  #setTimer(at: number): void {
    if (at >= this.#timerAt) return;
    this.#cancelTimer?.();
    this.#timerAt = at;
    const clock = this.host.clock;
    this.#cancelTimer = clock.schedule(at - clock.now(), () => {
      this.#timerAt = Number.POSITIVE_INFINITY;
      this.#cancelTimer = undefined;
      if (!this.finished && this.operator?.onTimer) {
        this.#call(() => this.operator!.onTimer!(clock.now(), this.#context));
      }
    });
  }

  #call(fn: () => void): void {
    this.host.busy.enter(this.counters);
    try {
      fn();
    } catch (error) {
      this.host.fail(this, error);
    } finally {
      this.host.busy.exit();
    }
  }

  /** The node now, for a checkpoint taken between batches. */
  snapshot(blocks?: BlockWriter): NodeSnapshot {
    const c = this.counters;
    return {
      kind: this.definition.kind,
      state: this.state.snapshot(blocks),
      watermark: this.watermark,
      slots: this.#slotWatermarks.map((watermark, i) => ({
        watermark,
        ended: this.#slotEnded[i]!,
      })),
      finished: this.finished,
      timerAt: this.#timerAt,
      ...(this.position === undefined ? {} : { position: this.position }),
      counters: {
        recordsIn: c.recordsIn,
        recordsOut: c.recordsOut,
        errors: c.errors,
        late: c.late,
      },
    };
  }

  /**
   * Puts the node back where a snapshot left it, before anything runs: the
   * operator's store, the watermarks (without calling the operator: its state
   * already reflects them), the source's position and the pending timer.
   * `slotsFrom` maps each input slot to the snapshot's slot it takes (an
   * upgrade whose edges changed); undefined for one that is new, which starts
   * at the start of time. Without it, the slots must be the snapshot's.
   */
  restore(
    snapshot: NodeSnapshot,
    blocks?: BlockReader,
    slotsFrom?: readonly (number | undefined)[],
  ): void {
    if (!slotsFrom && snapshot.slots.length !== this.#slotWatermarks.length) {
      throw new Error(
        `node '${this.id}' has ${this.#slotWatermarks.length} inputs, the checkpoint ${snapshot.slots.length}`,
      );
    }
    this.state.restore(snapshot.state, blocks);
    this.watermark = snapshot.watermark;
    for (let i = 0; i < this.#slotWatermarks.length; i++) {
      const from = slotsFrom ? slotsFrom[i] : i;
      const slot = from === undefined ? undefined : snapshot.slots[from];
      this.#slotWatermarks[i] = slot?.watermark ?? START_OF_TIME;
      this.#slotEnded[i] = slot?.ended ?? false;
    }
    this.finished = snapshot.finished;
    if (snapshot.position !== undefined) {
      this.position = snapshot.position;
      this.source?.restore?.(snapshot.position);
    }
    Object.assign(this.counters, snapshot.counters);
    if (!this.finished && Number.isFinite(snapshot.timerAt)) this.#setTimer(snapshot.timerAt);
  }

  /**
   * Before anything runs, after a restore into an edited pipeline: raises an
   * input slot to the watermark its upstream node was restored with, as if it
   * had been forwarded (without calling the operator, which holds nothing
   * older). With `combine`, the node's own watermark follows its slots (a
   * node that was not restored); otherwise it stays the restored one.
   */
  seedSlot(slot: number, watermark: number, combine: boolean): void {
    if (watermark > (this.#slotWatermarks[slot] ?? START_OF_TIME))
      this.#slotWatermarks[slot] = watermark;
    if (!combine) return;
    let min = END_OF_TIME;
    for (let i = 0; i < this.#slotWatermarks.length; i++) {
      const w = this.#slotWatermarks[i]!;
      if (w < min) min = w;
    }
    if (min > this.watermark) this.watermark = min;
  }

  cancelTimers(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }
}
