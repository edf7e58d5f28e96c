// Every diagnostic of the live analysis; choosing one selects its step.
import { CircleAlert, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { useEditor, useEditorStore } from '../store/context.js';

export function DiagnosticsPanel() {
  const store = useEditorStore();
  const diagnostics = useEditor((s) => s.analysis.diagnostics);
  const [open, setOpen] = useState(true);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const show = (nodeId?: string, edgeId?: string) => {
    if (!nodeId && !edgeId) return;
    store.getState().select({
      nodes: new Set(nodeId ? [nodeId] : []),
      edges: new Set(edgeId ? [edgeId] : []),
    });
    store.getState().canvasView?.reveal(nodeId ? { nodeId } : { edgeId });
  };
  return (
    <section className="diagnostics" aria-label="Problems">
      <button
        type="button"
        className="diagnostics-head"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <span>Problems</span>
        <span className={`count ${errors > 0 ? 'count-error' : ''}`}>
          {errors} error{errors === 1 ? '' : 's'}
        </span>
        <span className={`count ${warnings > 0 ? 'count-warning' : ''}`}>
          {warnings} warning{warnings === 1 ? '' : 's'}
        </span>
      </button>
      {open && (
        <ul className="diagnostics-list">
          {diagnostics.length === 0 && <li className="muted pad">No problems found.</li>}
          {diagnostics.map((d) => (
            <li key={`${d.code}|${d.path ?? ''}|${d.nodeId ?? ''}|${d.edgeId ?? ''}|${d.message}`}>
              <button
                type="button"
                className="diagnostic"
                disabled={!d.nodeId && !d.edgeId}
                onClick={() => show(d.nodeId, d.edgeId)}
              >
                {d.severity === 'error' ? (
                  <CircleAlert size={14} className="tone-error" aria-label="Error" />
                ) : (
                  <TriangleAlert size={14} className="tone-warning" aria-label="Warning" />
                )}
                <span>{d.message}</span>
                <code className="muted small">{d.code}</code>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
