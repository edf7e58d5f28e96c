// An imported pipeline whose name is taken: a new version of the stored one,
// a copy beside it, or nothing.
import { Dialog } from '../app/Dialog.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { finishImport, numberedName } from './session.js';

export function ImportDialog() {
  const store = useEditorStore();
  const pending = useEditor((s) => s.pendingImport);
  const cancel = () => void finishImport(store, 'cancel');
  if (!pending) return null;
  const { name } = pending.existing;
  return (
    <Dialog title="A pipeline of that name exists" onClose={cancel}>
      <p>
        {pending.fileName} holds “{name}”, and a pipeline of that name is stored already.
      </p>
      <div className="import-choices">
        <button
          type="button"
          className="button primary"
          onClick={() => void finishImport(store, 'new-version')}
        >
          Add as a new version of {name}
        </button>
        <button type="button" className="button" onClick={() => void finishImport(store, 'copy')}>
          Import as a copy
        </button>
        <button type="button" className="button" onClick={cancel}>
          Cancel
        </button>
      </div>
      <p className="muted small">
        A copy is named “{numberedName(name, new Set(pending.names))}”. A new version keeps the
        older ones in its version history.
      </p>
    </Dialog>
  );
}
