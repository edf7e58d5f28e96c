// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../diagnostics/analysis.js';
import { Palette } from '../palette/Palette.js';
import { EditorProvider } from '../store/context.js';
import { testStore } from '../testing/fixtures.js';
import { Inspector } from './Inspector.js';

afterEach(cleanup);

describe('the palette and the inspector', () => {
  it('groups the catalog by category, and search narrows it', () => {
    const store = testStore();
    render(
      <EditorProvider store={store}>
        <Palette />
      </EditorProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Sources' })).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Add Filter/ })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search operators'), { target: { value: 'join' } });
    expect(screen.queryByRole('button', { name: /^Add Filter/ })).toBeNull();
    expect(screen.getByRole('button', { name: /^Add Window join/ })).toBeTruthy();
  });

  it('renders the selected step’s form from its schema, with the expression editor', () => {
    const store = testStore();
    store.getState().setAnalysis(analyze(store.getState().document));
    store.getState().select({ nodes: new Set(['big']), edges: new Set() });
    const { container } = render(
      <EditorProvider store={store}>
        <Inspector />
      </EditorProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Filter' })).toBeTruthy();
    const editor = container.querySelector('.expression-editor .cm-content');
    expect(editor?.textContent).toBe('amount > 5');
    fireEvent.change(screen.getByLabelText('Label'), { target: { value: 'Big ones' } });
    expect(store.getState().document.nodes[1]!.label).toBe('Big ones');
    store.getState().undo();
    expect(store.getState().document.nodes[1]!.label).toBeUndefined();
  });
});
