// @vitest-environment jsdom
import { EditorView } from '@codemirror/view';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../commands/command.js';
import { redoCommand, undoCommand } from '../commands/commands.js';
import { analyze } from '../diagnostics/analysis.js';
import { Palette } from '../palette/Palette.js';
import { EditorProvider } from '../store/context.js';
import { samplePipeline, testStore } from '../testing/fixtures.js';
import { scheduleAfterPaintWith } from './after-paint.js';
import { Inspector } from './Inspector.js';

afterEach(() => {
  cleanup();
  scheduleAfterPaintWith(null);
});

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

  it('shows a key in the expression editor first and passes it on to the document once that frame is painted, or at once for a command', () => {
    const painted: (() => void)[] = [];
    scheduleAfterPaintWith((flush) => painted.push(flush));
    const store = testStore();
    store.getState().select({ nodes: new Set(['big']), edges: new Set() });
    const { container } = render(
      <EditorProvider store={store}>
        <Inspector />
      </EditorProvider>,
    );
    const where = () => store.getState().document.nodes[1]!.config!.where;
    const view = EditorView.findFromDOM(container.querySelector<HTMLElement>('.cm-editor')!)!;
    const type = (text: string) =>
      act(() => view.dispatch({ changes: { from: view.state.doc.length, insert: text } }));

    type('0');
    type('0');
    expect(view.state.doc.toString()).toBe('amount > 500');
    expect(where()).toBe('amount > 5');
    expect(painted).toHaveLength(1);
    act(() => painted.shift()!());
    expect(where()).toBe('amount > 500');

    // A command (here Undo) sees the text typed a moment ago, without waiting for the frame:
    // the whole run of typing is one step, undone and redone together.
    type('1');
    act(() => void runCommand(undoCommand, { store }));
    expect(where()).toBe('amount > 5');
    act(() => void runCommand(redoCommand, { store }));
    expect(where()).toBe('amount > 5001');
  });

  it('keeps keys typed while the form catches up with the ones passed on before', async () => {
    const painted: (() => void)[] = [];
    scheduleAfterPaintWith((flush) => painted.push(flush));
    const store = testStore();
    store.getState().select({ nodes: new Set(['big']), edges: new Set() });
    const { container } = render(
      <EditorProvider store={store}>
        <Inspector />
      </EditorProvider>,
    );
    const view = EditorView.findFromDOM(container.querySelector<HTMLElement>('.cm-editor')!)!;
    const type = (text: string) =>
      view.dispatch({ changes: { from: view.state.doc.length, insert: text } });
    // The form hears of '0', and before it has drawn that, '1' is typed.
    act(() => type('0'));
    painted.shift()!();
    type('1');
    await act(async () => {});
    expect(view.state.doc.toString()).toBe('amount > 501');
    act(() => painted.shift()!());
    expect(store.getState().document.nodes[1]!.config!.where).toBe('amount > 501');
    // An undo from outside the editor (its button) still replaces the text.
    act(() => view.contentDOM.blur());
    act(() => store.getState().undo());
    expect(view.state.doc.toString()).toBe('amount > 5');
  });

  it('keeps a duration typed as "5 s" as 5s, and says once, in plain words, what is wrong with one that is not', () => {
    const doc = samplePipeline();
    doc.nodes.push({
      id: 'per_minute',
      kind: 'window.aggregate',
      position: { x: 500, y: 200 },
      config: {
        window: { type: 'tumbling', size: '1m' },
        groupBy: [],
        aggregates: [{ name: 'n', fn: 'count' }],
      },
    });
    const store = testStore(doc);
    store.getState().select({ nodes: new Set(['per_minute']), edges: new Set() });
    const { container } = render(
      <EditorProvider store={store}>
        <Inspector />
      </EditorProvider>,
    );
    const size = () => container.querySelector<HTMLInputElement>('.duration-widget input')!;
    const window = () => store.getState().document.nodes[4]!.config!.window as { size: string };
    fireEvent.change(size(), { target: { value: '5 s' } });
    expect(window().size).toBe('5s');
    expect(size().value).toBe('5 s');
    fireEvent.blur(size());
    expect(size().value).toBe('5s');

    fireEvent.change(size(), { target: { value: 'soon' } });
    expect(window().size).toBe('soon');
    act(() => store.getState().setAnalysis(analyze(store.getState().document)));
    const text = container.textContent ?? '';
    const problem = "'soon' is not a duration";
    expect(text.split(problem).length - 1).toBe(1);
    expect(text).not.toContain('config.window.size');
    expect(size().getAttribute('aria-invalid')).toBe('true');
  });

  it('edits a choice generator’s values one per line, as the type of their field', () => {
    const doc = samplePipeline();
    doc.nodes[0]!.config = {
      fields: [
        { name: 'code', type: 'long', generator: { kind: 'choice', values: [1] } },
        { name: 'city', type: 'string', generator: { kind: 'choice', values: ['a'] } },
      ],
    };
    const store = testStore(doc);
    store.getState().select({ nodes: new Set(['gen']), edges: new Set() });
    render(
      <EditorProvider store={store}>
        <Inspector />
      </EditorProvider>,
    );
    const boxes = screen.getAllByRole('textbox', { name: 'Values (one per line)' });
    expect(boxes).toHaveLength(2);
    expect((boxes[0] as HTMLTextAreaElement).value).toBe('1');
    fireEvent.change(boxes[0]!, { target: { value: '1\n20\n' } });
    fireEvent.change(boxes[1]!, { target: { value: 'New York, NY\n20' } });
    const fields = store.getState().document.nodes[0]!.config!.fields as {
      generator: { values: unknown[] };
    }[];
    expect(fields[0]!.generator.values).toEqual([1, 20]);
    expect(fields[1]!.generator.values).toEqual(['New York, NY', '20']);
    // The blank line being typed stays on screen.
    expect((boxes[0] as HTMLTextAreaElement).value).toBe('1\n20\n');
  });
});
