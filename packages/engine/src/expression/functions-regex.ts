import type { TypedExpr } from '@sluice/shared';
import { RE2JS } from 're2js';
import { BoundedCache } from './bounded-cache.js';
import { ExpressionError, showValue } from './error.js';
import { checkTextLength, MAX_TEXT_LENGTH } from './limits.js';
import { fastRegex, fastText } from './regex-fast.js';
import { argOr, strict2, strict3 } from './strict.js';
import type { Evaluator } from './values.js';

type Builder = (
  args: readonly Evaluator[],
  node: Extract<TypedExpr, { kind: 'call' }>,
) => Evaluator;

/** Patterns that come from data are refused beyond this length (compiling is linear in it). */
export const MAX_REGEX_LENGTH = 10_000;

/**
 * A pattern with RE2's meaning, matched in time linear in the input, so that
 * no pattern can hang the pipeline: on V8's own engine where that is provably
 * the same (see regex-fast.ts), else on re2js.
 */
export class Regex {
  private readonly fast: RegExp | null;

  constructor(readonly re2: RE2JS) {
    this.fast = fastRegex(re2.pattern());
  }

  groupCount(): number {
    return this.re2.groupCount();
  }

  test(x: string): boolean {
    if (this.fast !== null && fastText(x)) return this.fast.test(x);
    return this.re2.test(x);
  }

  /** The first match's `group` (0: all of it), or null. */
  extract(x: string, group: number): string | null {
    if (this.fast !== null && fastText(x)) {
      const m = this.fast.exec(x);
      return m === null ? null : (m[group] ?? null);
    }
    const m = this.re2.matcher(x);
    return m.find() ? m.group(group) : null;
  }
}

const regexes = new BoundedCache<Regex>(64);

export function compileRegex(pattern: string): Regex {
  return regexes.get(pattern, () => {
    if (pattern.length > MAX_REGEX_LENGTH) {
      throw new ExpressionError(
        'invalid-argument',
        `the regular expression is longer than ${MAX_REGEX_LENGTH} characters`,
      );
    }
    try {
      return new Regex(RE2JS.compile(pattern));
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'it cannot be compiled';
      throw new ExpressionError(
        'invalid-argument',
        `the regular expression ${showValue(pattern)} is not valid: ${reason}`,
      );
    }
  });
}

/** A literal pattern is compiled once, when the expression is compiled. */
function patternArgument(node: TypedExpr | undefined): (pattern: string) => Regex {
  if (node?.kind === 'literal' && typeof node.value === 'string') {
    const compiled = compileRegex(node.value);
    return () => compiled;
  }
  return compileRegex;
}

export const REGEX_FUNCTIONS: Readonly<Record<string, Builder>> = {
  REGEXP: ([s, pattern], node) => {
    const regex = patternArgument(node.args[1]);
    return strict2(s as Evaluator, pattern as Evaluator, (x: string, p: string) =>
      regex(p).test(x),
    );
  },
  REGEXP_EXTRACT: (args, node) => {
    const regex = patternArgument(node.args[1]);
    const [s, pattern] = args as [Evaluator, Evaluator];
    return strict3(s, pattern, argOr(args, 2, 0), (x: string, p: string, group: number) => {
      const re = regex(p);
      if (group < 0 || group > re.groupCount()) {
        throw new ExpressionError(
          'invalid-argument',
          `group ${group} does not exist: the regular expression ${showValue(p)} has ${re.groupCount()} group(s)`,
        );
      }
      return re.extract(x, group);
    });
  },
  REGEXP_REPLACE: ([s, pattern, replacement], node) => {
    const regex = patternArgument(node.args[1]);
    return strict3(
      s as Evaluator,
      pattern as Evaluator,
      replacement as Evaluator,
      (x: string, p: string, t: string) => {
        const re = regex(p).re2;
        if (t.length > 0) checkTextLength('REGEXP_REPLACE', replacedLengthBound(re, x, t));
        try {
          return re.matcher(x).replaceAll(t, true);
        } catch (error) {
          if (error instanceof ExpressionError) throw error;
          throw new ExpressionError(
            'invalid-argument',
            `cannot use the replacement ${showValue(t)}: ${error instanceof Error ? error.message : 'it is not valid'}`,
          );
        }
      },
    );
  },
};

/**
 * At most how long replacing every match of `re` in `x` by `t` can be: each
 * match gives `t`, where each `$` (a group reference) gives at most the match.
 */
function replacedLengthBound(re: RE2JS, x: string, t: string): number {
  let references = 0;
  for (const c of t) if (c === '$') references++;
  const m = re.matcher(x);
  let length = x.length;
  while (m.find()) {
    length += t.length + references * (m.end() - m.start());
    if (length > MAX_TEXT_LENGTH) break; // counting on would not change the answer
  }
  return length;
}
