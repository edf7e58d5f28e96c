// The shell: header, palette on the left, canvas in the middle with the
// problems below it, inspector on the right, and the dialogs over them. While
// a job is shown, its results replace the problems and its records the inspector.
// The side panel and the results fold away (each remembered), for the canvas
// to have the room on a small screen.
import { ReactFlowProvider } from '@xyflow/react';
import {
  PanelBottomClose,
  PanelBottomOpen,
  PanelRightClose,
  PanelRightOpen,
  X,
} from 'lucide-react';
import { useCallback } from 'react';
import { AddNodeDialog } from '../canvas/AddNodeDialog.js';
import { Canvas } from '../canvas/Canvas.js';
import { CommandButton } from '../commands/CommandButton.js';
import { ShortcutsDialog } from '../commands/ShortcutsDialog.js';
import { useShortcuts } from '../commands/use-shortcuts.js';
import { DiagnosticsPanel } from '../diagnostics/DiagnosticsPanel.js';
import { Inspector } from '../inspector/Inspector.js';
import { JobsDialog } from '../live/JobsDialog.js';
import { LiveInspector } from '../live/LiveInspector.js';
import { ResultsPanel } from '../live/ResultsPanel.js';
import { UpgradePlanDialog } from '../live/UpgradePlanDialog.js';
import { WhatIfDialog } from '../live/WhatIfDialog.js';
import { Palette } from '../palette/Palette.js';
import { DraftBanner } from '../pipelines/DraftBanner.js';
import { ImportDialog } from '../pipelines/ImportDialog.js';
import { PipelinesDialog } from '../pipelines/PipelinesDialog.js';
import { importFile } from '../pipelines/session.js';
import { VersionsDialog } from '../pipelines/VersionsDialog.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { useEditorServices, useThemeOnPage } from './effects.js';
import { Header } from './Header.js';
import { usePanelsRemembered } from './panels.js';
import { SignIn } from './SignIn.js';

export function App() {
  const store = useEditorStore();
  const theme = useEditor((s) => s.theme);
  const signedOut = useEditor((s) => s.signedOut);
  const panels = useEditor((s) => s.panels);
  useEditorServices(store);
  useThemeOnPage(theme);
  usePanelsRemembered(panels);
  return signedOut ? <SignIn /> : <Editor />;
}

function Editor() {
  const store = useEditorStore();
  useShortcuts(store);
  const live = useEditor((s) => s.live.job !== null);
  const onFileDrop = useCallback((file: File) => void importFile(store, file), [store]);
  const side = useEditor((s) => s.panels.side);
  return (
    <ReactFlowProvider>
      <div className={`app${live ? ' app-live' : ''}`}>
        <Header />
        <Notice />
        <DraftBanner />
        <div className={`workspace${side ? '' : ' side-closed'}`}>
          {!live && <Palette />}
          <main className="centre">
            <Canvas onFileDrop={onFileDrop} />
            <SidePanelToggle open={side} />
            {live ? <Results /> : <DiagnosticsPanel />}
          </main>
          {side && <SidePanel live={live} />}
        </div>
        <Dialogs />
        <UpgradePlanDialog />
      </div>
    </ReactFlowProvider>
  );
}

/** The side panel's switch, in the canvas's top right corner, beside the panel it folds. */
function SidePanelToggle({ open }: { open: boolean }) {
  return (
    <span className="side-panel-toggle">
      <CommandButton name="side-panel">
        {open ? <PanelRightClose size={16} /> : <PanelRightOpen size={16} />}
      </CommandButton>
    </span>
  );
}

function SidePanel({ live }: { live: boolean }) {
  return live ? (
    <aside className="inspector inspector-live" aria-label="Live inspector">
      <LiveInspector />
    </aside>
  ) : (
    <Inspector />
  );
}

function Results() {
  const open = useEditor((s) => s.panels.results);
  if (!open) {
    return (
      <div className="results-closed">
        <h2>Results</h2>
        <CommandButton name="results-panel">
          <PanelBottomOpen size={16} />
        </CommandButton>
      </div>
    );
  }
  return (
    <div className="results-area">
      <span className="panel-toggle">
        <CommandButton name="results-panel">
          <PanelBottomClose size={16} />
        </CommandButton>
      </span>
      <ResultsPanel />
    </div>
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
    case 'jobs':
      return <JobsDialog />;
    case 'import':
      return <ImportDialog />;
    case 'what-if':
      return <WhatIfDialog />;
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
      {notice.actions?.map((action) => (
        <button
          key={action.label}
          type="button"
          className="button"
          onClick={() => {
            store.getState().notify(null);
            action.run();
          }}
        >
          {action.label}
        </button>
      ))}
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
