import { describe, expect, it } from 'vitest';
import { FIT, fittedViewport, revealZoom } from './viewport.js';

describe('fitting a pipeline in view', () => {
  it('centres a small pipeline at no more than full size', () => {
    const v = fittedViewport({ x: 0, y: 0, width: 200, height: 80 }, 800, 600);
    expect(v.zoom).toBe(FIT.maxZoom);
    expect(v).toEqual({ x: 300, y: 260, zoom: 1 });
  });

  it('shrinks a pipeline that does not fit, down to the readable minimum', () => {
    const v = fittedViewport({ x: 0, y: 0, width: 940, height: 80 }, 800, 600);
    expect(v.zoom).toBeCloseTo((800 - 2 * FIT.padding) / 940);
    // Centred: equal room either side.
    expect(v.x).toBeCloseTo((800 - 940 * v.zoom) / 2);
  });

  it('stops at the readable minimum and shows a wide pipeline from its start', () => {
    const v = fittedViewport({ x: 100, y: -50, width: 3000, height: 80 }, 800, 600);
    expect(v.zoom).toBe(FIT.minZoom);
    // The left edge of the pipeline sits at the padding; the rest is a pan away.
    expect(100 * v.zoom + v.x).toBeCloseTo(FIT.padding);
    // Vertically it still fits, so it is centred.
    expect(-50 * v.zoom + v.y + (80 * v.zoom) / 2).toBeCloseTo(300);
  });

  it('reveals at the current zoom unless it is too small to read', () => {
    expect(revealZoom(1.2)).toBe(1.2);
    expect(revealZoom(0.3)).toBe(FIT.minZoom);
  });
});
