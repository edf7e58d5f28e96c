import type { Expr, ExpressionProblem, SourceRange } from './ast.js';
import type { Lexeme } from './lexer.js';
import { type ExpressionProblemCode, MAX_EXPRESSION_DEPTH, problem } from './problem.js';

/** Thrown inside the parser to stop at the first problem; never escapes `parseExpression`. */
export class ParseStop {
  constructor(readonly problem: ExpressionProblem) {}
}

/** The parser's position in the lexemes (comments already removed) and its nesting depth. */
export class Cursor {
  private index = 0;
  private depth = 0;

  constructor(
    readonly text: string,
    private readonly lexemes: readonly Lexeme[],
    /** Parses a whole sub-expression (the lowest precedence level). */
    readonly expression: (cursor: Cursor) => Expr,
    /** Parses a sum or product: what may stand before IN in POSITION(a IN b). */
    readonly additive: (cursor: Cursor) => Expr,
  ) {}

  peek(offset = 0): Lexeme {
    const last = this.lexemes[this.lexemes.length - 1] as Lexeme;
    return this.lexemes[this.index + offset] ?? last;
  }

  next(): Lexeme {
    const lexeme = this.peek();
    if (this.index < this.lexemes.length - 1) this.index++;
    return lexeme;
  }

  isWord(word: string, offset = 0): boolean {
    const l = this.peek(offset);
    return l.kind === 'word' && l.text.toUpperCase() === word;
  }

  eatWord(word: string): Lexeme | undefined {
    return this.isWord(word) ? this.next() : undefined;
  }

  expectWord(word: string, message: string): Lexeme {
    if (this.isWord(word)) return this.next();
    return this.fail('expression.syntax', `${message} Found ${this.describe(this.peek())}.`);
  }

  isSymbol(symbol: string, offset = 0): boolean {
    const l = this.peek(offset);
    return (l.kind === 'operator' || l.kind === 'punctuation') && l.text === symbol;
  }

  eatSymbol(symbol: string): Lexeme | undefined {
    return this.isSymbol(symbol) ? this.next() : undefined;
  }

  expectSymbol(symbol: string, message: string): Lexeme {
    if (this.isSymbol(symbol)) return this.next();
    return this.fail('expression.syntax', `${message} Found ${this.describe(this.peek())}.`);
  }

  expectNumber(what: string): Lexeme {
    if (this.peek().kind === 'number') return this.next();
    return this.fail(
      'expression.syntax',
      `Expected ${what} (a number), found ${this.describe(this.peek())}.`,
    );
  }

  /** How a lexeme is named in a message. */
  describe(l: Lexeme): string {
    if (l.kind === 'end') return 'the end of the expression';
    const text = l.text.length > 30 ? `${l.text.slice(0, 29)}…` : l.text;
    return l.kind === 'string' ? `the text ${text}` : `'${text}'`;
  }

  fail(code: ExpressionProblemCode, message: string, range: SourceRange = this.peek()): never {
    throw new ParseStop(problem(code, message, range));
  }

  /** Called on every nested sub-expression, so the parser's recursion stays bounded. */
  enter(): void {
    this.depth++;
    if (this.depth > MAX_EXPRESSION_DEPTH) {
      this.fail(
        'expression.too-deep',
        `This expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep. Simplify it, or split it across several steps.`,
      );
    }
  }

  leave(): void {
    this.depth--;
  }
}

export function span(from: SourceRange, to: SourceRange): SourceRange {
  return { start: from.start, end: to.end };
}
