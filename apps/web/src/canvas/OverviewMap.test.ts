import { describe, expect, it } from 'vitest';
import { wholeInView } from './OverviewMap.js';

const bounds = { x: 0, y: 0, width: 1000, height: 100 };

describe('whether the minimap is wanted', () => {
  it('is not while the whole pipeline is on the canvas', () => {
    expect(wholeInView(bounds, [10, 10, 0.5], 600, 400)).toBe(true);
  });

  it('is while part of it is out of view, on any side', () => {
    expect(wholeInView(bounds, [10, 10, 1], 600, 400)).toBe(false);
    expect(wholeInView(bounds, [-20, 10, 0.5], 600, 400)).toBe(false);
    expect(wholeInView(bounds, [10, 360, 0.5], 600, 400)).toBe(false);
  });

  it('is not for an empty pipeline or a canvas not measured yet', () => {
    expect(wholeInView(undefined, [0, 0, 1], 600, 400)).toBe(true);
    expect(wholeInView(bounds, [0, 0, 1], 0, 0)).toBe(true);
  });
});
