import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignerFor, PaneAssigner, SessionAssigner } from './assigners.js';

describe('PaneAssigner', () => {
  it('puts a time in the pane aligned to the epoch that holds it, negative times included', () => {
    const panes = new PaneAssigner(30, 10);
    expect([0, 9, 10, -1, -10, -11].map((t) => panes.paneOf(t))).toEqual([0, 0, 10, -10, -10, -20]);
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.integer({ min: 1, max: 1e7 }),
        (t, slide) => {
          const pane = new PaneAssigner(slide * 3, slide).paneOf(t);
          expect(pane % slide === 0 && pane <= t && t < pane + slide).toBe(true);
        },
      ),
    );
  });

  it('gives a pane the windows ending from start + slide to start + size', () => {
    const panes = new PaneAssigner(30, 10);
    expect([panes.firstEnd(20), panes.lastEnd(20)]).toEqual([30, 50]);
    expect([panes.endAfter(19), panes.endAfter(20), panes.endAfter(-Infinity)]).toEqual([
      20,
      30,
      -Infinity,
    ]);
  });

  it('refuses a size that is not a whole multiple of the slide', () => {
    expect(() => new PaneAssigner(25, 10)).toThrow(/whole multiple/);
    expect(() => new PaneAssigner(10, 0)).toThrow(/positive/);
    expect(() => assignerFor({ type: 'hopping', size: '25s', slide: '10s' })).toThrow(
      /whole multiple/,
    );
  });

  it('reads tumbling windows as panes as long as the window', () => {
    expect(assignerFor({ type: 'tumbling', size: '1m' })).toMatchObject({
      size: 60_000,
      slide: 60_000,
    });
  });
});

describe('SessionAssigner', () => {
  it('merges a record with a session that [t, t + gap) overlaps or touches', () => {
    const sessions = new SessionAssigner(10);
    expect(sessions.merges(10, 20, -1)).toBe(false);
    expect(sessions.merges(10, 20, 0)).toBe(true);
    expect(sessions.merges(10, 20, 15)).toBe(true);
    expect(sessions.merges(10, 20, 20)).toBe(true);
    expect(sessions.merges(10, 20, 21)).toBe(false);
    expect(assignerFor({ type: 'session', gap: '5s' })).toMatchObject({ gap: 5_000 });
  });
});
