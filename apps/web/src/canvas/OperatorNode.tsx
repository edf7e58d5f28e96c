// A pipeline step on the canvas: its label and kind, its named ports as
// handles, a badge counting its problems, its output fields on demand, and
// its live metrics while a job of the pipeline is shown. A live node is as tall
// as an edited one (styles.css): its figures take the place of the kind line
// and the fields, so a layout made while editing still fits.
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { ChevronDown, ChevronRight } from 'lucide-react';
import { type CSSProperties, memo, useState } from 'react';
import type { OperatorFlowNode } from '../document/flow.js';
import { NodeMetrics } from '../live/NodeMetrics.js';
import { OperatorIcon } from '../palette/OperatorIcon.js';
import { useEditor } from '../store/context.js';

function handleTop(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

export const OperatorNode = memo(function OperatorNode({
  id,
  data,
  selected,
}: NodeProps<OperatorFlowNode>) {
  const { node } = data;
  const entry = useEditor((s) => s.catalog.byKind.get(node.kind));
  const errors = useEditor((s) => s.analysis.byNode.get(id)?.errors ?? 0);
  const warnings = useEditor((s) => s.analysis.byNode.get(id)?.warnings ?? 0);
  const live = useEditor((s) => s.live.job !== null);
  const failed = useEditor((s) => s.live.job?.failure?.nodeId === id);
  const hold = useEditor((s) => (s.live.hold?.nodeId === id ? s.live.hold : null));
  // The bottleneck view: how busy the step is, in tenths, so the node redraws only when that changes.
  const heat = useEditor((s) =>
    s.panels.bottlenecks && s.live.job?.status === 'running'
      ? Math.round((s.live.nodes.get(id)?.metrics.busy ?? 0) * 100)
      : undefined,
  );
  const [expanded, setExpanded] = useState(false);
  // Only an expanded node follows its schemas, so the others skip those renders.
  const schemas = useEditor((s) =>
    expanded && s.live.job === null ? s.analysis.schemas.get(id) : undefined,
  );
  const inputs = entry?.inputs ?? [];
  const outputs = entry?.outputs ?? [];
  const title = node.label || entry?.label || node.kind;
  const state =
    failed || errors > 0 ? 'has-errors' : warnings > 0 ? 'has-warnings' : live ? 'is-live' : '';

  return (
    <div
      className={`op-node ${state}${selected ? ' selected' : ''}${heat === undefined ? '' : ' heat'}`}
      style={heat === undefined ? undefined : ({ '--heat': `${heat}%` } as CSSProperties)}
      data-testid={`node-${id}`}
    >
      {heat !== undefined && (
        <span
          className="busy-mark"
          data-testid={`busy-${id}`}
          title="Share of the time spent in this step's own work, over the last second"
        >
          busy {heat} %
        </span>
      )}
      {hold && (
        <span className="hold-mark" data-testid={`hold-${id}`} title={hold.title}>
          {hold.text}
        </span>
      )}
      {inputs.map((port, i) => (
        <Handle
          key={port.name}
          id={port.name}
          type="target"
          position={Position.Left}
          style={{ top: handleTop(i, inputs.length) }}
          className="port port-in"
          aria-label={`${title} input ${port.label}`}
        >
          {(inputs.length > 1 || port.name !== 'in') && (
            <span className="port-label port-label-in">{port.label}</span>
          )}
        </Handle>
      ))}
      <div className="op-head">
        <span className={`kind-icon cat-${entry?.category ?? 'unknown'}`}>
          <OperatorIcon name={entry?.icon ?? 'box'} />
        </span>
        <div className="op-titles">
          <div className="op-label" title={live ? title : undefined}>
            {title}
          </div>
          {/* The kind only when the label does not already say it, and not over the live figures. */}
          {!live && title !== (entry?.label ?? node.kind) && (
            <div className="op-kind">{entry?.label ?? node.kind}</div>
          )}
        </div>
        {(errors > 0 || warnings > 0) && (
          <span
            className={`badge ${errors > 0 ? 'badge-error' : 'badge-warning'}`}
            title={`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`}
          >
            {errors > 0 ? errors : warnings}
          </span>
        )}
      </div>
      {live && <NodeMetrics nodeId={id} category={entry?.category ?? 'unknown'} />}
      {!live && outputs.length > 0 && (
        <button
          type="button"
          className="op-fields-toggle nodrag"
          aria-expanded={expanded}
          aria-label={`${expanded ? 'Hide' : 'Show'} output fields of ${title}`}
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? <ChevronDown size={12} /> : <ChevronRight size={12} />} fields
        </button>
      )}
      {!live && expanded && (
        <div className="op-fields nodrag nowheel">
          {outputs.map((port) => {
            const schema = schemas?.[port.name];
            return (
              <div key={port.name}>
                {outputs.length > 1 && <div className="op-fields-port">{port.label}</div>}
                {schema ? (
                  <ul>
                    {schema.fields.map((f) => (
                      <li key={f.name}>
                        <span>{f.name}</span>
                        <span className="field-type">
                          {f.type}
                          {schema.timeField === f.name ? ' · time' : ''}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">Not known yet: connect and fix the inputs.</p>
                )}
              </div>
            );
          })}
        </div>
      )}
      {outputs.map((port, i) => (
        <Handle
          key={port.name}
          id={port.name}
          type="source"
          position={Position.Right}
          style={{ top: handleTop(i, outputs.length) }}
          className={`port port-out${port.optional ? ' port-optional' : ''}`}
          aria-label={`${title} output ${port.label}`}
        >
          {(outputs.length > 1 || port.name !== 'out') && (
            <span className="port-label port-label-out">{port.label}</span>
          )}
        </Handle>
      ))}
    </div>
  );
});
