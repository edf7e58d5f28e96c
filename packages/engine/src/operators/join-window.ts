// The window join: records of both sides meet in the tumbling event-time
// window of their time; when the watermark completes a window, every pair of
// a left and a right record with equal keys (and a TRUE `where`) is emitted.
import { type Field, type joinWindow, parseDuration } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import { END_OF_TIME } from '../batch.js';
import type { EnvironmentOf, Operator, OperatorContext } from '../operator.js';
import {
  Column,
  type ColumnSnapshot,
  RowColumns,
  type RowColumnsSnapshot,
} from '../runtime/row-columns.js';
import type { Codec } from '../runtime/state.js';
import { reportBadValue } from './compile.js';
import { joinedRows } from './join/joined-rows.js';
import { type JoinKey, keyReader } from './join/keys.js';

/** The window bounds that lead each output record, as the declaration names them. */
const WINDOW_FIELDS: readonly Field[] = [
  { name: 'window_start', type: 'timestamp' },
  { name: 'window_end', type: 'timestamp' },
];

/** What one window holds until it fires. */
interface WindowBuffer {
  readonly start: number;
  readonly end: number;
  /**
   * Left records in arrival order, with their keys (null = NULL key, kept for
   * a left join), column by column: a window of a busy stream holds millions.
   */
  readonly left: RowColumns;
  readonly leftKeys: Column;
  /** Right records by key, each list in arrival order. */
  readonly right: Map<JoinKey, Row[]>;
  rightCount: number;
}

interface WindowPlain {
  readonly start: number;
  readonly end: number;
  readonly left: RowColumnsSnapshot;
  readonly leftKeys: ColumnSnapshot;
  readonly right: Map<JoinKey, Row[]>;
  readonly rightCount: number;
}

/** The left buffers' sealed blocks are written once, then named by later checkpoints. */
const windowCodec: Codec<WindowBuffer> = {
  encode: (w, blocks): WindowPlain => ({
    start: w.start,
    end: w.end,
    left: w.left.encode(blocks),
    leftKeys: w.leftKeys.encode(blocks),
    right: w.right,
    rightCount: w.rightCount,
  }),
  decode: (plain, blocks) => {
    const w = plain as WindowPlain;
    return {
      start: w.start,
      end: w.end,
      left: RowColumns.decode(w.left, blocks),
      leftKeys: Column.decode(w.leftKeys, blocks),
      right: w.right,
      rightCount: w.rightCount,
    };
  },
};

export function createJoinWindow(env: EnvironmentOf<typeof joinWindow>): Operator {
  const { config } = env;
  const size = windowSize(config.window.size);
  const leftJoin = config.type === 'left';
  const leftKey = keyReader(
    config.on.map((p) => p.left),
    env.inputs[0]?.[0]?.fields ?? [],
  );
  const rightKey = keyReader(
    config.on.map((p) => p.right),
    env.inputs[1]?.[0]?.fields ?? [],
  );
  const joined = joinedRows(env, WINDOW_FIELDS);
  /** Open windows by start: all of the operator's state. */
  const windows = env.state.map<number, WindowBuffer>('windows', windowCodec);
  // An index over the windows, rebuilt from them on restore.
  let bufferedLeft = 0;
  let bufferedRight = 0;
  /** The earliest end of an open window: watermarks before it have nothing to fire. */
  let nextEnd = END_OF_TIME;
  env.state.afterRestore(() => {
    bufferedLeft = 0;
    bufferedRight = 0;
    nextEnd = END_OF_TIME;
    for (const window of windows.values()) {
      bufferedLeft += window.left.length;
      bufferedRight += window.rightCount;
      if (window.end < nextEnd) nextEnd = window.end;
    }
  });

  function windowAt(start: number): WindowBuffer {
    let window = windows.get(start);
    if (window === undefined) {
      window = {
        start,
        end: start + size,
        left: new RowColumns(),
        leftKeys: new Column(),
        right: new Map(),
        rightCount: 0,
      };
      windows.set(start, window);
      if (window.end < nextEnd) nextEnd = window.end;
    }
    return window;
  }

  function process(batch: Batch, input: number, context: OperatorContext): void {
    const isLeft = input === 0;
    const readKey = isLeft ? leftKey : rightKey;
    const watermark = context.watermark;
    const lateRows: Row[] = [];
    const lateTimes: number[] = [];
    const n = batch.rows.length;
    for (let i = 0; i < n; i++) {
      const row = batch.rows[i]!;
      const time = batch.times[i]!;
      const start = Math.floor(time / size) * size;
      // Its window has fired already: the record cannot join any more.
      if (start + size - 1 <= watermark) {
        lateRows.push(row);
        lateTimes.push(time);
        continue;
      }
      let key: JoinKey | undefined;
      try {
        key = readKey(row);
      } catch (error) {
        reportBadValue(error, row, context);
        continue;
      }
      if (isLeft) {
        // A NULL key matches nothing, but a left join still emits its left record.
        if (key === undefined && !leftJoin) continue;
        const window = windowAt(start);
        window.left.push(row);
        window.leftKeys.push(key ?? null);
        bufferedLeft++;
      } else {
        if (key === undefined) continue;
        const window = windowAt(start);
        const rows = window.right.get(key);
        if (rows === undefined) window.right.set(key, [row]);
        else rows.push(row);
        window.rightCount++;
        bufferedRight++;
      }
    }
    if (lateRows.length > 0) context.late({ rows: lateRows, times: lateTimes });
  }

  /** Fires every window with end − 1 ≤ watermark, in window order, and forgets it. */
  function fire(watermark: number, context: OperatorContext): void {
    if (nextEnd - 1 > watermark) return;
    // Open windows are few (about the out-of-orderness over the size), so a scan is cheap.
    const due: WindowBuffer[] = [];
    nextEnd = END_OF_TIME;
    for (const window of windows.values()) {
      if (window.end - 1 <= watermark) due.push(window);
      else if (window.end < nextEnd) nextEnd = window.end;
    }
    due.sort((a, b) => a.start - b.start);
    const rows: Row[] = [];
    const times: number[] = [];
    for (const window of due) {
      windows.delete(window.start);
      bufferedLeft -= window.left.length;
      bufferedRight -= window.rightCount;
      pairUp(window, rows, times, context);
    }
    if (rows.length > 0) context.emit({ rows, times });
  }

  /** The window's output: left arrival order, then right arrival order. */
  function pairUp(
    window: WindowBuffer,
    rows: Row[],
    times: number[],
    context: OperatorContext,
  ): void {
    const bounds: Row = { window_start: window.start, window_end: window.end };
    const time = window.end - 1;
    const n = window.left.length;
    for (let i = 0; i < n; i++) {
      const key = window.leftKeys.get(i) as JoinKey | null;
      const matches = key === null ? undefined : window.right.get(key);
      // Made from its columns only when it is emitted.
      if (matches === undefined && !leftJoin) continue;
      const left = window.left.row(i);
      let matched = false;
      if (matches !== undefined) {
        for (const right of matches) {
          const out = joined.match(bounds, left, right, context);
          if (out === undefined) continue;
          rows.push(out);
          times.push(time);
          matched = true;
        }
      }
      if (!matched && leftJoin) {
        rows.push(joined.build(bounds, left, null));
        times.push(time);
      }
    }
  }

  return {
    keyFields: [config.on.map((p) => p.left), config.on.map((p) => p.right)],
    process,
    onWatermark: fire,
    finish(context) {
      fire(END_OF_TIME, context);
    },
    metrics: () => ({ bufferedLeft, bufferedRight, openWindows: windows.size }),
    // For the event-time view: the windows yet to fire, the first to fire first.
    pending: (limit) => ({
      kind: 'window',
      time: 'event',
      total: windows.size,
      earliest: [...windows.values()]
        .sort((a, b) => a.end - b.end)
        .slice(0, limit)
        // Not its keys: counting them would walk every buffered row (q7's window holds millions).
        .map((w) => ({ start: w.start, end: w.end, firesAt: w.end - 1 })),
    }),
  };
}

function windowSize(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new Error(`The window size '${text}' is not valid.`);
  return ms;
}
