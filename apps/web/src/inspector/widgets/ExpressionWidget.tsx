// The 'expression' widget: a one-field CodeMirror editor with Sluice
// highlighting, completion of the fields flowing in, and problems underlined.
import { closeBrackets } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { forceLinting } from '@codemirror/lint';
import { Annotation, EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import type { WidgetProps } from '@rjsf/utils';
import type { Field, FieldType } from '@sluice/shared';
import { useEffect, useRef } from 'react';
import { expressionExtensions } from '../../expression/editor.js';
import { afterPaint, cancelAfterPaint, flushAfterPaint } from '../after-paint.js';
import { useExpectedType, useInputFields } from './use-input-fields.js';

/** Marks a change put in from the form (undo, another node), which is not passed back. */
const outside = Annotation.define<boolean>();

export function ExpressionWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, label, disabled, readonly, schema } = props;
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const fields = useInputFields(props);
  const fieldsRef = useRef<readonly Field[]>(fields);
  fieldsRef.current = fields;
  const expected = useExpectedType(props);
  const expectedRef = useRef<FieldType | undefined>(expected);
  expectedRef.current = expected;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const text = typeof value === 'string' ? value : '';
  /** The texts passed on to the form since the editor last lost focus. */
  const sent = useRef(new Set<string>());

  // The editor is made once per field; later values arrive through the effect below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: made once per field, see above
  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: text,
        extensions: [
          history(),
          closeBrackets(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          EditorView.lineWrapping,
          placeholder(schema.description ?? ''),
          EditorView.contentAttributes.of({ 'aria-label': label, id: `${id}-editor` }),
          EditorView.editable.of(!disabled && !readonly),
          // The key is on screen first; the form and the document hear of it once that frame is painted.
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((t) => t.annotation(outside))) {
              const { doc } = update.state;
              afterPaint(update.view, () => {
                const typed = doc.toString();
                sent.current.add(typed);
                onChangeRef.current(typed);
              });
            }
            if (update.focusChanged && !update.view.hasFocus) {
              onBlur(id, update.state.doc.toString());
              // Nothing typed is on its way any more: the next text from the form is its own.
              sent.current.clear();
            }
          }),
          // Leaving the editor (a click on a button or another step) passes the text on at once.
          EditorView.domEventHandlers({ blur: (_event, view) => flushAfterPaint(view) }),
          ...expressionExtensions(
            () => fieldsRef.current,
            () => expectedRef.current,
          ),
        ],
      }),
    });
    view.current = editor;
    return () => {
      flushAfterPaint(editor);
      editor.destroy();
      view.current = null;
    };
  }, [id]);

  // An outside change (undo, another node) replaces the text. A text this
  // editor passed on while typing, coming back from the form (late, keys typed
  // since may be on their way), is none.
  useEffect(() => {
    const editor = view.current;
    if (!editor || sent.current.has(text)) return;
    sent.current.clear();
    cancelAfterPaint(editor);
    if (editor.state.doc.toString() !== text) {
      editor.dispatch({
        changes: { from: 0, to: editor.state.doc.length, insert: text },
        annotations: outside.of(true),
      });
    }
  }, [text]);

  // New fields or a new expected type can change what is wrong with the same text.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the refs carry them to the linter
  useEffect(() => {
    if (view.current) forceLinting(view.current);
  }, [fields, expected]);

  return <div className="expression-editor" ref={host} data-testid={id} />;
}
