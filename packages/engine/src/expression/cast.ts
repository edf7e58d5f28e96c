import {
  type ExprType,
  type FieldType,
  formatSqlTimestamp,
  parseSqlTimestamp,
} from '@sluice/shared';
import { ExpressionError, showValue } from './error.js';
import type { Value } from './values.js';

/** Returned by a conversion that cannot be done: CAST then fails, TRY_CAST gives NULL. */
export const FAILED = Symbol('cast failed');
type Conversion = (v: Value) => Value | typeof FAILED;

const SQL_NAMES: Record<FieldType, string> = {
  string: 'STRING',
  long: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
};

const INTEGER = /^\s*[-+]?\d{1,20}\s*$/;
const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const SPECIAL_DOUBLES: Record<string, number> = {
  nan: Number.NaN,
  infinity: Number.POSITIVE_INFINITY,
  '+infinity': Number.POSITIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
};
const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

/** Doubles print as Java (and Flink) print them: 1.0, 0.001, 1.0E-4, 1.0E7. */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

function toText(from: ExprType): Conversion {
  switch (from) {
    case 'double':
      return (v) => formatDouble(v as number);
    case 'boolean':
      return (v) => (v ? 'TRUE' : 'FALSE');
    case 'timestamp':
      return (v) => formatSqlTimestamp(v as number);
    default:
      return (v) => String(v);
  }
}

function fromText(to: FieldType): Conversion {
  switch (to) {
    case 'string':
      return (v) => v;
    case 'long':
      return (v) => {
        const s = v as string;
        if (!INTEGER.test(s)) return FAILED;
        const n = Number(s);
        return Number.isSafeInteger(n) ? n || 0 : FAILED;
      };
    case 'double':
      return (v) => {
        const s = (v as string).trim();
        if (DECIMAL.test(s)) return Number(s);
        return SPECIAL_DOUBLES[s.toLowerCase()] ?? FAILED;
      };
    case 'boolean':
      return (v) => {
        const s = (v as string).trim().toLowerCase();
        return TRUE_WORDS.has(s) ? true : FALSE_WORDS.has(s) ? false : FAILED;
      };
    case 'timestamp':
      return (v) => parseSqlTimestamp(v as string) ?? FAILED;
  }
}

/** The conversion CAST(x AS to) performs on a non-null x of type `from`. */
export function conversion(from: ExprType, to: FieldType): Conversion {
  if (from === to || from === 'null') return (v) => v;
  if (to === 'string') return toText(from);
  if (from === 'string') return fromText(to);
  if (to === 'boolean') return (v) => v !== 0;
  if (from === 'boolean') return (v) => (v ? 1 : 0);
  if (to === 'long') {
    // DOUBLE to BIGINT truncates toward zero, as in Flink.
    return (v) => {
      const n = Math.trunc(v as number);
      return Number.isSafeInteger(n) ? n || 0 : FAILED;
    };
  }
  return (v) => v;
}

export function castFailure(value: Value, to: FieldType): ExpressionError {
  return new ExpressionError('cast-failed', `cannot CAST ${showValue(value)} AS ${SQL_NAMES[to]}`);
}
