import { describe, expect, it } from 'vitest';
import { FIT, fittedViewport, MIN_ZOOM, revealZoom, WHOLE } from './viewport.js';

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

  it('shows the whole of a 200-step pipeline when asked to, in the canvas of a 1024×700 window', () => {
    // 40 rows of five steps as tidy-up lays them out (240 px columns, 110 px rows), in the
    // canvas left between the panels of a live job's view at 1024×700 (about 740 × 400).
    const bounds = { x: 0, y: 0, width: 4 * 240 + 184, height: 39 * 110 + 78 };
    const v = fittedViewport(bounds, 740, 400, WHOLE);
    expect(v.zoom).toBeGreaterThan(MIN_ZOOM);
    expect(bounds.height * v.zoom).toBeLessThanOrEqual(400 - 2 * WHOLE.padding);
    expect(bounds.width * v.zoom).toBeLessThanOrEqual(740 - 2 * WHOLE.padding);
    // Inside the pane on every side.
    expect(v.x).toBeGreaterThanOrEqual(WHOLE.padding);
    expect(v.y).toBeCloseTo(WHOLE.padding);
  });

  it('reveals at the current zoom unless it is too small to read', () => {
    expect(revealZoom(1.2)).toBe(1.2);
    expect(revealZoom(0.3)).toBe(FIT.minZoom);
  });
});
