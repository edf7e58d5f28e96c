import { describe, expect, it } from 'vitest';
import { timeIncrements, timeLabels, timeRange } from './chart-axis.js';

const at = (h: number, m: number, s: number, day = 2) =>
  new Date(2026, 11, day, h, m, s).getTime() / 1000;
const NOW = new Date(2026, 11, 2, 18, 30).getTime();

describe('the results chart’s time axis', () => {
  it('gives one window a minute around it, or its own length, not years', () => {
    const x = at(18, 16, 0);
    expect(timeRange([x], null)).toEqual([x - 30, x + 30]);
    expect(timeRange([x], 60)).toEqual([x - 60, x + 60]);
    expect(timeRange([x, x + 120], 60)).toEqual([x - 30, x + 150]);
    expect(timeRange([x, x + 120], null)).toEqual([x, x + 120]);
  });

  it('puts ticks no closer than the windows, on whole seconds', () => {
    expect(timeIncrements(2)[0]).toBe(2);
    expect(timeIncrements(60)[0]).toBe(60);
    expect(timeIncrements(null)[0]).toBe(1);
    expect(timeIncrements(10 ** 9)).toEqual([604_800]);
  });

  it('labels ticks as a clock reads them: seconds when they are seconds apart', () => {
    const splits = [at(18, 15, 46), at(18, 15, 48), at(18, 15, 50)];
    expect(timeLabels(splits, 2, NOW)).toEqual(['18:15:46', '18:15:48', '18:15:50']);
    expect(timeLabels([at(18, 5, 0), at(18, 10, 0)], 300, NOW)).toEqual(['18:05', '18:10']);
  });

  it('names the day where it is not today’s, and where it changes', () => {
    const splits = [at(23, 0, 0, 1), at(0, 0, 0, 2), at(1, 0, 0, 2)];
    expect(timeLabels(splits, 3600, NOW)).toEqual([
      '2026-12-01 23:00',
      '2026-12-02 00:00',
      '01:00',
    ]);
    expect(timeLabels([at(0, 0, 0, 1), at(0, 0, 0, 2)], 86_400, NOW)).toEqual([
      '2026-12-01',
      '2026-12-02',
    ]);
  });
});
