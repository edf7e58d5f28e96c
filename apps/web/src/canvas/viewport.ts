// Where the canvas looks when it fits a pipeline in view. When it opens one
// (or enters or leaves a job's view) it stops at a readable zoom and then
// shows the pipeline from its start (its sources, on the left), so the rest is
// a pan away rather than unreadable. Asked to fit (the button, Shift+F), it
// shows the whole pipeline, down to the canvas's smallest zoom (WHOLE), where a
// 200-step one is boxes and lines: an overview to pan and zoom from.

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

export interface FitOptions {
  /** Below this, node labels are too small to read. */
  readonly minZoom: number;
  /** Above this, a one-step pipeline looks blown up. */
  readonly maxZoom: number;
  /** Screen pixels kept free around the pipeline. */
  readonly padding: number;
}

export const FIT: FitOptions = { minZoom: 0.65, maxZoom: 1, padding: 20 };

/** The canvas's smallest zoom: 200 steps in 40 rows fit a 1024×700 window's canvas. */
export const MIN_ZOOM = 0.05;

/** The whole pipeline in view, however small. */
export const WHOLE: FitOptions = { ...FIT, minZoom: MIN_ZOOM };

/** The viewport showing `bounds` (flow coordinates) in a pane of `width` × `height` screen pixels. */
export function fittedViewport(
  bounds: Box,
  width: number,
  height: number,
  fit: FitOptions = FIT,
): Viewport {
  const roomX = Math.max(width - 2 * fit.padding, 1);
  const roomY = Math.max(height - 2 * fit.padding, 1);
  const wanted = Math.min(roomX / Math.max(bounds.width, 1), roomY / Math.max(bounds.height, 1));
  const zoom = Math.min(Math.max(wanted, fit.minZoom), fit.maxZoom);
  const place = (start: number, size: number, room: number, pane: number) =>
    size * zoom <= room ? (pane - size * zoom) / 2 - start * zoom : fit.padding - start * zoom;
  return {
    x: place(bounds.x, bounds.width, roomX, width),
    y: place(bounds.y, bounds.height, roomY, height),
    zoom,
  };
}

/** The zoom to centre something at: the current one, unless that is too small to read. */
export function revealZoom(current: number, fit: FitOptions = FIT): number {
  return Math.max(current, fit.minZoom);
}
