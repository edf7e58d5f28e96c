import type { FieldType } from '../schema/field.js';
import type { Expr, SourceRange } from './ast.js';
import { type Cursor, span } from './cursor.js';
import { parseSqlTimestamp } from './datetime.js';
import { CAST_TYPE_NAMES, RESERVED_KEYWORDS } from './keywords.js';
import type { Lexeme } from './lexer.js';

/** Literals, field references, parentheses, CASE, CAST and function calls. */
export function parsePrimary(c: Cursor): Expr {
  const l = c.peek();
  switch (l.kind) {
    case 'number':
      c.next();
      return numberLiteral(c, l);
    case 'string':
      c.next();
      return { kind: 'literal', value: l.value, valueType: 'string', range: range(l) };
    case 'quoted':
      c.next();
      return { kind: 'field', name: l.value, quoted: true, range: range(l) };
    case 'punctuation':
      if (l.text === '(') {
        c.next();
        const inner = c.expression(c);
        c.expectSymbol(')', `The ( at position ${l.start + 1} is missing its closing ).`);
        return inner;
      }
      break;
    case 'word':
      return parseWord(c, l);
  }
  return c.fail(
    'expression.syntax',
    `Expected a value here (a field, a number, 'text' or a function call), but found ${c.describe(l)}.`,
  );
}

function range(l: SourceRange): SourceRange {
  return { start: l.start, end: l.end };
}

function numberLiteral(c: Cursor, l: Lexeme): Expr {
  const value = Number(l.text);
  const isDouble = /[.eE]/.test(l.text);
  if (isDouble && !Number.isFinite(value)) {
    c.fail('expression.invalid-literal', `The number ${l.text} is too large.`, l);
  }
  if (!isDouble && !Number.isSafeInteger(value)) {
    c.fail(
      'expression.invalid-literal',
      `The whole number ${l.text} is too large for a long (at most ${Number.MAX_SAFE_INTEGER}). Write it with a decimal point (${l.text}.0) to make it a double.`,
      l,
    );
  }
  return { kind: 'literal', value, valueType: isDouble ? 'double' : 'long', range: range(l) };
}

function parseWord(c: Cursor, l: Lexeme): Expr {
  const word = l.text.toUpperCase();
  if (word === 'TRUE' || word === 'FALSE') {
    c.next();
    return { kind: 'literal', value: word === 'TRUE', valueType: 'boolean', range: range(l) };
  }
  if (word === 'NULL') {
    c.next();
    return { kind: 'literal', value: null, valueType: 'null', range: range(l) };
  }
  if (word === 'CASE') return parseCase(c);
  if (word === 'CAST' || word === 'TRY_CAST') return parseCast(c);
  const after = c.peek(1);
  if (word === 'TIMESTAMP' && after.kind === 'string') {
    c.next();
    c.next();
    const value = parseSqlTimestamp(after.value);
    if (value === undefined) {
      c.fail(
        'expression.invalid-literal',
        `'${after.value}' is not a valid timestamp. Write it as TIMESTAMP 'yyyy-MM-dd HH:mm:ss' (optionally with .SSS), e.g. TIMESTAMP '2024-01-31 13:45:00'.`,
        after,
      );
    }
    return { kind: 'literal', value, valueType: 'timestamp', range: span(l, after) };
  }
  if (c.isSymbol('(', 1)) return parseCall(c);
  if (RESERVED_KEYWORDS.has(word)) {
    c.fail(
      'expression.syntax',
      `Expected a value here, but found the keyword ${word}. If '${l.text}' is a field, write it in backticks: \`${l.text}\`.`,
    );
  }
  c.next();
  return { kind: 'field', name: l.text, quoted: false, range: range(l) };
}

function parseCase(c: Cursor): Expr {
  const start = c.next();
  c.enter();
  const subject = c.isWord('WHEN') || c.isWord('END') ? undefined : c.expression(c);
  const branches: { when: Expr; result: Expr }[] = [];
  while (c.eatWord('WHEN')) {
    const when = c.expression(c);
    c.expectWord('THEN', 'Each WHEN needs a THEN: CASE WHEN condition THEN value ... END.');
    branches.push({ when, result: c.expression(c) });
  }
  if (branches.length === 0) {
    c.fail(
      'expression.syntax',
      `CASE needs at least one WHEN ... THEN ...; found ${c.describe(c.peek())}.`,
    );
  }
  const otherwise = c.eatWord('ELSE') ? c.expression(c) : undefined;
  const end = c.expectWord('END', 'CASE must finish with END.');
  c.leave();
  return {
    kind: 'case',
    ...(subject ? { subject } : {}),
    branches,
    ...(otherwise ? { otherwise } : {}),
    range: span(start, end),
  };
}

const CAST_TYPE_LIST = 'STRING, BIGINT, INT, DOUBLE, DECIMAL, BOOLEAN or TIMESTAMP';

function parseCast(c: Cursor): Expr {
  const start = c.next();
  const safe = start.text.toUpperCase() === 'TRY_CAST';
  const name = safe ? 'TRY_CAST' : 'CAST';
  c.expectSymbol('(', `${name} is written ${name}(value AS type).`);
  c.enter();
  const operand = c.expression(c);
  c.expectWord('AS', `${name} is written ${name}(value AS type): AS is missing.`);
  const typeWord = c.peek();
  const target: FieldType | undefined =
    typeWord.kind === 'word' ? CAST_TYPE_NAMES[typeWord.text.toUpperCase()] : undefined;
  if (!target) {
    const hint = /^(DATE|TIME)$/i.test(typeWord.text) ? ' Dates and times are TIMESTAMP here.' : '';
    c.fail(
      'expression.invalid-cast',
      `${c.describe(typeWord)} is not a type ${name} knows. Use ${CAST_TYPE_LIST}.${hint}`,
    );
  }
  c.next();
  let targetEnd: SourceRange = typeWord;
  // Lengths and precisions (VARCHAR(20), DECIMAL(10, 2), TIMESTAMP(3)) are accepted and ignored.
  if (c.eatSymbol('(')) {
    c.expectNumber('a length or precision');
    if (c.eatSymbol(',')) c.expectNumber('a scale');
    targetEnd = c.expectSymbol(')', 'The type size is missing its closing ).');
  }
  const close = c.expectSymbol(')', `${name}( is missing its closing ).`);
  c.leave();
  return {
    kind: 'cast',
    safe,
    operand,
    target,
    targetRange: span(typeWord, targetEnd),
    range: span(start, close),
  };
}

function parseArgs(c: Cursor, args: Expr[]): void {
  if (c.isSymbol(')')) return;
  args.push(c.expression(c));
  while (c.eatSymbol(',')) args.push(c.expression(c));
}

function parseCall(c: Cursor): Expr {
  const nameLexeme = c.next();
  const open = c.next();
  let name = nameLexeme.text.toUpperCase();
  const args: Expr[] = [];
  c.enter();
  if (name === 'SUBSTRING' || name === 'SUBSTR') {
    args.push(c.expression(c));
    if (c.eatWord('FROM')) {
      args.push(c.expression(c));
      if (c.eatWord('FOR')) args.push(c.expression(c));
    } else if (c.eatSymbol(',')) parseArgs(c, args);
  } else if (name === 'POSITION' && !c.isSymbol(')')) {
    args.push(c.additive(c));
    c.expectWord('IN', 'POSITION is written POSITION(part IN text).');
    args.push(c.expression(c));
  } else if (name === 'TRIM' && !c.isSymbol(')')) {
    name = parseTrim(c, args);
  } else {
    parseArgs(c, args);
  }
  const close = c.expectSymbol(
    ')',
    `${nameLexeme.text}( at position ${open.start} is missing its closing ). Separate arguments with commas.`,
  );
  c.leave();
  return { kind: 'call', name, nameRange: range(nameLexeme), args, range: span(nameLexeme, close) };
}

/**
 * TRIM(s), TRIM([BOTH | LEADING | TRAILING] [chars] FROM s). The result is a
 * call to TRIM, LTRIM or RTRIM with arguments (s [, chars]).
 */
function parseTrim(c: Cursor, args: Expr[]): string {
  const mode = ['BOTH', 'LEADING', 'TRAILING'].find((w) => c.isWord(w));
  const modeTakesEffect =
    mode && !c.isSymbol(')', 1) && !c.isSymbol(',', 1) && c.peek(1).kind !== 'operator';
  const name = !modeTakesEffect
    ? 'TRIM'
    : mode === 'LEADING'
      ? 'LTRIM'
      : mode === 'TRAILING'
        ? 'RTRIM'
        : 'TRIM';
  if (modeTakesEffect) {
    c.next();
    const chars = c.isWord('FROM') ? undefined : c.expression(c);
    c.expectWord('FROM', `TRIM(${mode} ...) is written TRIM(${mode} 'chars' FROM text).`);
    args.push(c.expression(c));
    if (chars) args.push(chars);
    return name;
  }
  const first = c.expression(c);
  if (c.eatWord('FROM')) {
    args.push(c.expression(c), first);
  } else {
    args.push(first);
    while (c.eatSymbol(',')) args.push(c.expression(c));
  }
  return name;
}
