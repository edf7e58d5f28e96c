import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { fastRegex, fastText } from './regex-fast.js';

/** What RE2 answers: whether it matches, and the first match's groups. */
function re2Answer(pattern: string, text: string): (string | null)[] | null {
  const re = RE2JS.compile(pattern);
  const m = re.matcher(text);
  if (!m.find()) return null;
  return Array.from({ length: re.groupCount() + 1 }, (_, g) => m.group(g));
}

function fastAnswer(re: RegExp, text: string): (string | null)[] | null {
  const m = re.exec(text);
  return m === null ? null : Array.from(m, (g) => g ?? null);
}

/** Patterns built from RE2's syntax, most of them in the fast subset, some not. */
const pattern = fc.letrec<{ re: string; atom: string }>((tie) => ({
  atom: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a', 'b', '&', '=', '.', '\\d', '\\w', '\\s', '\\S', '\\W', '\\D', '\\b'),
    fc.constantFrom('[ab]', '[^&]', '[a-c\\d]', '[^\\s=]', '[-a]', '\\.', '\\n', '^', '$', 'é'),
    tie('re').map((r) => `(${r})`),
    tie('re').map((r) => `(?:${r})`),
  ),
  re: fc.oneof(
    { depthSize: 'small' },
    tie('atom'),
    fc
      .tuple(
        tie('atom'),
        fc.constantFrom('*', '+', '?', '*?', '+?', '??', '{2}', '{1,3}', '{0,1}', '{2,}'),
      )
      .map(([a, q]) => `${a}${q}`),
    fc.array(tie('atom'), { minLength: 2, maxLength: 4 }).map((parts) => parts.join('')),
    fc.tuple(tie('re'), tie('re')).map(([x, y]) => `${x}|${y}`),
  ),
})).re;

const text = fc
  .array(fc.constantFrom('a', 'b', '&', '=', ' ', '\n', '\r', '1', '_', '.', 'é', '\t', '\u2028'), {
    maxLength: 12,
  })
  .map((cs) => cs.join(''));

function compiles(p: string): boolean {
  try {
    RE2JS.compile(p);
    return true;
  } catch {
    return false;
  }
}

describe('the fast path for RE2 patterns', () => {
  it('finds the same first match and groups as RE2 on every pattern it takes', () => {
    let taken = 0;
    fc.assert(
      fc.property(
        pattern.filter(compiles),
        fc.array(text, { minLength: 1, maxLength: 5 }),
        (p, texts) => {
          const fast = fastRegex(p);
          if (fast === null) return;
          taken++;
          for (const t of texts)
            expect(fastAnswer(fast, t), `${p} on ${JSON.stringify(t)}`).toEqual(re2Answer(p, t));
        },
      ),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(1000); // the subset is most of what people write
  });

  it('takes the patterns of the examples and the common ones', () => {
    for (const p of [
      '(&|^)channel_id=([^&]*)',
      '[0-9]+',
      '^[a-z]+@[a-z]+\\.com$',
      'order-(\\d+)',
      'a.c',
      '(\\w+) (\\w+)',
    ]) {
      expect(fastRegex(p), p).not.toBeNull();
    }
  });

  it('leaves to RE2 what JavaScript reads otherwise', () => {
    for (const p of [
      '(?i)abc', // flags
      '(?P<n>a)', // named groups
      '\\pL', // Unicode classes
      '[[:alpha:]]', // POSIX classes
      '[]a]', // a leading bracket is a character in RE2
      'a{,2}', // a brace that is no repeat is itself in RE2
      '(a)*', // JavaScript forgets a repeated capture
      '(?:a*)*', // repeating what can be empty
      '(?:a|b)+', // a repeated choice: re2js is faster where this backtracks
      '\\x41', // escapes other than the common ones
      '😀', // beyond the BMP
      '\\Qa.b\\E', // quoting
      '\\z', // end of text
    ]) {
      expect(fastRegex(p), p).toBeNull();
    }
  });

  it('reads . as RE2 does: everything but a newline', () => {
    const re = fastRegex('a.b') as RegExp;
    expect(re.test('a\rb')).toBe(true);
    expect(re.test('a\u2028b')).toBe(true);
    expect(re.test('a\nb')).toBe(false);
  });

  it('sends text with characters beyond the BMP to RE2', () => {
    expect(fastText('plain é text')).toBe(true);
    expect(fastText('emoji 😀')).toBe(false);
    expect(fastText('lone \ud800')).toBe(false);
  });

  it('keeps matching in bounded time where backtracking would explode', () => {
    // Written straight to V8: the fast path itself refuses this pattern. With
    // the fallback to the linear engine the match ends; without it, it would
    // take longer than the age of the universe.
    fastRegex('a'); // loads the module's flags
    const evil = /(a*)*b/;
    expect(evil.test('a'.repeat(64))).toBe(false);
  });
});
