// The right panel: the selected step's settings, or the pipeline's own.
import type { Pipeline, PipelineNode } from '@sluice/shared';
import { updateNode } from '../document/document.js';
import { OperatorIcon } from '../palette/OperatorIcon.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { ConfigForm } from './ConfigForm.js';
import { InstancesField } from './InstancesField.js';
import { TargetField } from './TargetField.js';

export function Inspector() {
  const selected = useEditor((s) =>
    s.selection.nodes.size === 1 ? [...s.selection.nodes][0] : undefined,
  );
  const count = useEditor((s) => s.selection.nodes.size);
  return (
    <aside className="inspector" aria-label="Inspector">
      {selected ? (
        <NodeInspector nodeId={selected} />
      ) : count > 1 ? (
        <p className="muted pad">{count} steps selected.</p>
      ) : (
        <PipelineInspector />
      )}
    </aside>
  );
}

function NodeInspector({ nodeId }: { nodeId: string }) {
  const store = useEditorStore();
  const node = useEditor((s) => s.document.nodes.find((n) => n.id === nodeId));
  const entry = useEditor((s) => (node ? s.catalog.byKind.get(node.kind) : undefined));
  if (!node) return null;
  const setText = (key: 'label' | 'description', value: string) =>
    store.getState().edit(
      key === 'label' ? 'Rename step' : 'Describe step',
      (doc) =>
        updateNode(doc, nodeId, (n): PipelineNode => {
          const { [key]: _old, ...rest } = n;
          return value === '' ? rest : { ...rest, [key]: value };
        }),
      { coalesce: `${key}:${nodeId}` },
    );
  return (
    <div className="inspector-body">
      <header className="inspector-head">
        <span className={`kind-icon cat-${entry?.category ?? 'unknown'}`}>
          <OperatorIcon name={entry?.icon ?? 'box'} size={18} />
        </span>
        <div>
          <h2>{entry?.label ?? node.kind}</h2>
          <code className="muted small">{node.id}</code>
        </div>
      </header>
      {entry && <p className="muted small">{entry.description}</p>}
      <label className="form-row">
        <span>Label</span>
        <input
          className="input"
          value={node.label ?? ''}
          maxLength={200}
          onChange={(e) => setText('label', e.target.value)}
        />
      </label>
      <label className="form-row">
        <span>Notes</span>
        <textarea
          className="input"
          rows={2}
          value={node.description ?? ''}
          maxLength={2000}
          onChange={(e) => setText('description', e.target.value)}
        />
      </label>
      {entry ? (
        <ConfigForm nodeId={nodeId} entry={entry} />
      ) : (
        <p className="tone-error">
          “{node.kind}” is not in the catalog, so its settings cannot be edited here.
        </p>
      )}
    </div>
  );
}

function PipelineInspector() {
  const store = useEditorStore();
  const description = useEditor((s) => s.document.description ?? '');
  const nodes = useEditor((s) => s.document.nodes.length);
  const edges = useEditor((s) => s.document.edges.length);
  const setDescription = (value: string) =>
    store.getState().edit(
      'Describe pipeline',
      (doc): Pipeline => {
        const { description: _old, ...rest } = doc;
        return value === '' ? rest : { ...rest, description: value };
      },
      { coalesce: 'pipeline-description' },
    );
  return (
    <div className="inspector-body">
      <h2>Pipeline</h2>
      <p className="muted small">
        {nodes} step{nodes === 1 ? '' : 's'}, {edges} connection{edges === 1 ? '' : 's'}. Select a
        step to edit its settings.
      </p>
      <label className="form-row">
        <span>Description</span>
        <textarea
          className="input"
          rows={4}
          maxLength={5000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <TargetField />
      <InstancesField />
    </div>
  );
}
