// The header: the pipeline's name and saved state, then buttons for the
// registered commands (pipeline, edit, theme, sign out), and Deploy (or the
// shown job's controls).
import {
  ClipboardCopy,
  Download,
  FlaskConical,
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
import { CommandButton } from '../commands/CommandButton.js';
import { LiveBar } from '../live/LiveBar.js';
import { liveSaveNote } from '../live/live.js';
import { useRetryCountdown } from '../pipelines/retry-countdown.js';
import { IMPORT_INPUT_ID, importFile } from '../pipelines/session.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { isDirty } from '../store/store.js';

export function Header() {
  const store = useEditorStore();
  const name = useEditor((s) => s.document.name);
  const theme = useEditor((s) => s.theme);
  const live = useEditor((s) => s.live.job !== null);
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
        title={live ? name : undefined}
        maxLength={200}
        onChange={(e) => rename(e.target.value)}
        onBlur={(e) => e.target.value.trim() === '' && rename('Untitled pipeline')}
      />
      <SaveState />
      <nav className="toolbar" aria-label="Pipeline">
        <CommandButton name="pipelines">
          <FolderOpen size={16} />
        </CommandButton>
        <CommandButton name="versions">
          <History size={16} />
        </CommandButton>
        <CommandButton name="what-if">
          <FlaskConical size={16} />
        </CommandButton>
        <CommandButton name="jobs">
          <ListChecks size={16} />
        </CommandButton>
        <CommandButton name="import">
          <Upload size={16} />
        </CommandButton>
        <input
          id={IMPORT_INPUT_ID}
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
        <CommandButton name="download">
          <Download size={16} />
        </CommandButton>
        <CommandButton name="copy-json">
          <ClipboardCopy size={16} />
        </CommandButton>
      </nav>
      <nav className="toolbar" aria-label="Edit">
        {/* A job shown is read-only: its edit buttons would only take the room its controls need. */}
        {!live && (
          <>
            <CommandButton name="undo">
              <Undo2 size={16} />
            </CommandButton>
            <CommandButton name="redo">
              <Redo2 size={16} />
            </CommandButton>
            <CommandButton name="auto-layout">
              <LayoutDashboard size={16} />
            </CommandButton>
          </>
        )}
        <CommandButton name="shortcuts">
          <Keyboard size={16} />
        </CommandButton>
      </nav>
      <span className="grow" />
      <CommandButton name="dark-theme">
        {theme === 'dark' ? <Sun size={16} /> : <Moon size={16} />}
      </CommandButton>
      <CommandButton name="sign-out">
        <LogOut size={16} />
      </CommandButton>
      <LiveBar />
    </header>
  );
}

function SaveState() {
  const dirty = useEditor(isDirty);
  const status = useEditor((s) => s.saveStatus);
  const id = useEditor((s) => s.pipelineId);
  const liveNote = useEditor((s) => liveSaveNote(s.live));
  const retryIn = useRetryCountdown();
  if (liveNote) return <output className="save-state muted">{liveNote}</output>;
  const text =
    status === 'saving'
      ? 'Saving…'
      : status === 'error'
        ? retryIn === null
          ? 'Not saved'
          : `Not saved — retrying in ${retryIn} s`
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
