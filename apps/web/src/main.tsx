import '@xyflow/react/dist/base.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { savedPanels } from './app/panels.js';
import { EditorProvider } from './store/context.js';
import { createEditorStore, type Theme } from './store/store.js';

function preferredTheme(): Theme {
  const saved = localStorage.getItem('sluice.theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const store = createEditorStore({ theme: preferredTheme(), panels: savedPanels() });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EditorProvider store={store}>
      <App />
    </EditorProvider>
  </StrictMode>,
);
