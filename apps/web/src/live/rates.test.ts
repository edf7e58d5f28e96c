import { describe, expect, it } from 'vitest';
import { type Flow, flowRate, nextFlow, QUIET_MS } from './rates.js';

/** Samples a count once a second from `start`, as the metrics arrive. */
function sample(counts: readonly number[], start = 0): { flow: Flow | undefined; at: number } {
  let flow: Flow | undefined;
  let at = start;
  for (const [i, count] of counts.entries()) {
    at = start + i * 1000;
    flow = nextFlow(flow, at, count);
  }
  return { flow, at };
}

describe('rates from counts', () => {
  it('gives a window firing 4 rows every 2 s a steady 2/s, whichever second it is read', () => {
    // Fires at 2 s, 4 s, … 20 s.
    const counts = Array.from({ length: 21 }, (_, s) => Math.floor(s / 2) * 4);
    const rates = [19, 20].map((n) => {
      const { flow, at } = sample(counts.slice(0, n + 1));
      return flowRate(flow, at);
    });
    expect(rates).toEqual([2, 2]);
  });

  it('averages a steady stream over the last 10 s', () => {
    const counts = Array.from({ length: 30 }, (_, s) => s * 200 + (s % 2 === 0 ? 0 : 50));
    const { flow, at } = sample(counts);
    expect(flowRate(flow, at)).toBeCloseTo(200, -1);
  });

  it('falls to 0 once the count has been still for a while, not at the first quiet second', () => {
    const { flow } = sample([0, 100, 200, 300]);
    expect(flowRate(flow, 3000 + QUIET_MS)).toBe(100);
    expect(flowRate(flow, 3000 + QUIET_MS + 1)).toBe(0);
  });

  it('keeps the rate of slow bursts between them: a minute window firing 60 rows', () => {
    let flow = nextFlow(undefined, 0, 0);
    flow = nextFlow(flow, 60_000, 60);
    flow = nextFlow(flow, 120_000, 120);
    expect(flowRate(flow, 150_000)).toBe(1);
    expect(flowRate(flow, 241_000)).toBe(0);
  });

  it('stays the same object while the count does, and starts again when it goes back', () => {
    const flow = nextFlow(nextFlow(undefined, 0, 5), 1000, 10);
    expect(nextFlow(flow, 2000, 10)).toBe(flow);
    expect(nextFlow(flow, 3000, 2).points).toEqual([{ at: 3000, count: 2 }]);
    expect(flowRate(undefined, 0)).toBe(0);
  });
});
