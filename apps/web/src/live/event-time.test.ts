// The words of the event-time panel and the canvas's hold mark, from views
// like those the engine builds.
import type { EventTimeView } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { eventTimeSummary, firesInMs, holdMark } from './event-time.js';

const T = new Date(2026, 11, 3, 12, 0, 0).getTime();
const titles: Record<string, string> = { orders: 'Orders', per_category: 'Per category' };
const titleOf = (id: string) => titles[id] ?? id;

function view(overrides: Partial<EventTimeView> = {}): EventTimeView {
  return {
    nodeId: 'per_category',
    at: T,
    watermark: T + 5_000,
    speed: 1000,
    inputs: [],
    late: { total: 0, recent: [] },
    pending: {
      kind: 'window',
      time: 'event',
      total: 2,
      earliest: [{ start: T, end: T + 10_000, firesAt: T + 9_999, keys: 3 }],
    },
    ...overrides,
  };
}

describe('why a window has not fired', () => {
  it('says when the first window fires at the watermark’s current pace', () => {
    expect(firesInMs(view().pending!.earliest[0]!, view())).toBe(4_999);
    // Event time moving at half the clock's pace: twice as long.
    expect(firesInMs(view().pending!.earliest[0]!, view({ speed: 500 }))).toBe(9_998);
    expect(eventTimeSummary(view(), titleOf, T)).toBe(
      '2 windows are open; the first, 12:00:00–12:00:10, fires when the watermark reaches 12:00:10: in about 5 s at the current pace.',
    );
  });

  it('names the silent partition a stalled window waits for, and what its idle timeout does', () => {
    const stalled = view({
      speed: 0,
      heldBy: {
        nodeId: 'orders',
        topic: 'orders',
        partition: 2,
        watermark: null,
        idleForMs: 65_000,
        behind: true,
        idleTimeoutMs: 3_600_000,
      },
    });
    expect(firesInMs(stalled.pending!.earliest[0]!, stalled)).toBeNull();
    expect(eventTimeSummary(stalled, titleOf, T)).toBe(
      "2 windows are open; the first, 12:00:00–12:00:10, fires when the watermark reaches 12:00:10, but the watermark has not moved over the last interval. It waits for partition 2 of 'orders' (read by Orders), silent for 1 min 5 s: it stops holding event time back once silent for 1 h 0 min (the source's idle timeout).",
    );
    const { idleTimeoutMs: _, ...forever } = stalled.heldBy!;
    expect(eventTimeSummary({ ...stalled, heldBy: forever }, titleOf, T)).toContain(
      'with no idle timeout, a silent partition holds event time back until it has records',
    );
    // Every partition as far as this one: nothing newer has come.
    expect(
      eventTimeSummary({ ...stalled, heldBy: { ...stalled.heldBy!, behind: false } }, titleOf, T),
    ).toContain(
      "It waits for partition 2 of 'orders' (read by Orders), silent for 1 min 5 s; no other partition is further on: the topic has nothing newer yet.",
    );
  });

  it('says so when nothing is open, or no watermark has come', () => {
    expect(
      eventTimeSummary(
        view({ pending: { kind: 'session', time: 'event', total: 0, earliest: [] } }),
        titleOf,
        T,
      ),
    ).toBe('Nothing is open here: no session waits to fire.');
    expect(
      eventTimeSummary(
        view({
          watermark: null,
          pending: undefined,
          heldBy: { nodeId: 'orders', watermark: null },
        }),
        titleOf,
        T,
      ),
    ).toBe('No watermark has arrived yet. It waits for Orders, which has no event time yet.');
  });
});

describe('the mark on the source the job waits for', () => {
  const partition = { nodeId: 'orders', topic: 'orders', partition: 2, watermark: T, behind: true };
  it('marks a partition silent for a while behind the others, not one a moment behind or one as far as all', () => {
    expect(holdMark({ ...partition, idleForMs: 6_000 }, 1, 60_000)).toBe('waits for partition 2');
    expect(holdMark({ ...partition, idleForMs: 200 }, 1, 60_000)).toBeUndefined();
    expect(holdMark({ ...partition, idleForMs: 6_000, behind: false }, 1, 60_000)).toBeUndefined();
  });

  it('marks the one source of several furthest behind, and a job with no event time after a while', () => {
    expect(holdMark({ nodeId: 'orders', watermark: T }, 2, 60_000)).toBe('furthest behind');
    expect(holdMark({ nodeId: 'orders', watermark: T }, 1, 60_000)).toBeUndefined();
    expect(holdMark({ nodeId: 'orders', watermark: null }, 1, 1_000)).toBeUndefined();
    expect(holdMark({ nodeId: 'orders', watermark: null }, 1, 6_000)).toBe('no event time yet');
    expect(holdMark(null, 2, 60_000)).toBeUndefined();
  });

  it('says when a join drops its oldest kept rows', () => {
    const join = view({
      pending: {
        kind: 'rows',
        time: 'event',
        total: 40,
        earliest: [{ start: T, end: T + 8_000, firesAt: T + 8_000, key: 'right', keys: 3 }],
      },
    });
    expect(eventTimeSummary(join, titleOf, T)).toBe(
      '40 rows are kept to join; the oldest on the right side, from 12:00:00, is dropped when the watermark reaches 12:00:08: in about 3 s at the current pace.',
    );
  });
});
