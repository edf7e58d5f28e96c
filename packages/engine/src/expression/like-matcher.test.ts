import { parseLikePattern } from '@sluice/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLike, likeMatcher } from './like-matcher.js';

/** A reference matcher through a JavaScript RegExp (fine for the short strings of a test). */
function reference(pattern: string, input: string): boolean {
  const source = [...pattern]
    .map((c) =>
      c === '%' ? '[\\s\\S]*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, 'su').test(input);
}

describe('LIKE matcher', () => {
  it('agrees with a regular-expression reference on random patterns and inputs', () => {
    const chars = fc.constantFrom('a', 'b', '%', '_', '😀', '.');
    const text = fc.constantFrom('a', 'b', '😀', '.');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 8 }), fc.array(text, { maxLength: 12 }), (p, s) => {
        const pattern = p.join('');
        const input = s.join('');
        const parsed = parseLikePattern(pattern);
        if (typeof parsed === 'string') throw new Error(parsed);
        expect(likeMatcher(parsed)(input)).toBe(reference(pattern, input));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes linear time on a pattern that makes backtracking matchers explode', () => {
    const match = compileLike(`${'%a'.repeat(30)}%b`, undefined);
    const input = 'a'.repeat(100_000);
    const started = performance.now();
    expect(match(input)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('treats escaped wildcards literally', () => {
    const match = compileLike('5!%_', '!');
    expect(match('5%x')).toBe(true);
    expect(match('55x')).toBe(false);
  });
});
