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
});
