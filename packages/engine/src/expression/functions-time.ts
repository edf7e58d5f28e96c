import {
  type DateFormat,
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
