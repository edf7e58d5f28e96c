import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { END_OF_TIME } from '../batch.js';
import { ManualClock } from '../runtime/clock.js';

import { rec, tuples, windowAggregate } from '../testing/window-aggregate.js';

describe('window.aggregate: tumbling windows', () => {
  it('fires a window once, when the watermark reaches end − 1, with its fields in output order', () => {
    const h = windowAggregate();
    h.push([rec('a', 2), rec('a', 3)], [0, 9]);
    h.watermark(8);
    expect(h.emitted().rows).toEqual([]);
    h.watermark(9);
    expect(h.emitted().rows).toEqual([
      { user: 'a', window_start: 0, window_end: 10, n: 2, total: 5 },
    ]);
    expect(Object.keys(h.emitted().rows[0]!)).toEqual(h.outputs[0]!.fields.map((f) => f.name));
    expect(h.emitted().times).toEqual([9]);
    h.watermark(100);
    expect(h.emitted().rows).toHaveLength(1);
  });

  it('aligns windows to the epoch, negative times included', () => {
    const h = windowAggregate();
    h.push([rec('a'), rec('a'), rec('a')], [-11, -1, 0]);
    h.watermark(END_OF_TIME);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', -20, -10, 1, 1],
      ['a', -10, 0, 1, 1],
      ['a', 0, 10, 1, 1],
    ]);
  });

  it('emits by window end, then by the order keys were first seen in the window', () => {
    const h = windowAggregate();
    h.push([rec('b'), rec('a'), rec('c'), rec('a'), rec('b')], [15, 12, 3, 1, 2]);
    h.watermark(END_OF_TIME);
    expect(tuples(h.emitted().rows)).toEqual([
      ['c', 0, 10, 1, 1],
      ['a', 0, 10, 1, 1],
      ['b', 0, 10, 1, 1],
      ['b', 10, 20, 1, 1],
      ['a', 10, 20, 1, 1],
    ]);
    expect(h.emitted().times).toEqual([9, 9, 9, 19, 19]);
  });

  it('puts out-of-order records in their own windows while those are open', () => {
    const h = windowAggregate();
    h.push([rec('a', 1), rec('a', 10)], [25, 3]);
    h.watermark(9);
    h.push([rec('a', 100)], [12]);
    h.watermark(END_OF_TIME);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', 0, 10, 1, 10],
      ['a', 10, 20, 1, 100],
      ['a', 20, 30, 1, 1],
    ]);
  });

  it('never changes the batch or rows it was handed', () => {
    const h = windowAggregate({ allowedLateness: '10ms' });
    const rows = [Object.freeze(rec('a')), Object.freeze(rec('b'))];
    const times = Object.freeze([1, 2]) as number[];
    h.push(Object.freeze(rows) as Row[], times);
    h.watermark(15);
    h.push(Object.freeze([Object.freeze(rec('a'))]) as Row[], Object.freeze([3]) as number[]);
    expect(rows).toEqual([rec('a'), rec('b')]);
  });
});

describe('window.aggregate: hopping windows', () => {
  const hopping = { window: { type: 'hopping', size: '30ms', slide: '10ms' } };

  it('puts each record in size/slide overlapping windows and fires them in order of end', () => {
    const h = windowAggregate(hopping);
    h.push([rec('a', 1), rec('b', 2), rec('a', 4)], [5, 15, 25]);
    h.watermark(9);
    expect(tuples(h.emitted().rows)).toEqual([['a', -20, 10, 1, 1]]);
    h.watermark(END_OF_TIME);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', -20, 10, 1, 1],
      ['a', -10, 20, 1, 1],
      ['b', -10, 20, 1, 2],
      ['a', 0, 30, 2, 5],
      ['b', 0, 30, 1, 2],
      ['b', 10, 40, 1, 2],
      ['a', 10, 40, 1, 4],
      ['a', 20, 50, 1, 4],
    ]);
  });

  it('orders keys by their first record in the window, across panes', () => {
    const h = windowAggregate(hopping);
    // b arrives first but in the later pane; a window holding both panes lists b first.
    h.push([rec('b'), rec('a')], [15, 5]);
    h.watermark(END_OF_TIME);
    const window = h.emitted().rows.filter((r) => r.window_start === 0);
    expect(window.map((r) => r.user)).toEqual(['b', 'a']);
  });
});

describe('window.aggregate: lateness', () => {
  it('sends records of fired windows to the late port when no lateness is allowed', () => {
    const h = windowAggregate();
    h.push([rec('a')], [5]);
    h.watermark(9);
    h.push([rec('a', 7), rec('b', 8)], [9, 10]);
    expect(h.late).toEqual([rec('a', 7)]);
    expect(h.emitted(1).rows).toEqual([rec('a', 7)]);
    expect(h.emitted(1).times).toEqual([9]);
    h.watermark(END_OF_TIME);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', 0, 10, 1, 1],
      ['b', 10, 20, 1, 8],
    ]);
  });

  it('re-fires the full updated row at once for each record within the allowed lateness', () => {
    const h = windowAggregate({ allowedLateness: '20ms' });
    h.push([rec('a', 1), rec('b', 1)], [1, 2]);
    h.watermark(15);
    h.push([rec('a', 10), rec('a', 100)], [3, 4]);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', 0, 10, 1, 1],
      ['b', 0, 10, 1, 1],
      ['a', 0, 10, 2, 11],
      ['a', 0, 10, 3, 111],
    ]);
    expect(h.emitted().times).toEqual([9, 9, 9, 9]);
    expect(h.late).toEqual([]);
  });

  it('fires at once a window that was empty when the watermark passed it', () => {
    const h = windowAggregate({ allowedLateness: '20ms' });
    h.watermark(15);
    h.push([rec('a')], [3]);
    expect(tuples(h.emitted().rows)).toEqual([['a', 0, 10, 1, 1]]);
  });

  it('drops a window at end − 1 + lateness; records after that are late', () => {
    const h = windowAggregate({ allowedLateness: '20ms' });
    h.push([rec('a')], [1]);
    h.watermark(28);
    expect(h.operator.metrics!()).toEqual({ openWindows: 1 });
    h.push([rec('a')], [2]);
    h.watermark(29);
    expect(h.operator.metrics!()).toEqual({ openWindows: 0 });
    expect(h.state.size().keys).toBe(0);
    h.push([rec('a', 5)], [3]);
    expect(h.late).toEqual([rec('a', 5)]);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', 0, 10, 1, 1],
      ['a', 0, 10, 2, 2],
    ]);
  });

  it('keeps a hopping record that only some of its windows can still take, for those windows', () => {
    const h = windowAggregate({ window: { type: 'hopping', size: '20ms', slide: '10ms' } });
    h.push([rec('a', 1)], [12]);
    h.watermark(19);
    // t = 15 is in [0,20), already fired, and in [10,30), still open.
    h.push([rec('a', 5)], [15]);
    expect(h.late).toEqual([]);
    h.watermark(END_OF_TIME);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', 0, 20, 1, 1],
      ['a', 10, 30, 2, 6],
    ]);
  });

  it('extends a fired session within lateness and fires it again; a record past it is late', () => {
    const h = windowAggregate({
      window: { type: 'session', gap: '10ms' },
      allowedLateness: '10ms',
    });
    h.push([rec('a', 1), rec('a', 2)], [0, 18]);
    h.watermark(12);
    expect(tuples(h.emitted().rows)).toEqual([['a', 0, 10, 1, 1]]);
    // A record at 2 extends the fired session to [0,12), still complete: it fires again at once.
    h.push([rec('a', 4)], [2]);
    expect(tuples(h.emitted().rows).at(-1)).toEqual(['a', 0, 12, 2, 5]);
    // A record at 9 bridges it with [18,28): the merged session is not complete yet.
    h.push([rec('a', 8)], [9]);
    expect(h.emitted().rows).toHaveLength(2);
    h.watermark(END_OF_TIME);
    expect(tuples(h.emitted().rows).at(-1)).toEqual(['a', 0, 28, 4, 15]);
    expect(h.emitted().rows).toHaveLength(3);
    // t + gap − 1 + lateness ≤ watermark: late.
    const l = windowAggregate({
      window: { type: 'session', gap: '10ms' },
      allowedLateness: '10ms',
    });
    l.watermark(30);
    l.push([rec('a', 1), rec('a', 2)], [11, 12]);
    expect(l.late).toEqual([rec('a', 1)]);
    expect(tuples(l.emitted().rows)).toEqual([['a', 12, 22, 1, 2]]);
  });
});

describe('window.aggregate: bad records', () => {
  it('sends a record whose expression fails to the errors, and it contributes to nothing', () => {
    const h = windowAggregate({
      aggregates: [
        { name: 'n', fn: 'count' },
        { name: 'total', fn: 'sum', expr: '100 / amount' },
      ],
    });
    h.push([rec('a', 4), rec('b', 0), rec('a', 0)], [1, 2, 3]);
    h.watermark(END_OF_TIME);
    expect(tuples(h.emitted().rows)).toEqual([['a', 0, 10, 1, 25]]);
    expect(h.errors.map((e) => e.row)).toEqual([rec('b', 0), rec('a', 0)]);
    expect(h.errors[0]!.reason).toMatch(/division by zero/);
  });
});

describe('window.aggregate: processing time', () => {
  const processing = { time: 'processing', allowedLateness: '1s' };

  it('assigns by the clock when processed, fires on the timer, and ignores record times', () => {
    const clock = new ManualClock(1_000);
    const h = windowAggregate(processing, clock);
    h.push([rec('a'), rec('b')], [-5_000, 99_999]);
    clock.advance(5);
    h.push([rec('a')], [0]);
    clock.advance(3);
    expect(h.emitted().rows).toEqual([]);
    clock.advance(1);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', 1_000, 1_010, 2, 2],
      ['b', 1_000, 1_010, 1, 1],
    ]);
    expect(h.emitted().times).toEqual([1_009, 1_009]);
    // Fired windows are gone: processing time has no lateness and no late records.
    expect(h.state.size().keys).toBe(0);
    clock.advance(30);
    h.push([rec('a', 5)], [0]);
    clock.advance(1);
    expect(tuples(h.emitted().rows).at(-1)).toEqual(['a', 1_030, 1_040, 1, 5]);
    expect(h.late).toEqual([]);
  });

  it('fires hopping windows one after another on the timer', () => {
    const clock = new ManualClock(5);
    const h = windowAggregate(
      { ...processing, window: { type: 'hopping', size: '20ms', slide: '10ms' } },
      clock,
    );
    h.push([rec('a')], [0]);
    clock.advance(4);
    expect(tuples(h.emitted().rows)).toEqual([['a', -10, 10, 1, 1]]);
    clock.advance(10);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', -10, 10, 1, 1],
      ['a', 0, 20, 1, 1],
    ]);
    expect(h.operator.metrics!()).toEqual({ openWindows: 0 });
  });

  it('fires every open window at finish, watermarks or not', () => {
    const clock = new ManualClock(0);
    const h = windowAggregate({ ...processing, window: { type: 'session', gap: '100ms' } }, clock);
    h.push([rec('a')], [0]);
    clock.advance(50);
    h.push([rec('a')], [0]);
    h.watermark(END_OF_TIME);
    clock.advance(98);
    expect(h.emitted().rows).toEqual([]);
    h.finish();
    expect(tuples(h.emitted().rows)).toEqual([['a', 0, 150, 2, 2]]);
    expect(h.operator.metrics!()).toEqual({ openWindows: 0 });
  });

  it('fires an extended session on the timer at its new end, then asks for no more timers', () => {
    const clock = new ManualClock(0);
    const h = windowAggregate({ ...processing, window: { type: 'session', gap: '10ms' } }, clock);
    h.push([rec('a', 1)], [0]);
    clock.advance(6);
    h.push([rec('a', 5)], [0]);
    // The timer asked for [0,10) comes at 9 and finds [0,16): nothing fires yet.
    clock.advance(8);
    expect(h.emitted().rows).toEqual([]);
    clock.advance(1);
    expect(tuples(h.emitted().rows)).toEqual([['a', 0, 16, 2, 6]]);
    expect(h.emitted().times).toEqual([15]);
    expect(clock.pendingTimers).toBe(0);
    expect(h.operator.metrics!()).toEqual({ openWindows: 0 });
  });

  it('puts a record processed at the millisecond its window fired into the next window', () => {
    const clock = new ManualClock(0);
    const h = windowAggregate(processing, clock);
    h.push([rec('a')], [0]);
    clock.advance(9);
    h.push([rec('a', 7)], [0]);
    h.finish();
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', 0, 10, 1, 1],
      ['a', 10, 20, 1, 7],
    ]);
  });
});

describe('window.aggregate: end of input and state', () => {
  it('finds nothing left at finish after the watermark +Infinity, and fires what is left without it', () => {
    const h = windowAggregate();
    h.push([rec('a')], [1]);
    h.watermark(END_OF_TIME);
    h.finish();
    expect(h.emitted().rows).toHaveLength(1);
    const g = windowAggregate({ window: { type: 'session', gap: '10ms' } });
    g.push([rec('a')], [1]);
    g.finish();
    expect(tuples(g.emitted().rows)).toEqual([['a', 1, 11, 1, 1]]);
  });

  it.each([
    ['tumbling', { type: 'tumbling', size: '10ms' }],
    ['hopping', { type: 'hopping', size: '30ms', slide: '10ms' }],
    ['session', { type: 'session', gap: '10ms' }],
  ])(
    'keeps no state once every %s window is cleaned up, and its memory stays flat',
    (_, window) => {
      const h = windowAggregate({ window, allowedLateness: '5ms', groupBy: ['user'] });
      let peak = 0;
      for (let step = 0; step < 200; step++) {
        const t = step * 7;
        h.push([rec(`u${step % 5}`), rec(`u${(step + 2) % 5}`)], [t, t + 3]);
        h.watermark(t - 1);
        peak = Math.max(peak, h.state.size().keys);
        if (step > 50) expect(h.operator.metrics!().openWindows).toBeLessThanOrEqual(40);
      }
      expect(peak).toBeLessThan(40);
      h.watermark(END_OF_TIME);
      expect(h.state.size().keys).toBe(0);
      expect(h.operator.metrics!()).toEqual({ openWindows: 0 });
    },
  );

  it("drops a key's sessions one at a time, each when its own lateness is past", () => {
    const h = windowAggregate({ window: { type: 'session', gap: '10ms' }, allowedLateness: '5ms' });
    h.push([rec('a'), rec('a'), rec('a')], [40, 0, 20]);
    expect(h.operator.metrics!()).toEqual({ openWindows: 3 });
    // [0,10), [20,30) and [40,50) are dropped at 9 + 5, 29 + 5 and 49 + 5.
    for (const [watermark, open] of [
      [13, 3],
      [14, 2],
      [33, 2],
      [34, 1],
      [53, 1],
      [54, 0],
    ]) {
      h.watermark(watermark!);
      expect(h.operator.metrics!()).toEqual({ openWindows: open });
    }
    expect(h.state.size().keys).toBe(0);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', 0, 10, 1, 1],
      ['a', 20, 30, 1, 1],
      ['a', 40, 50, 1, 1],
    ]);
  });

  it('counts open windows per key', () => {
    const h = windowAggregate({ window: { type: 'hopping', size: '30ms', slide: '10ms' } });
    h.push([rec('a'), rec('b'), rec('a')], [5, 5, 15]);
    // a: windows ending 10, 20, 30, 40; b: 10, 20, 30.
    expect(h.operator.metrics!()).toEqual({ openWindows: 7 });
    h.watermark(19);
    expect(h.operator.metrics!()).toEqual({ openWindows: 3 });
  });
});
