/**
 * LIKE patterns: `%` matches any run of characters, `_` exactly one; an
 * optional ESCAPE character makes the next `%`, `_` or itself literal. A
 * pattern is read once into parts separated by `%`, which a matcher can test
 * in time linear in the input (no backtracking).
 */

/** Literal text, or a number of `_` wildcards. */
export type LikePiece = string | number;
/** The pieces between two `%`. */
export type LikePart = readonly LikePiece[];

export interface LikePattern {
  /** At least one part; more than one means the pattern had `%` between them. */
  readonly parts: readonly LikePart[];
}

/** Reads a LIKE pattern, or returns a message saying what is wrong with it. */
export function parseLikePattern(pattern: string, escapeChar?: string): LikePattern | string {
  if (escapeChar !== undefined && [...escapeChar].length !== 1) {
    return `the ESCAPE character must be exactly one character, not '${escapeChar}'`;
  }
  const parts: LikePiece[][] = [];
  let pieces: LikePiece[] = [];
  let text = '';
  const flushText = () => {
    if (text) pieces.push(text);
    text = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (escapeChar !== undefined && pattern.startsWith(escapeChar, i)) {
      const next = pattern.slice(i + escapeChar.length, i + escapeChar.length + 1);
      if (next === '%' || next === '_' || pattern.startsWith(escapeChar, i + escapeChar.length)) {
        text += next === '%' || next === '_' ? next : escapeChar;
        i += escapeChar.length + (next === '%' || next === '_' ? 1 : escapeChar.length) - 1;
        continue;
      }
      return `the escape character '${escapeChar}' at position ${i + 1} must be followed by %, _ or another '${escapeChar}'`;
    }
    if (c === '%') {
      flushText();
      parts.push(pieces);
      pieces = [];
    } else if (c === '_') {
      flushText();
      const last = pieces[pieces.length - 1];
      if (typeof last === 'number') pieces[pieces.length - 1] = last + 1;
      else pieces.push(1);
    } else {
      text += c;
    }
  }
  flushText();
  parts.push(pieces);
  return { parts };
}
