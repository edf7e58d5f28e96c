// The saved versions of the open pipeline: what each changed, which one a job
// ran, names for the ones worth keeping, a side-by-side comparison of any two,
// and restoring one (saved again as the newest).
import type { VersionSummary } from '@sluice/shared';
import { GitCompare, Pencil, Rocket, RotateCcw } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../api/client.js';
import { Dialog } from '../app/Dialog.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { saveNow } from './session.js';
import { VersionCompare } from './VersionCompare.js';
import './versions.css';

export function VersionsDialog() {
  const store = useEditorStore();
  const id = useEditor((s) => s.pipelineId);
  const current = useEditor((s) => s.serverVersion);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [comparing, setComparing] = useState<{ from: number; to: number } | null>(null);
  const [naming, setNaming] = useState<number | null>(null);
  const close = () => store.getState().openDialog(null);

  const load = useCallback(async () => {
    if (!id) return;
    try {
      // The history includes what is on the canvas now.
      await saveNow(store);
      setVersions(await api.versions(id));
    } catch (cause) {
      setProblem(errorMessage(cause));
    }
  }, [id, store]);
  useEffect(() => {
    void load();
  }, [load]);

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

  const name = async (version: number, label: string) => {
    if (!id) return;
    try {
      const named = await api.labelVersion(id, version, label.trim() || null);
      setVersions((list) => list?.map((v) => (v.version === version ? named : v)) ?? null);
      setNaming(null);
    } catch (cause) {
      setProblem(errorMessage(cause));
    }
  };

  if (id && comparing && versions) {
    return (
      <VersionCompare
        pipelineId={id}
        versions={versions}
        from={comparing.from}
        to={comparing.to}
        onChange={setComparing}
        onBack={() => setComparing(null)}
        onClose={close}
      />
    );
  }

  const newest = versions?.[0]?.version;
  return (
    <Dialog title="Version history" onClose={close} wide>
      {!id && <p className="muted">This pipeline has not been saved yet.</p>}
      {problem && <p className="tone-error">{problem}</p>}
      {id && versions === null && !problem && <p className="muted">Loading…</p>}
      {versions && versions.length > 0 && (
        <p className="muted small">
          Saves of one run of edits (within ten minutes) make one version; a named or deployed
          version is kept as it is.
        </p>
      )}
      <ul className="version-list">
        {versions?.map((v, index) => (
          <li key={v.version} className="version-row">
            <div className="version-main">
              <div className="version-title">
                <strong>v{v.version}</strong>
                {v.label && <span className="version-label">{v.label}</span>}
                {v.version === current && <span className="version-badge">current</span>}
                {v.deployed && (
                  <span
                    className={`version-badge version-deployed${v.deployed.status === 'running' ? ' is-running' : ''}`}
                    title={`Job ${v.deployed.id}, started ${new Date(v.deployed.startedAt).toLocaleString()}`}
                  >
                    <Rocket size={12} aria-hidden="true" />{' '}
                    {v.deployed.status === 'running'
                      ? 'deployed · running'
                      : `deployed · ${v.deployed.status}`}
                  </span>
                )}
              </div>
              <div className="version-summary">{v.summary ?? 'Saved'}</div>
              <div className="muted small">
                {when(v)} · {v.valid ? 'valid' : 'has errors'}
                {index < versions.length - 1 && v.name !== versions[index + 1]?.name
                  ? ` · named “${v.name}”`
                  : ''}
              </div>
              {naming === v.version && (
                <NameForm
                  initial={v.label ?? ''}
                  onSave={(label) => void name(v.version, label)}
                  onCancel={() => setNaming(null)}
                />
              )}
            </div>
            <div className="version-actions">
              <button
                type="button"
                className="icon-button"
                aria-label={`Name version ${v.version}`}
                title={v.label ? 'Rename this version' : 'Name this version (it is then kept)'}
                onClick={() => setNaming(v.version)}
              >
                <Pencil size={14} aria-hidden="true" />
              </button>
              {newest !== undefined && v.version !== newest && (
                <button
                  type="button"
                  className="button"
                  aria-label={`Compare version ${v.version} with version ${newest}`}
                  onClick={() => setComparing({ from: v.version, to: newest })}
                >
                  <GitCompare size={14} aria-hidden="true" /> Compare
                </button>
              )}
              {v.version !== current && (
                <button
                  type="button"
                  className="button"
                  aria-label={`Restore version ${v.version}`}
                  onClick={() => void restore(v.version)}
                >
                  <RotateCcw size={14} aria-hidden="true" /> Restore
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

/** When a version was saved; a run of saves says its first and last. */
function when(v: VersionSummary): string {
  const last = new Date(v.createdAt);
  if (v.saves <= 1 || !v.firstSavedAt) return last.toLocaleString();
  const first = new Date(v.firstSavedAt);
  const time = (d: Date) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `${first.toLocaleDateString()} ${time(first)}–${time(last)} · ${v.saves} saves`;
}

function NameForm({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (label: string) => void;
  onCancel: () => void;
}) {
  const [label, setLabel] = useState(initial);
  return (
    <form
      className="version-name-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(label);
      }}
    >
      <input
        // biome-ignore lint/a11y/noAutofocus: the form opens to be typed in
        autoFocus
        aria-label="Version name"
        placeholder="e.g. Before the launch"
        maxLength={120}
        value={label}
        onChange={(e) => setLabel(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            // Closes the form, not the dialog.
            e.stopPropagation();
            onCancel();
          }
        }}
      />
      <button type="submit" className="button">
        Save name
      </button>
    </form>
  );
}
