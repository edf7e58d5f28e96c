// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Header } from '../app/Header.js';
import { analyze } from '../diagnostics/analysis.js';
import { startLive } from '../live/live.js';
import { EditorProvider } from '../store/context.js';
import type { EditorStore } from '../store/store.js';
import { testStore } from '../testing/fixtures.js';
import { COMMANDS } from './commands.js';
import { useShortcuts } from './use-shortcuts.js';

afterEach(cleanup);

function Shortcuts({ store }: { store: EditorStore }) {
  useShortcuts(store);
  return null;
}

function renderHeader(store = testStore()) {
  store.getState().setAnalysis(analyze(store.getState().document));
  render(
    <EditorProvider store={store}>
      <Header />
      <Shortcuts store={store} />
    </EditorProvider>,
  );
  return store;
}

const labels = new Set(COMMANDS.map((c) => c.label));
// A button that opens a menu (Stop's ▾) is no command itself; its menu's items are (LiveBar.test.tsx).
const buttonNames = () =>
  screen
    .getAllByRole('button')
    .filter((b) => !b.hasAttribute('aria-haspopup'))
    .map((b) => b.getAttribute('aria-label') ?? b.textContent?.trim());

describe('the header’s buttons', () => {
  it('are each a registered command, while editing and while a job is shown', () => {
    const store = renderHeader();
    expect(buttonNames()).toContain('Deploy');
    for (const name of buttonNames()) expect(labels).toContain(name);
    act(() => store.getState().updateLive(() => startLive({ id: 'j1', status: 'running' })));
    expect(buttonNames()).toContain('Stop');
    for (const name of buttonNames()) expect(labels).toContain(name);
    act(() =>
      store.getState().updateLive((l) => ({ ...l, job: { ...l.job!, status: 'stopped' } })),
    );
    expect(buttonNames()).toContain('Back to editing');
    for (const name of buttonNames()) expect(labels).toContain(name);
  });

  it('show the shortcut, and Deploy says why it cannot run', () => {
    const store = testStore();
    store.getState().edit('Break', (doc) => ({
      ...doc,
      nodes: doc.nodes.map((n) => (n.id === 'big' ? { ...n, config: { where: 'nope >' } } : n)),
    }));
    renderHeader(store);
    expect(screen.getByRole('button', { name: 'Download as JSON' }).title).toBe(
      'Download as JSON (Ctrl+Shift+S)',
    );
    const deploy = screen.getByRole('button', { name: 'Deploy' }) as HTMLButtonElement;
    expect(deploy.disabled).toBe(true);
    const reason = document.getElementById(deploy.getAttribute('aria-describedby')!);
    expect(reason?.textContent).toMatch(/^Fix the .* listed below the canvas first\.$/);
  });

  it('switch the theme by the button or its shortcut, and say which is on', () => {
    const store = renderHeader();
    const theme = screen.getByRole('button', { name: 'Dark theme' });
    expect(theme.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(theme);
    expect(store.getState().theme).toBe('dark');
    expect(theme.getAttribute('aria-pressed')).toBe('true');
    fireEvent.keyDown(window, { key: 'D', shiftKey: true });
    expect(store.getState().theme).toBe('light');
  });

  it('open the import file chooser from the button and from Ctrl+O', () => {
    renderHeader();
    const input = screen.getByLabelText('Pipeline file to import');
    let chosen = 0;
    input.addEventListener('click', (e) => {
      chosen++;
      e.preventDefault();
    });
    fireEvent.click(screen.getByRole('button', { name: 'Import a pipeline file' }));
    fireEvent.keyDown(window, { key: 'o', ctrlKey: true });
    expect(chosen).toBe(2);
  });
});
