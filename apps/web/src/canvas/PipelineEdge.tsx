// A connection, red with a badge when the analysis has something to say about
// it; while a job runs, its throughput as a label, a width and a flow, amber
// or red when the step downstream is held back.
import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import { memo } from 'react';
import type { PipelineFlowEdge } from '../document/flow.js';
import { formatClock, formatTime } from '../live/format.js';
import { type EdgeLive, edgeFigure } from '../live/live.js';
import { useEditor, useEditorStore } from '../store/context.js';

/** Stroke width for a rate: logarithmic, so 10/s and 100 000/s both read. */
export function edgeWidth(perSecond: number): number {
  return Math.min(8, 1.5 + Math.log10(1 + perSecond) * 1.3);
}

export const PipelineEdge = memo(function PipelineEdge(props: EdgeProps<PipelineFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected } =
    props;
  const store = useEditorStore();
  const errors = useEditor((s) => s.analysis.byEdge.get(id)?.errors ?? 0);
  const warnings = useEditor((s) => s.analysis.byEdge.get(id)?.warnings ?? 0);
  const live = useEditor((s) => (s.live.job ? (s.live.edges.get(id) ?? null) : undefined));
  const running = useEditor((s) => s.live.job?.status === 'running');
  const followed = useEditor((s) => s.live.followed?.get(id));
  // The watermark on this connection: the one its source step sends on.
  const watermark = useEditor((s) =>
    s.live.job ? (s.live.nodes.get(props.source)?.metrics.watermark ?? null) : null,
  );
  const [path, labelX, labelY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  const tone = errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'ok';
  const at = `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className={`pipeline-edge edge-${tone}${selected ? ' selected' : ''}${live !== undefined ? liveClass(live, running) : ''}`}
        style={live ? { strokeWidth: edgeWidth(live.perSecond) } : undefined}
        interactionWidth={24}
        {...(props.markerEnd !== undefined && { markerEnd: props.markerEnd })}
      />
      {live !== undefined ? (
        <EdgeLabelRenderer>
          <button
            type="button"
            className={`edge-rate edge-rate-${live?.pressure ?? 'ok'} nodrag nopan`}
            style={{ transform: at }}
            data-testid={`edge-rate-${id}`}
            title={
              live
                ? `${live.records} records so far${live.pressure === 'ok' ? '' : '; the next step is held back (busy or backlogged)'}. Click to see records.`
                : 'No records yet'
            }
            aria-label={`Records on this connection: ${edgeFigure(live, running)}`}
            onClick={() => store.getState().select({ nodes: new Set(), edges: new Set([id]) })}
          >
            {edgeFigure(live, running)}
          </button>
          {followed !== undefined && (
            <span
              className="edge-followed nodrag nopan"
              style={{ transform: `${at} translateY(-20px)` }}
              data-testid={`edge-followed-${id}`}
              title="Records with the key followed were recorded on this connection"
            >
              key ×{followed}
            </span>
          )}
          {watermark !== null && running && (
            <span
              className="edge-watermark nodrag nopan"
              style={{ transform: `${at} translateY(18px)` }}
              data-testid={`edge-watermark-${id}`}
              title={`Watermark: ${formatClock(watermark)}.${formatTime(watermark).slice(-3)}. Records with an earlier event time that still arrive on this connection are late.`}
            >
              {/* The time of day only: the date, if not today's, is in the tooltip. */}
              wm {formatTime(watermark).slice(0, 8)}
            </span>
          )}
        </EdgeLabelRenderer>
      ) : (
        tone !== 'ok' && (
          <EdgeLabelRenderer>
            <span className={`badge badge-${tone} edge-badge`} style={{ transform: at }}>
              {errors > 0 ? errors : warnings}
            </span>
          </EdgeLabelRenderer>
        )
      )}
    </>
  );
});

function liveClass(live: EdgeLive | null, running: boolean): string {
  const pressure = live && live.pressure !== 'ok' ? ` edge-pressure-${live.pressure}` : '';
  const flowing = running && live && live.perSecond > 0 ? ' edge-flowing' : '';
  return ` edge-live${pressure}${flowing}`;
}
