// Drives one operator by hand for unit tests: batches, watermarks, timers
// and the end of input, with every emitted batch, late record and error kept.
// It uses the operator's real runtime and declaration; only the job around it
// is replaced by this recorder.
import {
  checkExpression,
  type Field,
  getOperator,
  type PipelineNode,
  type StreamSchema,
  withDefaults,
} from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import { START_OF_TIME } from '../batch.js';
import { DataDir } from '../io/data-dir.js';
import type { Operator, OperatorContext } from '../operator.js';
import { runtimeFor } from '../operators/registry.js';
import { ManualClock } from '../runtime/clock.js';
import { StateStore, type StoreSnapshot } from '../runtime/state.js';

export interface HarnessOptions {
  readonly kind: string;
  readonly config: Record<string, unknown>;
  /** Schema arriving on each input port, in the kind's port order. */
  readonly inputs: readonly StreamSchema[];
  readonly dataDir?: string;
  readonly clock?: ManualClock;
  /** Where a console sink prints. Default: nowhere. */
  readonly stdout?: (text: string) => void;
  /** Tells the operator the job takes checkpoints (sinks deliver exactly once then). Default false. */
  readonly checkpointing?: boolean;
  /** Starts the operator from a snapshot another harness took, as a job restores a checkpoint. */
  readonly restore?: HarnessSnapshot;
}

/** What a job keeps of one operator in a checkpoint: its store, its input watermark, its timer. */
export interface HarnessSnapshot {
  readonly state: StoreSnapshot;
  readonly watermark: number;
  readonly timerAt: number;
}

export interface Harness {
  readonly operator: Operator;
  readonly clock: ManualClock;
  readonly state: StateStore;
  /** The inferred schema of each output port. */
  readonly outputs: readonly (StreamSchema | undefined)[];
  push(rows: Row[], times: number[], port?: number): void;
  watermark(watermark: number): void;
  finish(): void;
  /** Moves processing time on, firing the operator's timer when due. */
  advance(ms: number): void;
  /** Everything emitted on an output port so far, in order. */
  emitted(port?: number): { rows: Row[]; times: number[] };
  readonly late: Row[];
  readonly errors: { row: unknown; reason: string }[];
  /** The operator's state now, as a checkpoint would take it between two calls. */
  snapshot(): HarnessSnapshot;
}

export function stream(
  fields: [string, Field['type']][],
  time: 'event' | 'processing' = 'event',
): StreamSchema {
  return { fields: fields.map(([name, type]) => ({ name, type })), time };
}

export function operatorHarness(options: HarnessOptions): Harness {
  const definition = getOperator(options.kind);
  if (!definition) throw new Error(`unknown kind ${options.kind}`);
  const problems: string[] = [];
  const inputsByName = Object.fromEntries(
    definition.inputs.map((p, i) => [p.name, options.inputs[i] ? [options.inputs[i]] : []]),
  );
  const inferred = definition.infer({
    config: withDefaults(definition, options.config) as never,
    inputs: inputsByName,
    expression: (path, text, fields, expected) => {
      const checked = checkExpression(text, fields, expected ? { expected } : undefined);
      for (const p of checked.problems) problems.push(`${path}: ${p.message}`);
      return checked;
    },
    error: (path, _code, message) => problems.push(`${path ?? ''}: ${message}`),
    warning: () => {},
  });
  if (problems.length > 0) throw new Error(`invalid config: ${problems.join('; ')}`);
  const outputs = definition.outputs.map((p) => inferred?.[p.name]);
  const clock = options.clock ?? new ManualClock(0);
  const state = new StateStore();
  const node: PipelineNode & { config: Record<string, unknown> } = {
    id: 'op',
    kind: options.kind,
    config: options.config,
  };
  const runtime = runtimeFor(options.kind);
  if (runtime.type !== 'operator')
    throw new Error('the harness drives operators with inputs, not sources');
  const operator = runtime.create({
    node,
    definition,
    inputs: options.inputs.map((s) => [s]),
    outputs,
    clock,
    dataDir: new DataDir(options.dataDir ?? process.cwd()),
    state,
    stdout: options.stdout ?? (() => {}),
    checkpointing: options.checkpointing ?? false,
  });

  const emitted = definition.outputs.map(() => ({ rows: [] as Row[], times: [] as number[] }));
  const late: Row[] = [];
  const errors: { row: unknown; reason: string }[] = [];
  let watermark = START_OF_TIME;
  let timerAt = Number.POSITIVE_INFINITY;
  function arm(at: number): void {
    clock.schedule(at - clock.now(), () => {
      if (timerAt !== at) return;
      timerAt = Number.POSITIVE_INFINITY;
      operator.onTimer?.(clock.now(), context);
    });
  }
  const context: OperatorContext = {
    emit(batch: Batch, port = 0) {
      const out = emitted[port]!;
      out.rows.push(...batch.rows);
      out.times.push(...batch.times);
    },
    error: (row, reason) => void errors.push({ row, reason }),
    late(batch) {
      late.push(...batch.rows);
      const port = definition.outputs.findIndex((p) => p.name === 'late');
      if (port >= 0) context.emit(batch, port);
    },
    get watermark() {
      return watermark;
    },
    now: () => clock.now(),
    setTimer(at) {
      if (at >= timerAt) return;
      timerAt = at;
      arm(at);
    },
  };
  if (options.restore) {
    state.restore(options.restore.state);
    watermark = options.restore.watermark;
    timerAt = options.restore.timerAt;
    if (Number.isFinite(timerAt)) arm(timerAt);
  }
  return {
    operator,
    clock,
    state,
    outputs,
    push: (rows, times, port = 0) => operator.process({ rows, times }, port, context),
    watermark(w) {
      if (w <= watermark) return;
      watermark = w;
      operator.onWatermark?.(w, context);
    },
    finish: () => operator.finish?.(context),
    advance: (ms) => clock.advance(ms),
    emitted: (port = 0) => emitted[port]!,
    late,
    errors,
    snapshot: () => ({ state: state.snapshot(), watermark, timerAt }),
  };
}
