// The minimap, only while part of the pipeline is out of view: when the whole
// of it is on the canvas there is nothing to find, and the map would only
// cover steps. Small, in the corner React Flow gives it.
import { MiniMap, type ReactFlowState, useStore } from '@xyflow/react';
import { useCallback, useMemo } from 'react';
import { documentBounds } from '../document/flow.js';
import { useEditor } from '../store/context.js';
import type { Box } from './viewport.js';

/** Whether `bounds` (flow coordinates) lies within a pane showing `transform`, to the pixel. */
export function wholeInView(
  bounds: Box | undefined,
  [x, y, zoom]: readonly [number, number, number],
  width: number,
  height: number,
): boolean {
  if (!bounds || width === 0 || height === 0) return true;
  const left = bounds.x * zoom + x;
  const top = bounds.y * zoom + y;
  return (
    left >= -1 &&
    top >= -1 &&
    left + bounds.width * zoom <= width + 1 &&
    top + bounds.height * zoom <= height + 1
  );
}

export function OverviewMap() {
  const document = useEditor((s) => s.document);
  const measured = useEditor((s) => s.measured);
  const bounds = useMemo(() => documentBounds(document, measured), [document, measured]);
  // A boolean, so panning re-renders this only when the answer changes.
  const whole = useStore(
    useCallback(
      (s: ReactFlowState) => wholeInView(bounds, s.transform, s.width, s.height),
      [bounds],
    ),
  );
  if (whole) return null;
  return (
    <MiniMap
      pannable
      zoomable
      ariaLabel="Overview of the pipeline"
      style={{ width: 120, height: 76 }}
    />
  );
}
