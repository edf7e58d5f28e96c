// CodeMirror 6 support for Sluice expressions: highlighting from the shared
// tokenizer, completion of input fields and functions, and problems from the
// shared checker underlined as you type. No grammar of our own to drift.
import {
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import { type Diagnostic as LintDiagnostic, linter } from '@codemirror/lint';
import { type Extension, RangeSetBuilder } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  type EditorView,
  ViewPlugin,
  type ViewUpdate,
} from '@codemirror/view';
import {
  checkExpression,
  EXPRESSION_FUNCTIONS,
  EXPRESSION_KEYWORDS,
  type Field,
  type FieldType,
  tokenizeExpression,
} from '@sluice/shared';

const tokenMarks = new Map(
  ['keyword', 'function', 'identifier', 'string', 'number', 'operator', 'comment', 'error'].map(
    (kind) => [kind, Decoration.mark({ class: `sx-${kind}` })],
  ),
);

/** Decorations for every token of `text`. */
export function highlight(text: string): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const token of tokenizeExpression(text)) {
    const mark = tokenMarks.get(token.kind);
    if (mark && token.range.end > token.range.start) {
      builder.add(token.range.start, token.range.end, mark);
    }
  }
  return builder.finish();
}

const highlighter = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = highlight(view.state.doc.toString());
    }
    update(update: ViewUpdate) {
      if (update.docChanged) this.decorations = highlight(update.state.doc.toString());
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

/** Completion options: the fields flowing in, then functions and keywords. */
export function completionOptions(fields: readonly Field[]): Completion[] {
  return [
    ...fields.map((f) => ({ label: f.name, type: 'variable', detail: f.type, boost: 2 })),
    ...EXPRESSION_FUNCTIONS.map((f) => ({
      label: f.name,
      type: 'function',
      detail: f.signature,
      info: `${f.description}\n\n${f.example}`,
      apply: `${f.name}(`,
    })),
    ...[...EXPRESSION_KEYWORDS].map((k) => ({ label: k, type: 'keyword', boost: -1 })),
  ];
}

function completer(getFields: () => readonly Field[]) {
  return (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/[A-Za-z_][A-Za-z0-9_]*/);
    if (!word && !context.explicit) return null;
    return {
      from: word?.from ?? context.pos,
      options: completionOptions(getFields()),
      validFor: /^[A-Za-z0-9_]*$/,
    };
  };
}

/** The checker's problems as CodeMirror diagnostics; `expected` is the type the expression must give. */
export function expressionProblems(
  text: string,
  fields: readonly Field[],
  expected?: FieldType,
): LintDiagnostic[] {
  if (text.trim() === '') return [];
  const options = expected ? { expected } : undefined;
  return checkExpression(text, fields, options).problems.map((p) => ({
    from: Math.min(p.range.start, text.length),
    to: Math.min(Math.max(p.range.end, p.range.start), text.length),
    severity: 'error',
    message: p.message,
  }));
}

/** Everything the expression editor adds to a plain CodeMirror view. */
export function expressionExtensions(
  getFields: () => readonly Field[],
  getExpected: () => FieldType | undefined = () => undefined,
): Extension[] {
  return [
    highlighter,
    autocompletion({ override: [completer(getFields)], activateOnTyping: true }),
    linter((view) => expressionProblems(view.state.doc.toString(), getFields(), getExpected()), {
      delay: 250,
    }),
  ];
}
