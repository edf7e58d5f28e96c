import { describe, expect, it } from 'vitest';
import { formatAge, formatClock } from './format.js';

describe('times and ages', () => {
  it('read a moment as a clock does, with the date only when it is not today', () => {
    const taken = new Date(2026, 11, 2, 14, 2, 31, 640).getTime();
    expect(formatClock(taken, new Date(2026, 11, 2, 18, 0).getTime())).toBe('14:02:31');
    expect(formatClock(taken, new Date(2026, 11, 3, 9, 0).getTime())).toBe('2026-12-02 14:02:31');
  });

  it('say how long ago in whole seconds', () => {
    expect(formatAge(400)).toBe('just now');
    expect(formatAge(3_900)).toBe('3 s ago');
    expect(formatAge(125_000)).toBe('2 min 5 s ago');
    expect(formatAge(Number.NaN)).toBe('–');
  });
});
