// The shell: header, palette on the left, canvas in the middle with the
// problems below it, inspector on the right, and the dialogs over them.
import { ReactFlowProvider } from '@xyflow/react';
import { X } from 'lucide-react';
import { useCallback } from 'react';
import { AddNodeDialog } from '../canvas/AddNodeDialog.js';
import { Canvas } from '../canvas/Canvas.js';
import { ShortcutsDialog } from '../commands/ShortcutsDialog.js';
import { useShortcuts } from '../commands/use-shortcuts.js';
import { DiagnosticsPanel } from '../diagnostics/DiagnosticsPanel.js';
import { Inspector } from '../inspector/Inspector.js';
import { Palette } from '../palette/Palette.js';
import { PipelinesDialog } from '../pipelines/PipelinesDialog.js';
import { importFile } from '../pipelines/session.js';
import { VersionsDialog } from '../pipelines/VersionsDialog.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { useEditorServices, useThemeOnPage } from './effects.js';
import { Header } from './Header.js';
import { SignIn } from './SignIn.js';

export function App() {
  const store = useEditorStore();
  const theme = useEditor((s) => s.theme);
  const signedOut = useEditor((s) => s.signedOut);
  useEditorServices(store);
  useThemeOnPage(theme);
  return signedOut ? <SignIn /> : <Editor />;
}

function Editor() {
  const store = useEditorStore();
  useShortcuts(store);
  const onFileDrop = useCallback((file: File) => void importFile(store, file), [store]);
  return (
    <ReactFlowProvider>
      <div className="app">
        <Header />
        <Notice />
        <div className="workspace">
          <Palette />
          <main className="centre">
            <Canvas onFileDrop={onFileDrop} />
            <DiagnosticsPanel />
          </main>
          <Inspector />
        </div>
        <Dialogs />
      </div>
    </ReactFlowProvider>
  );
}

function Dialogs() {
  const dialog = useEditor((s) => s.dialog);
  switch (dialog) {
    case 'add-node':
      return <AddNodeDialog />;
    case 'shortcuts':
      return <ShortcutsDialog />;
    case 'pipelines':
      return <PipelinesDialog />;
    case 'versions':
      return <VersionsDialog />;
    default:
      return null;
  }
}

function Notice() {
  const store = useEditorStore();
  const notice = useEditor((s) => s.notice);
  if (!notice) return null;
  return (
    <div
      className={`notice notice-${notice.tone}`}
      role={notice.tone === 'error' ? 'alert' : 'status'}
    >
      <span>{notice.message}</span>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss"
        onClick={() => store.getState().notify(null)}
      >
        <X size={14} />
      </button>
    </div>
  );
}
