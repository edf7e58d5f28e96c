import { describe, expect, it } from 'vitest';
import { END_OF_TIME } from '../batch.js';
import { rec, tuples, windowAggregate } from '../testing/window-aggregate.js';

describe('window.aggregate: session windows', () => {
  const session = { window: { type: 'session', gap: '10ms' } };

  it('closes a session after gap without records for its key, and keeps keys apart', () => {
    const h = windowAggregate(session);
    h.push([rec('a', 1), rec('b', 2), rec('a', 3), rec('a', 4)], [0, 5, 9, 30]);
    h.watermark(17);
    expect(tuples(h.emitted().rows)).toEqual([['b', 5, 15, 1, 2]]);
    h.watermark(18);
    h.watermark(END_OF_TIME);
    expect(tuples(h.emitted().rows)).toEqual([
      ['b', 5, 15, 1, 2],
      ['a', 0, 19, 2, 4],
      ['a', 30, 40, 1, 4],
    ]);
    expect(h.emitted().times).toEqual([14, 18, 39]);
  });

  it('merges sessions that touch (as Flink does) and sessions that a record bridges', () => {
    const h = windowAggregate(session);
    h.push([rec('a', 1), rec('a', 2), rec('a', 100)], [0, 21, 10]);
    h.watermark(END_OF_TIME);
    // [0,10) and [10,20) touch: one session; [21,31) is apart.
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', 0, 20, 2, 101],
      ['a', 21, 31, 1, 2],
    ]);
    // [0,10) and [15,25): a record at 8 opens [8,18), which overlaps both.
    const bridged = windowAggregate(session);
    bridged.push([rec('a', 1), rec('a', 2), rec('a', 100)], [0, 15, 8]);
    bridged.watermark(END_OF_TIME);
    expect(tuples(bridged.emitted().rows)).toEqual([['a', 0, 25, 3, 103]]);
  });

  it('orders sessions ending together by the first record of each, merged sessions included', () => {
    const h = windowAggregate(session);
    // a: [12,22) first; b: [5,15) + [12,22); a: [0,10), then 8 bridges a's two sessions.
    h.push([rec('a'), rec('b'), rec('b'), rec('a'), rec('a')], [12, 5, 12, 0, 8]);
    h.watermark(END_OF_TIME);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', 0, 22, 3, 3],
      ['b', 5, 22, 2, 2],
    ]);
  });

  it('merges a record that arrives before a session it overlaps', () => {
    const h = windowAggregate(session);
    h.push([rec('a', 1), rec('a', 2)], [20, 12]);
    h.watermark(END_OF_TIME);
    expect(tuples(h.emitted().rows)).toEqual([['a', 12, 30, 2, 3]]);
  });

  it('fires a short session among many long-open ones on time, and keeps the others open', () => {
    const h = windowAggregate(session);
    const users = Array.from({ length: 500 }, (_, i) => `u${i}`);
    h.push([rec('short', 7)], [0]);
    // Every long-open user has a record every 5 ms: their sessions keep being extended.
    for (let t = 0; t <= 100; t += 5) {
      h.push(
        users.map((u) => rec(u)),
        users.map(() => t),
      );
      h.watermark(t - 1);
      expect(tuples(h.emitted().rows)).toEqual(t < 10 ? [] : [['short', 0, 10, 1, 7]]);
      expect(h.operator.metrics!()).toEqual({ openWindows: t < 10 ? 501 : 500 });
      expect(h.state.size().keys).toBe(t < 10 ? 501 : 500);
    }
    h.watermark(END_OF_TIME);
    const rows = tuples(h.emitted().rows);
    expect(rows).toHaveLength(501);
    // Sessions ending together come out in the order of their first record.
    expect(rows.slice(1)).toEqual(users.map((u) => [u, 0, 110, 21, 21]));
    expect(h.state.size().keys).toBe(0);
  });

  it('fires a session at its latest end after it was extended, and an earlier one opened after it', () => {
    const h = windowAggregate(session);
    h.push([rec('a', 1), rec('a', 2)], [50, 55]);
    // An out-of-order record opens [0,10) for a, which ends before [50,65).
    h.push([rec('a', 3), rec('b', 4)], [0, 8]);
    h.watermark(9);
    expect(tuples(h.emitted().rows)).toEqual([['a', 0, 10, 1, 3]]);
    h.watermark(59);
    h.push([rec('a', 5)], [62]);
    h.watermark(64);
    expect(tuples(h.emitted().rows)).toEqual([
      ['a', 0, 10, 1, 3],
      ['b', 8, 18, 1, 4],
    ]);
    h.watermark(71);
    expect(tuples(h.emitted().rows).slice(2)).toEqual([['a', 50, 72, 3, 8]]);
    expect(h.operator.metrics!()).toEqual({ openWindows: 0 });
    expect(h.state.size().keys).toBe(0);
  });
});
