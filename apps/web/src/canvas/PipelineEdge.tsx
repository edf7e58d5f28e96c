// A connection, red with a badge when the analysis has something to say about it.
import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import { memo } from 'react';
import type { PipelineFlowEdge } from '../document/flow.js';
import { useEditor } from '../store/context.js';

export const PipelineEdge = memo(function PipelineEdge(props: EdgeProps<PipelineFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected } =
    props;
  const errors = useEditor((s) => s.analysis.byEdge.get(id)?.errors ?? 0);
  const warnings = useEditor((s) => s.analysis.byEdge.get(id)?.warnings ?? 0);
  const [path, labelX, labelY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  const tone = errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'ok';
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className={`pipeline-edge edge-${tone}${selected ? ' selected' : ''}`}
        {...(props.markerEnd !== undefined && { markerEnd: props.markerEnd })}
      />
      {tone !== 'ok' && (
        <EdgeLabelRenderer>
          <span
            className={`badge badge-${tone} edge-badge`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {errors > 0 ? errors : warnings}
          </span>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
