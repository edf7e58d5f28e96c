import { type LikePart, type LikePattern, parseLikePattern } from '@sluice/shared';
import { ExpressionError, showValue } from './error.js';

/**
 * Matches a LIKE pattern without backtracking: the parts between `%` are
 * found left to right, each at its leftmost place, which is correct for `%`
 * and takes time linear in the input for a given pattern.
 */
export type LikeMatcher = (input: string) => boolean;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Where the part ends when it starts at `i`, or -1. `_` takes one character (code point). */
function matchAt(s: string, i: number, part: LikePart): number {
  let at = i;
  for (const piece of part) {
    if (typeof piece === 'string') {
      if (!s.startsWith(piece, at)) return -1;
      at += piece.length;
    } else {
      for (let n = 0; n < piece; n++) {
        if (at >= s.length) return -1;
        at += isHighSurrogate(s.charCodeAt(at)) && at + 1 < s.length ? 2 : 1;
      }
    }
  }
  return at;
}

/** Where the part starts when it ends at `end`, or -1. */
function matchBefore(s: string, end: number, part: LikePart): number {
  let at = end;
  for (let k = part.length - 1; k >= 0; k--) {
    const piece = part[k] as string | number;
    if (typeof piece === 'string') {
      if (at - piece.length < 0 || !s.startsWith(piece, at - piece.length)) return -1;
      at -= piece.length;
    } else {
      for (let n = 0; n < piece; n++) {
        if (at <= 0) return -1;
        const low = s.charCodeAt(at - 1);
        at -=
          low >= 0xdc00 && low <= 0xdfff && at >= 2 && isHighSurrogate(s.charCodeAt(at - 2))
            ? 2
            : 1;
      }
    }
  }
  return at;
}

/** The end of the leftmost occurrence of `part` at or after `from`, or -1. */
function find(s: string, from: number, part: LikePart): number {
  const first = part[0];
  if (part.length === 1 && typeof first === 'string') {
    const i = s.indexOf(first, from);
    return i < 0 ? -1 : i + first.length;
  }
  for (let i = from; i <= s.length; i++) {
    const end = matchAt(s, i, part);
    if (end >= 0) return end;
  }
  return -1;
}

export function likeMatcher(pattern: LikePattern): LikeMatcher {
  const parts = pattern.parts;
  const first = parts[0] ?? [];
  if (parts.length === 1) return (s) => matchAt(s, 0, first) === s.length;
  const last = parts[parts.length - 1] ?? [];
  const middle = parts.slice(1, -1).filter((p) => p.length > 0);
  return (s) => {
    let at = matchAt(s, 0, first);
    if (at < 0) return false;
    for (const part of middle) {
      at = find(s, at, part);
      if (at < 0) return false;
    }
    const start = matchBefore(s, s.length, last);
    return start >= at;
  };
}

/** Reads a pattern and builds its matcher; a pattern that is not valid fails the record. */
export function compileLike(pattern: string, escapeChar: string | undefined): LikeMatcher {
  const parsed = parseLikePattern(pattern, escapeChar);
  if (typeof parsed === 'string') {
    throw new ExpressionError(
      'invalid-argument',
      `the LIKE pattern ${showValue(pattern)} is not valid: ${parsed}`,
    );
  }
  return likeMatcher(parsed);
}
