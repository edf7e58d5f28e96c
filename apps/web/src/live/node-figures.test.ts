import type { OperatorMetrics } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import type { NodeLive } from './live.js';
import { flowFigures, LAG_SLACK_MS, sourcePosition } from './node-figures.js';

const START = new Date(2026, 11, 2, 14, 0, 0).getTime();

function metrics(over: Partial<OperatorMetrics> = {}): OperatorMetrics {
  return {
    nodeId: 'n',
    kind: 'window.aggregate',
    recordsIn: 2831,
    recordsOut: 28,
    bytesIn: 0,
    inPerSecond: 170,
    outPerSecond: 4,
    errors: 0,
    late: 0,
    watermark: null,
    watermarkLagMs: null,
    stateKeys: 0,
    stateBytes: 0,
    busy: 0,
    backlog: 0,
    idle: false,
    extra: {},
    ...over,
  };
}

const live = (m: OperatorMetrics): NodeLive => ({
  metrics: m,
  inRate: 168,
  outRate: 2,
  flowIn: { points: [] },
  flowOut: { points: [] },
  history: [],
});

describe('a step’s figures', () => {
  it('are the averaged rates while the job runs, not the engine’s last second', () => {
    const figures = flowFigures(live(metrics()), 'window', true);
    expect(figures.in?.text).toBe('in 168/s');
    expect(figures.out?.text).toBe('out 2/s');
    expect(figures.out?.title).toContain('between the windows’ firings');
  });

  it('are the totals once the job has ended: no last rate left behind', () => {
    const figures = flowFigures(live(metrics()), 'window', false);
    expect(figures).toEqual({
      in: { text: 'in 2831', title: 'Records taken in, in all' },
      out: { text: 'out 28', title: 'Records sent on, in all' },
    });
    expect(flowFigures(live(metrics()), 'source', false).in).toBeNull();
    expect(flowFigures(live(metrics()), 'sink', true).out).toBeNull();
  });
});

describe('a source’s place in event time', () => {
  const now = START + 10_000;

  it('is a lag while its records are as recent as the job', () => {
    const m = metrics({ watermark: now - 1200, watermarkLagMs: 1200 });
    expect(sourcePosition(m, true, START, now).text).toBe('lag 1.2 s');
  });

  it('is the event time reached, not a lag of years, for records from before the job started', () => {
    const old = new Date(2024, 4, 1, 9, 30).getTime();
    const m = metrics({ watermark: old, watermarkLagMs: now - old });
    const figure = sourcePosition(m, true, START, now);
    expect(figure.text).toBe('event time 2024-05-01');
    expect(figure.title).toContain('2024-05-01 09:30:00');
    expect(figure.title).toContain('no lag');
    // A minute's slack: a source a little behind at the start still has a lag.
    const behind = metrics({ watermark: START - LAG_SLACK_MS, watermarkLagMs: 70_000 });
    expect(sourcePosition(behind, true, START, now).text).toBe('lag 1 min 10 s');
  });

  it('is the event time reached once the job has ended, when the clock has gone on without it', () => {
    const m = metrics({ watermark: START + 5000, watermarkLagMs: 5000 });
    expect(sourcePosition(m, false, START, now).text).toBe('event time 14:00:05');
    expect(sourcePosition(metrics(), false, START, now).text).toBe('no event time');
    expect(sourcePosition(metrics({ idle: true }), true, START, now).text).toBe('idle');
  });
});
