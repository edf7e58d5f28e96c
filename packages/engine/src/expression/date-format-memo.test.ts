// DATE_FORMAT with a literal format remembers its last text while timestamps
// stay in the same minute (hour, day…): whatever the order of the
// timestamps, the text is the one formatting each afresh gives.
import { checkExpression, formatWithDateFormat, parseDateFormat } from '@sluice/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression } from './compile.js';
import { formatUnit } from './functions-time.js';
import { FIELDS } from './test-fields.js';

const PATTERNS = [
  'HH:mm',
  'yyyy-MM-dd',
  'yyyy-MM-dd HH:mm:ss',
  'HH',
  'MMM d, yyyy',
  "yyyy-MM-dd'T'HH:mm:ss.SSS",
  "'day'",
  'ss',
];

describe('DATE_FORMAT of a literal format', () => {
  it('gives the fresh text for every timestamp of any sequence, near or far apart', () => {
    const ms = fc.oneof(
      fc.integer({ min: -10 * 86_400_000, max: 10 * 86_400_000 }),
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...PATTERNS),
        fc.array(ms, { maxLength: 40 }),
        (pattern, times) => {
          const checked = checkExpression(
            `DATE_FORMAT(ts, '${pattern.replaceAll("'", "''")}')`,
            FIELDS,
          );
          const format = compileExpression(checked.expr!);
          const parsed = parseDateFormat(pattern);
          if (typeof parsed === 'string') throw new Error(parsed);
          // Runs of nearby times too: the same minute, then the next.
          const walk = times.flatMap((t) => [t, t + 1, t + 59_999, t + 60_000, t - 1]);
          for (const t of walk) expect(format({ ts: t })).toBe(formatWithDateFormat(t, parsed));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('knows how long each format’s text lasts', () => {
    const unit = (p: string) => formatUnit(parseDateFormat(p) as never);
    expect(unit('HH:mm')).toBe(60_000);
    expect(unit('yyyy-MM-dd')).toBe(86_400_000);
    expect(unit('ss')).toBe(1000);
    expect(unit('SSS')).toBe(1);
    expect(unit("'day'")).toBe(Number.POSITIVE_INFINITY);
  });
});
