import { describe, expect, it } from 'vitest';
import { OPEN_PANELS } from '../store/store.js';
import { savedPanels } from './panels.js';

const kept = (value: string | null) => ({ getItem: () => value });

describe('the panels a browser remembers', () => {
  it('are all open the first time, the bottleneck view off', () => {
    expect(savedPanels(kept(null))).toEqual(OPEN_PANELS);
  });

  it('come back as they were left', () => {
    expect(savedPanels(kept('{"side":false,"results":true}'))).toEqual({
      side: false,
      results: true,
      bottlenecks: false,
    });
    expect(savedPanels(kept('{"side":true,"results":false,"bottlenecks":true}'))).toEqual({
      side: true,
      results: false,
      bottlenecks: true,
    });
  });

  it('are open where what is kept is not a panel state', () => {
    expect(savedPanels(kept('not json'))).toEqual(OPEN_PANELS);
    expect(savedPanels(kept('{"side":"no"}'))).toEqual(OPEN_PANELS);
  });
});
