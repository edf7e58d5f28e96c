// The header: the pipeline's name and saved state, the pipeline actions,
// the edit commands, the theme, and Deploy (or the running job's controls).
import {
  ClipboardCopy,
  Download,
  FolderOpen,
  History,
  Keyboard,
  LayoutDashboard,
  ListChecks,
  LogOut,
  Moon,
  Redo2,
  Sun,
  Undo2,
  Upload,
} from 'lucide-react';
import { useRef } from 'react';
import { api, errorMessage } from '../api/client.js';
import { CommandButton } from '../commands/CommandButton.js';
import { LiveBar } from '../live/LiveBar.js';
import { copyExport, downloadExport, importFile } from '../pipelines/session.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { isDirty } from '../store/store.js';

export function Header() {
  const store = useEditorStore();
  const name = useEditor((s) => s.document.name);
  const theme = useEditor((s) => s.theme);
  const live = useEditor((s) => s.live.job !== null);
  const file = useRef<HTMLInputElement>(null);
  const rename = (value: string) =>
    store.getState().edit('Rename pipeline', (doc) => ({ ...doc, name: value }), {
      coalesce: 'pipeline-name',
    });
  return (
    <header className="header">
      <span className="brand" aria-hidden="true">
        Sluice
      </span>
      <input
        className="pipeline-name"
        aria-label="Pipeline name"
        value={name}
        readOnly={live}
        maxLength={200}
        onChange={(e) => rename(e.target.value)}
        onBlur={(e) => e.target.value.trim() === '' && rename('Untitled pipeline')}
      />
      <SaveState />
      <nav className="toolbar" aria-label="Pipeline">
        <button
          type="button"
          className="icon-button"
          aria-label="Pipelines"
          title="Pipelines: open, create, rename, delete"
          onClick={() => store.getState().openDialog('pipelines')}
        >
          <FolderOpen size={16} />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Version history"
          title="Version history"
          onClick={() => store.getState().openDialog('versions')}
        >
          <History size={16} />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Jobs"
          title="Jobs: running and finished"
          onClick={() => store.getState().openDialog('jobs')}
        >
          <ListChecks size={16} />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Import a pipeline file"
          title="Import a pipeline file (.json)"
          onClick={() => file.current?.click()}
        >
          <Upload size={16} />
        </button>
        <input
          ref={file}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Pipeline file to import"
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            e.target.value = '';
            if (chosen) void importFile(store, chosen);
          }}
        />
        <button
          type="button"
          className="icon-button"
          aria-label="Download as JSON"
          title="Download as JSON"
          onClick={() => downloadExport(store)}
        >
          <Download size={16} />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Copy JSON to the clipboard"
          title="Copy JSON to the clipboard"
          onClick={() => void copyExport(store)}
        >
          <ClipboardCopy size={16} />
        </button>
      </nav>
      <nav className="toolbar" aria-label="Edit">
        <CommandButton name="undo">
          <Undo2 size={16} />
        </CommandButton>
        <CommandButton name="redo">
          <Redo2 size={16} />
        </CommandButton>
        <CommandButton name="auto-layout">
          <LayoutDashboard size={16} />
        </CommandButton>
        <CommandButton name="shortcuts">
          <Keyboard size={16} />
        </CommandButton>
      </nav>
      <span className="grow" />
      <button
        type="button"
        className="icon-button"
        aria-label={theme === 'dark' ? 'Use the light theme' : 'Use the dark theme'}
        title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        onClick={() => store.getState().setTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        {theme === 'dark' ? <Sun size={16} /> : <Moon size={16} />}
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Sign out"
        title="Sign out: ends this browser's session"
        onClick={() =>
          void api.signOut().then(
            () => store.getState().signOut(),
            (cause) => store.getState().notify({ tone: 'error', message: errorMessage(cause) }),
          )
        }
      >
        <LogOut size={16} />
      </button>
      <LiveBar />
    </header>
  );
}

function SaveState() {
  const dirty = useEditor(isDirty);
  const status = useEditor((s) => s.saveStatus);
  const id = useEditor((s) => s.pipelineId);
  const live = useEditor((s) => s.live.job !== null);
  if (live) return <output className="save-state muted">Read-only while live</output>;
  const text =
    status === 'saving'
      ? 'Saving…'
      : status === 'error'
        ? 'Not saved'
        : dirty
          ? 'Unsaved changes'
          : id === null
            ? 'New, not saved yet'
            : 'Saved';
  const tone =
    status === 'error' ? 'tone-error' : dirty || status === 'saving' ? 'muted' : 'tone-ok';
  return (
    <output className={`save-state ${tone}`} aria-live="polite">
      {text}
    </output>
  );
}
