/**
 * Splits expression text into lexemes. Shared by the parser and the syntax
 * highlighter, so both see the same words. Never throws: anything it cannot
 * read becomes an `error` lexeme with a message for the analyst.
 */

export type LexemeKind =
  | 'word'
  | 'quoted'
  | 'string'
  | 'number'
  | 'operator'
  | 'punctuation'
  | 'comment'
  | 'error'
  | 'end';

export interface Lexeme {
  readonly kind: LexemeKind;
  readonly start: number;
  readonly end: number;
  /** The source text of the lexeme. */
  readonly text: string;
  /** Decoded content of a 'string' or 'quoted' lexeme; for 'error', the message. */
  readonly value: string;
}

const OPERATORS = ['<>', '!=', '<=', '>=', '||', '=', '<', '>', '+', '-', '*', '/', '%'];

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isWordStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
}

function isWordPart(c: string | undefined): boolean {
  return isWordStart(c) || isDigit(c);
}

/** Reads a quoted run that starts at `start` with `quote`; a doubled quote stands for one. */
function readQuoted(
  text: string,
  start: number,
  quote: string,
): { end: number; value: string; closed: boolean } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const next = text.indexOf(quote, i);
    if (next < 0) break;
    value += text.slice(i, next);
    if (text[next + 1] === quote) {
      value += quote;
      i = next + 2;
    } else {
      return { end: next + 1, value, closed: true };
    }
  }
  return { end: text.length, value: value + text.slice(i), closed: false };
}

function readNumber(text: string, start: number): number {
  let i = start;
  while (isDigit(text[i])) i++;
  if (text[i] === '.') {
    i++;
    while (isDigit(text[i])) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j++;
    if (isDigit(text[j])) {
      while (isDigit(text[j])) j++;
      i = j;
    }
  }
  return i;
}

export function lex(text: string): Lexeme[] {
  const out: Lexeme[] = [];
  const push = (kind: LexemeKind, start: number, end: number, value = '') =>
    out.push({ kind, start, end, text: text.slice(start, end), value });
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
    } else if (c === '-' && next === '-') {
      let end = text.indexOf('\n', i);
      if (end < 0) end = text.length;
      push('comment', i, end);
      i = end;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        push('error', i, text.length, 'This comment is not closed: add */ at its end.');
        i = text.length;
      } else {
        push('comment', i, close + 2);
        i = close + 2;
      }
    } else if (c === "'") {
      const q = readQuoted(text, i, "'");
      if (q.closed) push('string', i, q.end, q.value);
      else push('error', i, q.end, "This text is missing its closing quote ': add ' at its end.");
      i = q.end;
    } else if (c === '`') {
      const q = readQuoted(text, i, '`');
      if (q.closed) push('quoted', i, q.end, q.value);
      else push('error', i, q.end, 'This field name is missing its closing backtick `.');
      i = q.end;
    } else if (c === '"') {
      const q = readQuoted(text, i, '"');
      push(
        'error',
        i,
        q.end,
        `Double quotes are not used here: write text in single quotes ('${q.value}') or a field name in backticks (\`${q.value}\`).`,
      );
      i = q.end;
    } else if (isDigit(c) || (c === '.' && isDigit(next))) {
      const end = readNumber(text, i);
      push('number', i, end);
      i = end;
    } else if (isWordStart(c)) {
      let end = i + 1;
      while (isWordPart(text[end])) end++;
      push('word', i, end);
      i = end;
    } else if (c === '(' || c === ')' || c === ',') {
      push('punctuation', i, i + 1);
      i++;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op) {
        push('operator', i, i + op.length);
        i += op.length;
      } else {
        const width = (c.codePointAt(0) ?? 0) > 0xffff ? 2 : 1;
        const ch = text.slice(i, i + width);
        const hint =
          ch === ';'
            ? ' An expression is a single formula: remove the ;.'
            : ch === '.'
              ? ' Field names cannot contain a dot here.'
              : '';
        push('error', i, i + width, `Unexpected character '${ch}'.${hint}`);
        i += width;
      }
    }
  }
  push('end', text.length, text.length);
  return out;
}
