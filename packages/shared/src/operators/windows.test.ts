import { describe, expect, it } from 'vitest';
import { checkWindow, MAX_WINDOWS_PER_RECORD, type WindowConfig } from './windows.js';

function problems(window: WindowConfig) {
  const found: { path: string; code: string; message: string }[] = [];
  checkWindow(window, (path, code, message) => found.push({ path, code, message }));
  return found;
}

describe('checkWindow', () => {
  it('refuses a hopping window that would put one record in too many windows, naming both values', () => {
    expect(problems({ type: 'hopping', size: '1d', slide: '1ms' })).toEqual([
      {
        path: 'window.slide',
        code: 'config.window-slide',
        message: `A hopping window of 1d every 1ms puts each record in 86400000 windows; at most ${MAX_WINDOWS_PER_RECORD} are allowed. Make the slide longer or the size shorter.`,
      },
    ]);
  });

  it('accepts the largest number of windows per record allowed', () => {
    expect(problems({ type: 'hopping', size: '10000s', slide: '1s' })).toEqual([]);
    expect(problems({ type: 'hopping', size: '10001s', slide: '1s' })).toHaveLength(1);
  });

  it('refuses windows too long to place in time, naming the value, and accepts the longest allowed', () => {
    for (const size of ['300000000d', '3000000000h']) {
      expect(problems({ type: 'tumbling', size })).toEqual([
        {
          path: 'window.size',
          code: 'config.duration',
          message: `The window size (${size}) is longer than 100000d, the longest window Sluice can place in time.`,
        },
      ]);
    }
    expect(problems({ type: 'session', gap: '200000d' })).toHaveLength(1);
    expect(problems({ type: 'tumbling', size: '100000d' })).toEqual([]);
  });
});
