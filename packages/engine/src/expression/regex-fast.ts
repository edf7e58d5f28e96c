import v8 from 'node:v8';

/*
 * A fast path for RE2 patterns: where a pattern's meaning in RE2 and in
 * JavaScript's own engine are provably the same, it runs on V8's compiled
 * (backtracking) engine, about ten times faster than re2js. Linear time is
 * kept by V8 itself: with the flag below, a match that backtracks more than a
 * fixed number of times (V8's default, 50 000) is run again on V8's linear
 * (automaton) engine, so no pattern can hang the pipeline. Every fast pattern
 * is checked to be one that engine takes, or it stays on re2js.
 *
 * V8 flags are the process's: the fallback only changes how long an
 * excessively backtracking match takes anywhere in the process, never its
 * answer.
 */
v8.setFlagsFromString('--enable-experimental-regexp-engine');
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** A pattern parsed into the small subset the fast path takes. */
interface Node {
  /** JavaScript regular expression source of the same meaning. */
  source: string;
  /** Can match the empty text. */
  nullable: boolean;
  /** Holds a capturing group. */
  captures: boolean;
  /** Holds a quantifier or an alternation: repeating it could backtrack a lot. */
  branches: boolean;
}

class Unsupported extends Error {}

/** A part with no group, choice or repeat in it. */
function plain(source: string, nullable = false): Node {
  return { source, nullable, captures: false, branches: false };
}

const SPACE = '\\t\\n\\f\\r ';
/** Characters RE2 lets a backslash escape to stand for themselves. */
const PUNCTUATION = /[!-/:-@[-`{-~]/;

/** `\uXXXX`: one UTF-16 unit, written so that no character is taken for syntax. */
function unit(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 0xd800 && code <= 0xdfff) throw new Unsupported(); // outside the BMP
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

class Parser {
  private at = 0;

  constructor(private readonly p: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at < this.p.length) throw new Unsupported();
    return node;
  }

  private peek(): string | undefined {
    return this.p[this.at];
  }

  private alternation(): Node {
    const branches = [this.concatenation()];
    while (this.peek() === '|') {
      this.at++;
      branches.push(this.concatenation());
    }
    if (branches.length === 1) return branches[0] as Node;
    return {
      source: branches.map((b) => b.source).join('|'),
      nullable: branches.some((b) => b.nullable),
      captures: branches.some((b) => b.captures),
      branches: true,
    };
  }

  private concatenation(): Node {
    const parts: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      parts.push(this.quantified(this.atom()));
    }
    return {
      source: parts.map((n) => n.source).join(''),
      nullable: parts.every((n) => n.nullable),
      captures: parts.some((n) => n.captures),
      branches: parts.some((n) => n.branches),
    };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let quantifier: string;
    let min = 1;
    let max = Number.POSITIVE_INFINITY;
    if (c === '*' || c === '+' || c === '?') {
      this.at++;
      quantifier = c;
      if (c !== '+') min = 0;
      if (c === '?') max = 1;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.at));
      if (!m) throw new Unsupported(); // RE2 reads a brace that is no repeat as itself
      this.at += m[0].length;
      quantifier = m[0];
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY;
    } else {
      return atom;
    }
    if (this.peek() === '?') {
      this.at++;
      quantifier += '?';
    }
    const repeats = max > 1;
    // JavaScript and RE2 differ on what repeating an empty match means, and
    // JavaScript forgets a repeated group's capture at each new round.
    if (atom.nullable || (atom.captures && repeats)) throw new Unsupported();
    // A repeat of a choice or of a repeat is where backtracking explodes; the
    // linear fallback would bound it, but re2js is faster there.
    if (atom.branches && repeats) throw new Unsupported();
    return {
      source: `${atom.source}${quantifier}`,
      nullable: min === 0,
      captures: atom.captures,
      branches: true,
    };
  }

  private atom(): Node {
    const c = this.p[this.at++] as string;
    switch (c) {
      case '(': {
        let capture = true;
        if (this.peek() === '?') {
          if (this.p[this.at + 1] !== ':') throw new Unsupported(); // flags, named groups
          this.at += 2;
          capture = false;
        }
        const inner = this.alternation();
        if (this.p[this.at++] !== ')') throw new Unsupported();
        return {
          source: capture ? `(${inner.source})` : `(?:${inner.source})`,
          nullable: inner.nullable,
          captures: capture || inner.captures,
          branches: inner.branches,
        };
      }
      case '[':
        return plain(this.characterClass());
      case '.':
        return plain('[^\\n]'); // RE2's dot leaves out only a newline
      case '^':
      case '$':
        return plain(c, true);
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
      case ')':
        throw new Unsupported();
      default:
        return plain(unit(c));
    }
  }

  private escape(): Node {
    const c = this.p[this.at++];
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return plain(`\\${c}`); // ASCII in both
      case 'b':
      case 'B':
        return plain(`\\${c}`, true);
      case 's':
        return plain(`[${SPACE}]`);
      case 'S':
        return plain(`[^${SPACE}]`);
      default:
        return plain(this.escapedCharacter(c));
    }
  }

  /** `\t` and the like, or an escaped punctuation character, as one unit. */
  private escapedCharacter(c: string | undefined): string {
    switch (c) {
      case 't':
        return '\\t';
      case 'n':
        return '\\n';
      case 'r':
        return '\\r';
      case 'f':
        return '\\f';
      case 'v':
        return '\\v';
      default:
        if (c !== undefined && PUNCTUATION.test(c)) return unit(c);
        throw new Unsupported();
    }
  }

  private characterClass(): string {
    let source = '[';
    if (this.peek() === '^') {
      this.at++;
      source += '^';
    }
    if (this.peek() === ']') throw new Unsupported(); // a leading `]` is itself in RE2 only
    for (;;) {
      const c = this.p[this.at++];
      if (c === undefined || c === '[') throw new Unsupported();
      if (c === ']') return `${source}]`;
      if (c === '\\') {
        const e = this.p[this.at];
        if (e === 'd' || e === 'w') {
          this.at++;
          source += `\\${e}`;
          continue;
        }
        if (e === 's') {
          this.at++;
          source += SPACE;
          continue;
        }
      }
      const low = this.classCharacter(c);
      if (this.peek() === '-' && this.p[this.at + 1] !== ']') {
        this.at++;
        const d = this.p[this.at++];
        if (d === undefined || d === '[' || (d === '\\' && /[dDwWsS]/.test(this.peek() ?? ''))) {
          throw new Unsupported();
        }
        source += `${low}-${this.classCharacter(d)}`;
      } else {
        source += low;
      }
    }
  }

  private classCharacter(c: string): string {
    if (c !== '\\') return unit(c);
    return this.escapedCharacter(this.p[this.at++]);
  }
}

/**
 * A JavaScript regular expression that matches exactly as RE2 does on text
 * without surrogates (characters beyond the BMP), and that V8's linear engine
 * can run; or null where the two could differ. `pattern` has compiled in RE2.
 */
export function fastRegex(pattern: string): RegExp | null {
  let source: string;
  try {
    source = new Parser(pattern).parse().source;
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
  try {
    new RegExp(source, 'l'); // the linear engine takes it: the fallback holds
  } catch {
    return null;
  }
  return new RegExp(source);
}

const SURROGATE = /[\ud800-\udfff]/;

/** Text the fast path reads as RE2 does: it holds no surrogates. */
export function fastText(x: string): boolean {
  return !SURROGATE.test(x);
}
