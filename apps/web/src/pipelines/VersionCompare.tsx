// Two versions of a pipeline side by side, each on a canvas of its own: nodes
// removed (on the older side), added (on the newer), changed (on both), and
// below them every change with the fields it touched, before → after. Moving
// nodes is not a change. Read-only: nothing here edits the open pipeline.
import {
  changedFieldNames,
  diffPipelines,
  type FieldChange,
  type NodeChange,
  type NodeChangeStatus,
  type Pipeline,
  type PipelineDiff,
  summarizeDiff,
  type VersionSummary,
} from '@sluice/shared';
import {
  type Edge,
  Handle,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
} from '@xyflow/react';
import { ArrowLeft } from 'lucide-react';
import { memo, useEffect, useMemo, useState } from 'react';
import { api, errorMessage } from '../api/client.js';
import { Dialog } from '../app/Dialog.js';
import { nodePosition } from '../document/flow.js';
import { OperatorIcon } from '../palette/OperatorIcon.js';
import { useEditor } from '../store/context.js';

interface Props {
  readonly pipelineId: string;
  readonly versions: readonly VersionSummary[];
  readonly from: number;
  readonly to: number;
  readonly onChange: (pair: { from: number; to: number }) => void;
  readonly onBack: () => void;
  readonly onClose: () => void;
}

type Side = 'before' | 'after';
type DiffNodeData = {
  readonly label: string;
  readonly kindLabel: string;
  readonly icon: string;
  readonly category: string;
  readonly status: NodeChangeStatus | 'same';
  readonly fields: readonly string[];
};
type DiffFlowNode = Node<DiffNodeData, 'diff'>;

const STATUS_WORDS: Record<DiffNodeData['status'], string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  same: 'unchanged',
};

export function VersionCompare({
  pipelineId,
  versions,
  from,
  to,
  onChange,
  onBack,
  onClose,
}: Props) {
  const [documents, setDocuments] = useState<{ before: Pipeline; after: Pipeline } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    setDocuments(null);
    setProblem(null);
    Promise.all([api.version(pipelineId, from), api.version(pipelineId, to)]).then(
      ([a, b]) => !cancelled && setDocuments({ before: a.pipeline, after: b.pipeline }),
      (cause) => !cancelled && setProblem(errorMessage(cause)),
    );
    return () => {
      cancelled = true;
    };
  }, [pipelineId, from, to]);
  const diff = useMemo(
    () => (documents ? diffPipelines(documents.before, documents.after) : null),
    [documents],
  );

  const choose = (side: 'from' | 'to', version: number) =>
    onChange(side === 'from' ? { from: version, to } : { from, to: version });
  return (
    <Dialog title="Compare versions" onClose={onClose} className="dialog-compare">
      <div className="compare-bar">
        <button type="button" className="button" onClick={onBack}>
          <ArrowLeft size={14} aria-hidden="true" /> History
        </button>
        <VersionPicker
          label="Older"
          versions={versions}
          value={from}
          onChange={(v) => choose('from', v)}
        />
        <span aria-hidden="true">→</span>
        <VersionPicker
          label="Newer"
          versions={versions}
          value={to}
          onChange={(v) => choose('to', v)}
        />
        {diff && (
          <span className="compare-summary" role="status">
            {summarizeDiff(diff)}
          </span>
        )}
      </div>
      {problem && <p className="tone-error">{problem}</p>}
      {!documents && !problem && <p className="muted">Loading…</p>}
      {documents && diff && (
        <>
          <div className="compare-panes">
            <ComparePane side="before" version={from} pipeline={documents.before} diff={diff} />
            <ComparePane side="after" version={to} pipeline={documents.after} diff={diff} />
          </div>
          <ChangeList diff={diff} />
        </>
      )}
    </Dialog>
  );
}

function VersionPicker({
  label,
  versions,
  value,
  onChange,
}: {
  label: string;
  versions: readonly VersionSummary[];
  value: number;
  onChange: (version: number) => void;
}) {
  return (
    <label className="compare-picker">
      <span className="muted small">{label}</span>
      <select value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version}
            {v.label ? ` · ${v.label}` : ''} · {new Date(v.createdAt).toLocaleString()}
          </option>
        ))}
      </select>
    </label>
  );
}

const nodeTypes = { diff: memo(DiffNode) };

function ComparePane({
  side,
  version,
  pipeline,
  diff,
}: {
  side: Side;
  version: number;
  pipeline: Pipeline;
  diff: PipelineDiff;
}) {
  const catalog = useEditor((s) => s.catalog);
  const { nodes, edges } = useMemo(() => {
    const changes = new Map(diff.nodes.map((change) => [change.id, change]));
    const flowNodes: DiffFlowNode[] = pipeline.nodes.map((node, index) => {
      const change = changes.get(node.id);
      const entry = catalog.byKind.get(node.kind);
      return {
        id: node.id,
        type: 'diff',
        position: nodePosition(node, index),
        draggable: false,
        selectable: false,
        connectable: false,
        data: {
          label: node.label?.trim() || node.id,
          kindLabel: entry?.label ?? node.kind,
          icon: entry?.icon ?? 'box',
          category: entry?.category ?? 'unknown',
          status: change?.status ?? 'same',
          fields: change ? changedFieldNames(change) : [],
        },
      };
    });
    const marked = new Set(
      (side === 'before' ? diff.edgesRemoved : diff.edgesAdded).map((edge) => edge.id),
    );
    const flowEdges: Edge[] = pipeline.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      selectable: false,
      className: marked.has(edge.id) ? `diff-edge-${side === 'before' ? 'removed' : 'added'}` : '',
    }));
    return { nodes: flowNodes, edges: flowEdges };
  }, [pipeline, diff, side, catalog]);
  const title = side === 'before' ? `Version ${version} (older)` : `Version ${version} (newer)`;
  return (
    <section className="compare-pane" aria-label={title}>
      <h3 className="compare-pane-title">{title}</h3>
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          fitView
          minZoom={0.1}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          proOptions={{ hideAttribution: true }}
        />
      </ReactFlowProvider>
    </section>
  );
}

function DiffNode({ data }: NodeProps<DiffFlowNode>) {
  const status = STATUS_WORDS[data.status];
  return (
    <div
      className={`diff-node diff-${data.status}`}
      role="img"
      aria-label={`${data.kindLabel} ${data.label}, ${status}${data.fields.length ? `: ${data.fields.join(', ')}` : ''}`}
      data-status={data.status}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="diff-node-head">
        <span className={`kind-icon cat-${data.category}`}>
          <OperatorIcon name={data.icon} />
        </span>
        <span className="diff-node-label">{data.label}</span>
      </div>
      <div className="diff-node-kind muted small">
        {data.kindLabel}
        {data.status !== 'same' && <span className="diff-node-status"> · {status}</span>}
      </div>
      {data.fields.length > 0 && (
        <div className="diff-node-fields small">{data.fields.slice(0, 3).join(', ')}</div>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

function ChangeList({ diff }: { diff: PipelineDiff }) {
  const connections = diff.edgesAdded.length + diff.edgesRemoved.length;
  if (diff.nodes.length === 0 && connections === 0 && diff.document.length === 0) {
    return (
      <p className="muted">
        The two versions run the same pipeline
        {diff.moved > 0 ? `; ${diff.moved} nodes were only moved.` : '.'}
      </p>
    );
  }
  return (
    <section className="compare-changes" aria-label="Changes">
      <ul>
        {diff.document.map((field) => (
          <li key={`document-${field.path}`}>
            <span className="diff-tag diff-changed">pipeline</span> <FieldLine field={field} />
          </li>
        ))}
        {diff.nodes.map((change) => (
          <li key={change.id}>
            <span className={`diff-tag diff-${change.status}`}>{change.status}</span>{' '}
            <strong>{change.name}</strong>
            <NodeFields change={change} />
          </li>
        ))}
        {diff.edgesAdded.length > 0 && (
          <li>
            <span className="diff-tag diff-added">added</span>{' '}
            {diff.edgesAdded.map((e) => `${e.source} → ${e.target}`).join(', ')}
          </li>
        )}
        {diff.edgesRemoved.length > 0 && (
          <li>
            <span className="diff-tag diff-removed">removed</span>{' '}
            {diff.edgesRemoved.map((e) => `${e.source} → ${e.target}`).join(', ')}
          </li>
        )}
      </ul>
    </section>
  );
}

function NodeFields({ change }: { change: NodeChange }) {
  if (change.fields.length === 0) return null;
  return (
    <ul className="compare-fields">
      {change.fields.slice(0, 20).map((field) => (
        <li key={field.path}>
          <FieldLine field={field} />
        </li>
      ))}
      {change.fields.length > 20 && <li className="muted">and {change.fields.length - 20} more</li>}
    </ul>
  );
}

function FieldLine({ field }: { field: FieldChange }) {
  return (
    <span className="compare-field">
      <code>{field.path.replace(/^config\./, '')}</code>: <del>{shown(field.before)}</del> →{' '}
      <ins>{shown(field.after)}</ins>
    </span>
  );
}

/** A value as text, short enough for one line. */
function shown(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
