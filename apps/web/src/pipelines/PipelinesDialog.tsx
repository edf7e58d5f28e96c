// The stored pipelines: open, create, rename and delete.
import type { PipelineSummary } from '@sluice/shared';
import { Pencil, Plus, Trash2 } from 'lucide-react';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../api/client.js';
import { Dialog } from '../app/Dialog.js';
import { emptyPipeline } from '../document/document.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { pageDrafts } from './draft-keeper.js';
import { createPipeline, openPipeline, saveNow } from './session.js';

export function PipelinesDialog() {
  const store = useEditorStore();
  const currentId = useEditor((s) => s.pipelineId);
  const [list, setList] = useState<PipelineSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const [renaming, setRenaming] = useState<string | null>(null);
  // The rename box goes away under the keyboard's focus: it returns to the row's Rename
  // button, inside the dialog, so Escape closes the dialog again.
  const [refocus, setRefocus] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (refocus === null || renaming !== null) return;
    listRef.current
      ?.querySelector<HTMLButtonElement>(`button[data-rename="${CSS.escape(refocus)}"]`)
      ?.focus();
    setRefocus(null);
  }, [refocus, renaming]);
  const close = () => store.getState().openDialog(null);

  const refresh = useCallback(async () => {
    try {
      setList(await api.list());
      setProblem(null);
    } catch (cause) {
      setProblem(errorMessage(cause));
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const open = async (id: string) => {
    await saveNow(store);
    await openPipeline(store, id);
    close();
  };
  const create = async (event: FormEvent) => {
    event.preventDefault();
    await saveNow(store);
    await createPipeline(store, newName);
    close();
  };
  const remove = async (item: PipelineSummary) => {
    if (!window.confirm(`Delete “${item.name}” and all its versions? This cannot be undone.`))
      return;
    try {
      await api.remove(item.id);
      // Changes kept of it would be offered for a pipeline that is gone.
      pageDrafts().remove(item.id);
      if (item.id === currentId) store.getState().open(emptyPipeline(), null, null);
      await refresh();
    } catch (cause) {
      setProblem(errorMessage(cause));
    }
  };
  // Enter ends a rename, and then the box's blur as it goes would end it again.
  const ended = useRef<string | null>(null);
  const rename = async (item: PipelineSummary, name: string) => {
    setRenaming(null);
    if (ended.current === item.id) return;
    ended.current = item.id;
    const trimmed = name.trim();
    if (trimmed === '' || trimmed === item.name) return;
    try {
      if (item.id === currentId) {
        store.getState().edit('Rename pipeline', (doc) => ({ ...doc, name: trimmed }));
        await saveNow(store);
      } else {
        const record = await api.get(item.id);
        await api.save(item.id, { ...record.pipeline, name: trimmed }, record.version);
      }
      await refresh();
    } catch (cause) {
      setProblem(errorMessage(cause));
    }
  };

  return (
    <Dialog title="Pipelines" onClose={close} wide>
      <form className="row" onSubmit={create}>
        <input
          className="input grow"
          placeholder="Name of a new pipeline"
          aria-label="Name of a new pipeline"
          value={newName}
          maxLength={200}
          onChange={(e) => setNewName(e.target.value)}
        />
        <button type="submit" className="button primary">
          <Plus size={14} aria-hidden="true" /> New pipeline
        </button>
      </form>
      {problem && <p className="tone-error">{problem}</p>}
      {list === null && !problem && <p className="muted">Loading…</p>}
      {list?.length === 0 && <p className="muted">No pipelines are stored yet.</p>}
      <ul className="pipeline-list" ref={listRef}>
        {list?.map((item) => (
          <li key={item.id} className={item.id === currentId ? 'current' : ''}>
            {renaming === item.id ? (
              <input
                className="input grow"
                aria-label={`New name for ${item.name}`}
                defaultValue={item.name}
                autoFocus
                onBlur={(e) => void rename(item, e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    // Focus moves to the Rename button at once: the key must not press it too.
                    e.preventDefault();
                    setRefocus(item.id);
                    void rename(item, e.currentTarget.value);
                  }
                  if (e.key === 'Escape') {
                    e.stopPropagation();
                    ended.current = item.id;
                    setRefocus(item.id);
                    setRenaming(null);
                  }
                }}
              />
            ) : (
              <button
                type="button"
                className="pipeline-open grow"
                onClick={() => void open(item.id)}
              >
                <strong>{item.name}</strong>
                <span className="muted small">
                  v{item.version} · saved {new Date(item.updatedAt).toLocaleString()} ·{' '}
                  {item.errors > 0
                    ? `${item.errors} error${item.errors === 1 ? '' : 's'}`
                    : 'valid'}
                </span>
              </button>
            )}
            <button
              type="button"
              className="icon-button"
              aria-label={`Rename ${item.name}`}
              data-rename={item.id}
              onClick={() => {
                ended.current = null;
                setRenaming(item.id);
              }}
            >
              <Pencil size={14} />
            </button>
            <button
              type="button"
              className="icon-button danger"
              aria-label={`Delete ${item.name}`}
              onClick={() => void remove(item)}
            >
              <Trash2 size={14} />
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
