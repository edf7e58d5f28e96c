// The palette: every kind in the catalog, grouped by category, searchable.
// Drag one onto the canvas, or press Enter on it to add it in the middle.
import { Search } from 'lucide-react';
import { type DragEvent, memo, useMemo, useState } from 'react';
import { type CatalogEntry, groupCatalog } from '../catalog/catalog.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { addOperator } from '../store/edits.js';
import { OperatorIcon } from './OperatorIcon.js';

export const KIND_MIME = 'application/x-sluice-kind';

export function Palette() {
  const catalog = useEditor((s) => s.catalog);
  const [query, setQuery] = useState('');
  const groups = useMemo(() => groupCatalog(catalog, query), [catalog, query]);
  return (
    <aside className="palette" aria-label="Operators">
      <label className="search">
        <Search size={14} aria-hidden="true" />
        <input
          type="search"
          placeholder="Search operators"
          aria-label="Search operators"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </label>
      {catalog.entries.length === 0 && <p className="muted pad">Loading the catalog…</p>}
      {catalog.entries.length > 0 && groups.length === 0 && (
        <p className="muted pad">Nothing matches “{query}”.</p>
      )}
      {groups.map((group) => (
        <section key={group.category} className="palette-group">
          <h2>{group.label}</h2>
          <ul>
            {group.entries.map((entry) => (
              <PaletteItem key={entry.kind} entry={entry} />
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}

const PaletteItem = memo(function PaletteItem({ entry }: { entry: CatalogEntry }) {
  const store = useEditorStore();
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(KIND_MIME, entry.kind);
    event.dataTransfer.effectAllowed = 'move';
  };
  const add = () => {
    const at = store.getState().canvasView?.center() ?? { x: 0, y: 0 };
    addOperator(store, entry, at);
  };
  return (
    <li>
      <button
        type="button"
        className="palette-item"
        draggable
        onDragStart={onDragStart}
        onClick={add}
        title={entry.description}
        aria-label={`Add ${entry.label}: ${entry.description}`}
      >
        <span className={`kind-icon cat-${entry.category}`}>
          <OperatorIcon name={entry.icon} />
        </span>
        <span className="palette-label">{entry.label}</span>
      </button>
    </li>
  );
});
