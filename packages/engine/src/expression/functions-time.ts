import {
  type DateFormat,
  type DatePatternLetter,
  formatWithDateFormat,
  parseDateFormat,
  parseSqlTimestamp,
  parseWithDateFormat,
  type TimestampPart,
  type TypedExpr,
  timestampPart,
} from '@sluice/shared';
import { BoundedCache } from './bounded-cache.js';
import { ExpressionError, showValue } from './error.js';
import { checkTimestamp } from './limits.js';
import { strict1, strict2 } from './strict.js';
import { checkedLong, type Evaluator } from './values.js';

type Builder = (
  args: readonly Evaluator[],
  node: Extract<TypedExpr, { kind: 'call' }>,
) => Evaluator;

const formats = new BoundedCache<DateFormat>(64);

function dateFormat(pattern: string): DateFormat {
  return formats.get(pattern, () => {
    const parsed = parseDateFormat(pattern);
    if (typeof parsed === 'string') {
      throw new ExpressionError(
        'invalid-argument',
        `the date format ${showValue(pattern)} is not valid: ${parsed}`,
      );
    }
    return parsed;
  });
}

/** A format argument written as a literal is read once, at compile time. */
function formatArgument(node: TypedExpr | undefined): (pattern: string) => DateFormat {
  if (node?.kind === 'literal' && typeof node.value === 'string') {
    const format = dateFormat(node.value);
    return () => format;
  }
  return dateFormat;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNIT: Readonly<Record<DatePatternLetter, number>> = {
  y: DAY,
  M: DAY,
  d: DAY,
  H: HOUR,
  m: MINUTE,
  s: SECOND,
  S: 1,
};

/**
 * For how long a format's text stays the same: its finest field's unit, in
 * ms (UTC has no offsets to mind, and a unit of a day or coarser starts at a
 * multiple of a day). Infinity for a format of text only.
 */
export function formatUnit(format: DateFormat): number {
  let unit = Number.POSITIVE_INFINITY;
  for (const e of format) if (e.kind === 'field') unit = Math.min(unit, UNIT[e.letter]);
  return unit;
}

/**
 * Formats with a literal format, remembering the last text: timestamps of a
 * stream come mostly in order, so most fall in the same minute (or hour, or
 * day) as the one before, and the text is the same.
 */
function formatRemembering(format: DateFormat): (ms: number) => string {
  const unit = formatUnit(format);
  if (unit === 1) return (ms) => formatWithDateFormat(ms, format);
  let lastPeriod = Number.NaN;
  let lastText = '';
  return (ms) => {
    const period = unit === Number.POSITIVE_INFINITY ? 0 : Math.floor(ms / unit);
    if (period !== lastPeriod) {
      lastText = formatWithDateFormat(ms, format);
      lastPeriod = period;
    }
    return lastText;
  };
}

function part(name: TimestampPart): Builder {
  return ([ts]) => strict1(ts as Evaluator, (ms: number) => timestampPart(ms, name));
}

function unreadable(text: string, pattern: string | undefined): ExpressionError {
  const format =
    pattern === undefined ? "the format 'yyyy-MM-dd HH:mm:ss'" : `the format ${showValue(pattern)}`;
  return new ExpressionError(
    'invalid-argument',
    `cannot read ${showValue(text)} as a timestamp with ${format}`,
  );
}

export const TIME_FUNCTIONS: Readonly<Record<string, Builder>> = {
  YEAR: part('year'),
  MONTH: part('month'),
  DAYOFMONTH: part('day'),
  HOUR: part('hour'),
  MINUTE: part('minute'),
  SECOND: part('second'),
  DATE_FORMAT: ([ts, pattern], node) => {
    const literal = node.args[1];
    if (literal?.kind === 'literal' && typeof literal.value === 'string') {
      const formatted = formatRemembering(dateFormat(literal.value));
      return strict2(ts as Evaluator, pattern as Evaluator, (ms: number) => formatted(ms));
    }
    const format = formatArgument(node.args[1]);
    return strict2(ts as Evaluator, pattern as Evaluator, (ms: number, p: string) =>
      formatWithDateFormat(ms, format(p)),
    );
  },
  TO_TIMESTAMP: ([text, pattern], node) => {
    if (!pattern) {
      return strict1(text as Evaluator, (s: string) => {
        const ms = parseSqlTimestamp(s);
        if (ms === undefined) throw unreadable(s, undefined);
        return ms;
      });
    }
    const format = formatArgument(node.args[1]);
    return strict2(text as Evaluator, pattern, (s: string, p: string) => {
      const ms = parseWithDateFormat(s, format(p));
      if (ms === undefined) throw unreadable(s, p);
      return ms;
    });
  },
  TO_TIMESTAMP_LTZ: ([epoch], node) => {
    const precision = node.args[1]?.kind === 'literal' ? node.args[1].value : 3;
    if (precision === 3) {
      return strict1(epoch as Evaluator, (n: number) => {
        checkTimestamp(n);
        return n;
      });
    }
    return strict1(epoch as Evaluator, (n: number) => {
      const ms = checkedLong(n * 1000, () => `TO_TIMESTAMP_LTZ(${n}, 0)`);
      checkTimestamp(ms);
      return ms;
    });
  },
};
