// Search the catalog and add a step where the canvas was double-clicked.
import { type KeyboardEvent, useMemo, useState } from 'react';
import { Dialog } from '../app/Dialog.js';
import { searchCatalog } from '../catalog/catalog.js';
import { OperatorIcon } from '../palette/OperatorIcon.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { addOperator } from '../store/edits.js';

export function AddNodeDialog() {
  const store = useEditorStore();
  const catalog = useEditor((s) => s.catalog);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const matches = useMemo(() => searchCatalog(catalog, query), [catalog, query]);
  const close = () => store.getState().openDialog(null);
  const choose = (index: number) => {
    const entry = matches[index];
    if (!entry) return;
    const { addAt } = store.getState();
    addOperator(store, entry, addAt ?? { x: 0, y: 0 });
    close();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Enter') choose(active);
    else return;
    e.preventDefault();
  };
  return (
    <Dialog title="Add a step" onClose={close}>
      <input
        className="input"
        type="search"
        placeholder="Filter, join, window…"
        aria-label="Search operators"
        aria-controls="add-node-list"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id="add-node-list" className="add-node-list" aria-label="Operators">
        {matches.map((entry, i) => (
          <li key={entry.kind}>
            <button
              type="button"
              className={`add-node-item${i === active ? ' active' : ''}`}
              aria-current={i === active}
              onClick={() => choose(i)}
              onMouseEnter={() => setActive(i)}
            >
              <span className={`kind-icon cat-${entry.category}`}>
                <OperatorIcon name={entry.icon} />
              </span>
              <span>
                <strong>{entry.label}</strong>
                <span className="muted small"> {entry.description}</span>
              </span>
            </button>
          </li>
        ))}
        {matches.length === 0 && <li className="muted">Nothing matches.</li>}
      </ul>
    </Dialog>
  );
}
