import type { SourceRange } from './ast.js';
import { CAST_TYPE_NAMES, RESERVED_KEYWORDS } from './keywords.js';
import { type Lexeme, lex } from './lexer.js';

export interface ExpressionToken {
  readonly kind:
    | 'keyword'
    | 'function'
    | 'identifier'
    | 'string'
    | 'number'
    | 'operator'
    | 'punctuation'
    | 'comment'
    | 'error';
  readonly range: SourceRange;
}

/** Tokens for syntax highlighting in the editor (whitespace omitted). Never throws. */
export function tokenizeExpression(text: string): ExpressionToken[] {
  if (typeof text !== 'string') return [];
  try {
    const lexemes = lex(text).filter((l) => l.kind !== 'end');
    const code = lexemes.filter((l) => l.kind !== 'comment');
    const position = new Map(code.map((l, i) => [l, i]));
    return lexemes.map((l) => {
      const range = { start: l.start, end: l.end };
      const i = position.get(l) ?? -1;
      return { kind: tokenKind(l, code[i - 1], code[i + 1], code[i - 2]), range };
    });
  } catch {
    return [];
  }
}

function isWord(l: Lexeme | undefined, word: string): boolean {
  return l?.kind === 'word' && l.text.toUpperCase() === word;
}

function tokenKind(
  l: Lexeme,
  before: Lexeme | undefined,
  after: Lexeme | undefined,
  twoBefore: Lexeme | undefined,
): ExpressionToken['kind'] {
  switch (l.kind) {
    case 'word': {
      const word = l.text.toUpperCase();
      if (RESERVED_KEYWORDS.has(word)) return 'keyword';
      if (after?.kind === 'punctuation' && after.text === '(' && !isWord(before, 'AS'))
        return 'function';
      if (isWord(before, 'AS') && word in CAST_TYPE_NAMES) return 'keyword';
      if (word === 'TIMESTAMP' && after?.kind === 'string') return 'keyword';
      if (
        (word === 'BOTH' || word === 'LEADING' || word === 'TRAILING') &&
        before?.text === '(' &&
        isWord(twoBefore, 'TRIM')
      ) {
        return 'keyword';
      }
      return 'identifier';
    }
    case 'quoted':
      return 'identifier';
    case 'string':
    case 'number':
    case 'operator':
    case 'punctuation':
    case 'comment':
    case 'error':
      return l.kind;
    case 'end':
      return 'punctuation';
  }
}
