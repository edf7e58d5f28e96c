import { ExpressionError } from './error.js';
import { checkTextLength, MAX_TEXT_LENGTH } from './limits.js';
import { argOr, strict1, strict2, strict3 } from './strict.js';
import { charLength, charOffset, charSlice, type Evaluator } from './values.js';

type Builder = (args: readonly Evaluator[]) => Evaluator;

function trimmer(leading: boolean, trailing: boolean): Builder {
  return (args) =>
    strict2(args[0] as Evaluator, argOr(args, 1, ' '), (s: string, chars: string) => {
      let start = 0;
      let end = s.length;
      if (leading) while (start < end && chars.includes(s[start] as string)) start++;
      if (trailing) while (end > start && chars.includes(s[end - 1] as string)) end--;
      return s.slice(start, end);
    });
}

/** SUBSTRING positions: 1 is the first character, 0 counts as 1, negative counts from the end. */
function substring(s: string, position: number, length: number | undefined): string {
  if (length !== undefined && length < 0) {
    throw new ExpressionError(
      'invalid-argument',
      `SUBSTRING length cannot be negative (${length})`,
    );
  }
  const n = charLength(s);
  const start = position > 0 ? position - 1 : position < 0 ? n + position : 0;
  const end = length === undefined ? n : start + length;
  return charSlice(s, Math.max(0, start), Math.min(n, end));
}

function pad(left: boolean): Builder {
  return (args) =>
    strict3(
      args[0] as Evaluator,
      args[1] as Evaluator,
      args[2] as Evaluator,
      (s: string, length: number, filler: string) => {
        const name = left ? 'LPAD' : 'RPAD';
        if (length < 0) {
          throw new ExpressionError(
            'invalid-argument',
            `${name} length cannot be negative (${length})`,
          );
        }
        // Characters may take two code units each: bound the code units the result can have.
        if (length > MAX_TEXT_LENGTH) checkTextLength(name, length);
        const n = charLength(s);
        if (n >= length) return charSlice(s, 0, length);
        if (filler === '')
          throw new ExpressionError('invalid-argument', `${name} cannot pad with empty text`);
        const need = length - n;
        const times = Math.ceil(need / charLength(filler));
        checkTextLength(name, s.length + times * filler.length);
        const padding = charSlice(filler.repeat(times), 0, need);
        return left ? padding + s : s + padding;
      },
    );
}

/** 1-based character position of `part` in `s` searching from character `from` (0-based), or 0. */
function locate(part: string, s: string, from: number): number {
  const offset = charOffset(s, from);
  if (from > 0 && offset >= s.length && part !== '') return 0;
  const i = s.indexOf(part, offset);
  return i < 0 ? 0 : charLength(s.slice(0, i)) + 1;
}

export const TEXT_FUNCTIONS: Readonly<Record<string, Builder>> = {
  UPPER: ([s]) => strict1(s as Evaluator, (x: string) => x.toUpperCase()),
  LOWER: ([s]) => strict1(s as Evaluator, (x: string) => x.toLowerCase()),
  TRIM: trimmer(true, true),
  LTRIM: trimmer(true, false),
  RTRIM: trimmer(false, true),
  CHAR_LENGTH: ([s]) => strict1(s as Evaluator, charLength),
  SUBSTRING: (args) => {
    const [s, position, length] = args as [Evaluator, Evaluator, Evaluator | undefined];
    if (!length) return strict2(s, position, (x: string, p: number) => substring(x, p, undefined));
    return strict3(s, position, length, substring);
  },
  CONCAT: (args) => (r) => {
    let out = '';
    for (const arg of args) {
      const v = arg(r);
      if (v === null) return null;
      checkTextLength('CONCAT', out.length + (v as string).length);
      out += v as string;
    }
    return out;
  },
  REPLACE: ([s, search, replacement]) =>
    strict3(
      s as Evaluator,
      search as Evaluator,
      replacement as Evaluator,
      (x: string, f: string, t: string) => {
        if (f === '') return x;
        if (t.length > f.length) {
          checkTextLength('REPLACE', x.length + occurrences(x, f) * (t.length - f.length));
        }
        return x.replaceAll(f, () => t);
      },
    ),
  SPLIT_INDEX: ([s, separator, index]) =>
    strict3(s as Evaluator, separator as Evaluator, index as Evaluator, splitIndex),
  LPAD: pad(true),
  RPAD: pad(false),
  POSITION: ([part, s]) =>
    strict2(part as Evaluator, s as Evaluator, (p: string, x: string) => locate(p, x, 0)),
  LOCATE: (args) => {
    const [part, s, start] = args as [Evaluator, Evaluator, Evaluator | undefined];
    if (!start) return strict2(part, s, (p: string, x: string) => locate(p, x, 0));
    return strict3(part, s, start, (p: string, x: string, from: number) =>
      from < 1 ? 0 : locate(p, x, from - 1),
    );
  },
};

/** How many times `part` (not empty) occurs in `s`, without overlapping, as replaceAll counts. */
function occurrences(s: string, part: string): number {
  let n = 0;
  for (let at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + part.length)) n++;
  return n;
}

/** `x.split(sep)[i]`, without building the parts before and after the one asked for. */
function splitIndex(x: string, sep: string, i: number): string | null {
  if (i < 0 || x === '') return null;
  if (sep === '') return i === 0 ? x : null;
  let start = 0;
  for (let part = 0; part < i; part++) {
    const at = x.indexOf(sep, start);
    if (at < 0) return null;
    start = at + sep.length;
  }
  const end = x.indexOf(sep, start);
  return end < 0 ? x.slice(start) : x.slice(start, end);
}
