// The saved versions of the open pipeline; restoring one saves it again as the newest.
import type { VersionSummary } from '@sluice/shared';
import { RotateCcw } from 'lucide-react';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../api/client.js';
import { Dialog } from '../app/Dialog.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { saveNow } from './session.js';

export function VersionsDialog() {
  const store = useEditorStore();
  const id = useEditor((s) => s.pipelineId);
  const current = useEditor((s) => s.serverVersion);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const close = () => store.getState().openDialog(null);

  useEffect(() => {
    if (!id) return;
    api.versions(id).then(setVersions, (cause) => setProblem(errorMessage(cause)));
  }, [id]);

  const restore = async (version: number) => {
    if (!id) return;
    try {
      await saveNow(store);
      const record = await api.restore(id, version);
      store.getState().open(record.pipeline, record.id, record.version);
      store.getState().notify({
        tone: 'info',
        message: `Version ${version} restored as version ${record.version}.`,
      });
      close();
    } catch (cause) {
      setProblem(errorMessage(cause));
    }
  };

  return (
    <Dialog title="Version history" onClose={close}>
      {!id && <p className="muted">This pipeline has not been saved yet.</p>}
      {problem && <p className="tone-error">{problem}</p>}
      {id && versions === null && !problem && <p className="muted">Loading…</p>}
      <ul className="version-list">
        {versions?.map((v) => (
          <li key={v.version}>
            <span className="grow">
              <strong>v{v.version}</strong> {v.name}
              <span className="muted small">
                {' '}
                · {new Date(v.createdAt).toLocaleString()} · {v.valid ? 'valid' : 'has errors'}
              </span>
            </span>
            {v.version === current ? (
              <span className="muted small">current</span>
            ) : (
              <button type="button" className="button" onClick={() => void restore(v.version)}>
                <RotateCcw size={14} aria-hidden="true" /> Restore
              </button>
            )}
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
