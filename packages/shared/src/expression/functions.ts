import type { FieldType } from '../schema/field.js';

/** A function as the editor's completion and the docs show it. */
export interface FunctionInfo {
  /** Upper-case name; names are case-insensitive in expressions. */
  readonly name: string;
  /** e.g. `SUBSTRING(s, start [, length])` */
  readonly signature: string;
  readonly description: string;
  readonly category: 'text' | 'numeric' | 'date and time' | 'regular expressions' | 'conditional';
  /** An expression using the function and what it gives. */
  readonly example: string;
}

/** What an argument must be. `numeric` is long or double. */
export type ParamKind = 'string' | 'numeric' | 'long' | 'boolean' | 'timestamp' | 'any';

/**
 * The type a call gives: a fixed type, the type of the first argument,
 * long when every numeric argument is a long (else double), or the common
 * type of all arguments (or of all but the first).
 */
export type ReturnRule = FieldType | 'first' | 'numeric' | 'common' | 'common-after-first';

export interface FunctionDefinition extends FunctionInfo {
  readonly params: readonly ParamKind[];
  readonly optional?: readonly ParamKind[];
  /** Any number of further arguments of this kind. */
  readonly variadic?: ParamKind;
  readonly returns: ReturnRule;
  /** Another name of the same function. */
  readonly sameAs?: string;
}

type Def = FunctionDefinition;
const text = (d: Omit<Def, 'category'>): Def => ({ ...d, category: 'text' });
const numeric = (d: Omit<Def, 'category'>): Def => ({ ...d, category: 'numeric' });
const time = (d: Omit<Def, 'category'>): Def => ({ ...d, category: 'date and time' });
const regex = (d: Omit<Def, 'category'>): Def => ({ ...d, category: 'regular expressions' });
const conditional = (d: Omit<Def, 'category'>): Def => ({ ...d, category: 'conditional' });

const timePart = (name: string, what: string, example: string): Def =>
  time({
    name,
    signature: `${name}(ts)`,
    description: `The ${what} of a timestamp (UTC), as a long.`,
    example,
    params: ['timestamp'],
    returns: 'long',
  });

export const FUNCTION_DEFINITIONS: readonly FunctionDefinition[] = [
  text({
    name: 'UPPER',
    signature: 'UPPER(s)',
    description: 'The text in upper case.',
    example: "UPPER('Paris') → 'PARIS'",
    params: ['string'],
    returns: 'string',
  }),
  text({
    name: 'LOWER',
    signature: 'LOWER(s)',
    description: 'The text in lower case.',
    example: "LOWER('Paris') → 'paris'",
    params: ['string'],
    returns: 'string',
  }),
  text({
    name: 'TRIM',
    signature: 'TRIM([BOTH | LEADING | TRAILING] [chars FROM] s)',
    description:
      'The text without the given characters (spaces by default) at both ends, at the start (LEADING) or at the end (TRAILING).',
    example: "TRIM('  a b  ') → 'a b'; TRIM(LEADING '0' FROM '007') → '7'",
    params: ['string'],
    optional: ['string'],
    returns: 'string',
  }),
  text({
    name: 'LTRIM',
    signature: 'LTRIM(s)',
    description: 'The text without spaces at its start.',
    example: "LTRIM('  a ') → 'a '",
    params: ['string'],
    optional: ['string'],
    returns: 'string',
  }),
  text({
    name: 'RTRIM',
    signature: 'RTRIM(s)',
    description: 'The text without spaces at its end.',
    example: "RTRIM('  a ') → '  a'",
    params: ['string'],
    optional: ['string'],
    returns: 'string',
  }),
  text({
    name: 'CHAR_LENGTH',
    signature: 'CHAR_LENGTH(s)',
    description: 'The number of characters in the text.',
    example: "CHAR_LENGTH('héllo') → 5",
    params: ['string'],
    returns: 'long',
  }),
  text({
    name: 'CHARACTER_LENGTH',
    signature: 'CHARACTER_LENGTH(s)',
    description: 'Same as CHAR_LENGTH.',
    example: "CHARACTER_LENGTH('abc') → 3",
    params: ['string'],
    returns: 'long',
    sameAs: 'CHAR_LENGTH',
  }),
  text({
    name: 'SUBSTRING',
    signature: 'SUBSTRING(s, start [, length]) or SUBSTRING(s FROM start [FOR length])',
    description:
      'Part of the text, from character position start (the first character is 1; a negative start counts from the end), length characters long or to the end.',
    example: "SUBSTRING('2024-05-17', 6, 2) → '05'",
    params: ['string', 'long'],
    optional: ['long'],
    returns: 'string',
  }),
  text({
    name: 'SUBSTR',
    signature: 'SUBSTR(s, start [, length])',
    description: 'Same as SUBSTRING.',
    example: "SUBSTR('abcdef', 3) → 'cdef'",
    params: ['string', 'long'],
    optional: ['long'],
    returns: 'string',
    sameAs: 'SUBSTRING',
  }),
  text({
    name: 'CONCAT',
    signature: 'CONCAT(s1, s2, ...)',
    description: 'The texts joined together; NULL if any of them is NULL (as in Flink).',
    example: "CONCAT(first_name, ' ', last_name) → 'Ada Lovelace'",
    params: ['string'],
    variadic: 'string',
    returns: 'string',
  }),
  text({
    name: 'REPLACE',
    signature: 'REPLACE(s, search, replacement)',
    description: 'The text with every occurrence of search replaced.',
    example: "REPLACE('a-b-c', '-', '/') → 'a/b/c'",
    params: ['string', 'string', 'string'],
    returns: 'string',
  }),
  text({
    name: 'SPLIT_INDEX',
    signature: 'SPLIT_INDEX(s, separator, index)',
    description:
      'Splits the text at each separator and gives the piece at index (the first piece is 0); NULL if there is no such piece or index is negative.',
    example: "SPLIT_INDEX('a,b,c', ',', 1) → 'b'",
    params: ['string', 'string', 'long'],
    returns: 'string',
  }),
  text({
    name: 'LPAD',
    signature: 'LPAD(s, length, pad)',
    description: 'The text padded on the left with pad to length characters (or cut to length).',
    example: "LPAD('7', 3, '0') → '007'",
    params: ['string', 'long', 'string'],
    returns: 'string',
  }),
  text({
    name: 'RPAD',
    signature: 'RPAD(s, length, pad)',
    description: 'The text padded on the right with pad to length characters (or cut to length).',
    example: "RPAD('ab', 4, '.') → 'ab..'",
    params: ['string', 'long', 'string'],
    returns: 'string',
  }),
  text({
    name: 'POSITION',
    signature: 'POSITION(part IN s)',
    description:
      'The position of the first occurrence of part in the text (the first character is 1), or 0 if it does not occur.',
    example: "POSITION('b' IN 'abc') → 2",
    params: ['string', 'string'],
    returns: 'long',
  }),
  text({
    name: 'LOCATE',
    signature: 'LOCATE(part, s [, start])',
    description: 'Like POSITION, searching from character position start.',
    example: "LOCATE('a', 'banana', 3) → 4",
    params: ['string', 'string'],
    optional: ['long'],
    returns: 'long',
  }),
  regex({
    name: 'REGEXP',
    signature: 'REGEXP(s, regex)',
    description: 'TRUE if some part of the text matches the regular expression (RE2 syntax).',
    example: "REGEXP('order-42', '[0-9]+') → TRUE",
    params: ['string', 'string'],
    returns: 'boolean',
  }),
  regex({
    name: 'REGEXP_EXTRACT',
    signature: 'REGEXP_EXTRACT(s, regex [, group])',
    description:
      'The part of the text matched by group (0, the default, is the whole match; 1 the first parenthesised group); NULL if nothing matches.',
    example: "REGEXP_EXTRACT('order-42', 'order-([0-9]+)', 1) → '42'",
    params: ['string', 'string'],
    optional: ['long'],
    returns: 'string',
  }),
  regex({
    name: 'REGEXP_REPLACE',
    signature: 'REGEXP_REPLACE(s, regex, replacement)',
    description:
      'The text with every match of the regular expression replaced; $1, $2 ... in the replacement stand for the groups.',
    example: "REGEXP_REPLACE('a1b22', '[0-9]+', '#') → 'a#b#'",
    params: ['string', 'string', 'string'],
    returns: 'string',
  }),
  numeric({
    name: 'ABS',
    signature: 'ABS(x)',
    description: 'The absolute value.',
    example: 'ABS(-3) → 3',
    params: ['numeric'],
    returns: 'first',
  }),
  numeric({
    name: 'ROUND',
    signature: 'ROUND(x [, digits])',
    description:
      'x rounded half away from zero to digits decimal places (0 by default; negative rounds to tens, hundreds ...).',
    example: 'ROUND(2.345, 2) → 2.35',
    params: ['numeric'],
    optional: ['long'],
    returns: 'first',
  }),
  numeric({
    name: 'FLOOR',
    signature: 'FLOOR(x)',
    description: 'The largest whole number not above x.',
    example: 'FLOOR(2.7) → 2.0',
    params: ['numeric'],
    returns: 'first',
  }),
  numeric({
    name: 'CEIL',
    signature: 'CEIL(x)',
    description: 'The smallest whole number not below x.',
    example: 'CEIL(2.1) → 3.0',
    params: ['numeric'],
    returns: 'first',
  }),
  numeric({
    name: 'CEILING',
    signature: 'CEILING(x)',
    description: 'Same as CEIL.',
    example: 'CEILING(2.1) → 3.0',
    params: ['numeric'],
    returns: 'first',
    sameAs: 'CEIL',
  }),
  numeric({
    name: 'MOD',
    signature: 'MOD(a, b)',
    description:
      'The remainder of a divided by b, with the sign of a (same as a % b). Dividing by zero is an error.',
    example: 'MOD(7, 3) → 1',
    params: ['numeric', 'numeric'],
    returns: 'numeric',
  }),
  numeric({
    name: 'POWER',
    signature: 'POWER(x, y)',
    description: 'x raised to the power y, as a double.',
    example: 'POWER(2, 10) → 1024.0',
    params: ['numeric', 'numeric'],
    returns: 'double',
  }),
  numeric({
    name: 'SQRT',
    signature: 'SQRT(x)',
    description: 'The square root, as a double (NaN for a negative number).',
    example: 'SQRT(16) → 4.0',
    params: ['numeric'],
    returns: 'double',
  }),
  timePart('YEAR', 'year', "YEAR(TIMESTAMP '2024-05-17 10:30:00') → 2024"),
  timePart('MONTH', 'month (1-12)', "MONTH(TIMESTAMP '2024-05-17 10:30:00') → 5"),
  timePart(
    'DAYOFMONTH',
    'day of the month (1-31)',
    "DAYOFMONTH(TIMESTAMP '2024-05-17 10:30:00') → 17",
  ),
  timePart('HOUR', 'hour (0-23)', "HOUR(TIMESTAMP '2024-05-17 10:30:00') → 10"),
  timePart('MINUTE', 'minute (0-59)', "MINUTE(TIMESTAMP '2024-05-17 10:30:00') → 30"),
  timePart('SECOND', 'second (0-59)', "SECOND(TIMESTAMP '2024-05-17 10:30:15') → 15"),
  time({
    name: 'DATE_FORMAT',
    signature: 'DATE_FORMAT(ts, format)',
    description:
      "The timestamp as text in the format (letters of Java's SimpleDateFormat: yyyy MM dd HH mm ss SSS; text in single quotes), in UTC.",
    example: "DATE_FORMAT(ts, 'yyyy-MM-dd') → '2024-05-17'",
    params: ['timestamp', 'string'],
    returns: 'string',
  }),
  time({
    name: 'TO_TIMESTAMP',
    signature: 'TO_TIMESTAMP(s [, format])',
    description:
      "Reads text as a timestamp in UTC, with the format (by default 'yyyy-MM-dd HH:mm:ss', where a fraction of a second may follow). Text that does not fit is an error.",
    example: "TO_TIMESTAMP('17/05/2024', 'dd/MM/yyyy') → 2024-05-17 00:00:00.000",
    params: ['string'],
    optional: ['string'],
    returns: 'timestamp',
  }),
  time({
    name: 'TO_TIMESTAMP_LTZ',
    signature: 'TO_TIMESTAMP_LTZ(epoch, precision)',
    description:
      'The timestamp of a number of seconds (precision 0) or milliseconds (precision 3) since 1970-01-01 00:00:00 UTC.',
    example: 'TO_TIMESTAMP_LTZ(1715941800000, 3) → 2024-05-17 10:30:00.000',
    params: ['long', 'long'],
    returns: 'timestamp',
  }),
  conditional({
    name: 'COALESCE',
    signature: 'COALESCE(a, b, ...)',
    description: 'The first argument that is not NULL (NULL if all are).',
    example: "COALESCE(nickname, name, 'anonymous')",
    params: ['any'],
    variadic: 'any',
    returns: 'common',
  }),
  conditional({
    name: 'NULLIF',
    signature: 'NULLIF(a, b)',
    description: 'NULL if a equals b, otherwise a.',
    example: "NULLIF(country, '') → NULL when country is empty",
    params: ['any', 'any'],
    returns: 'first',
  }),
  conditional({
    name: 'IFNULL',
    signature: 'IFNULL(a, b)',
    description: 'a, or b when a is NULL (COALESCE with two arguments).',
    example: 'IFNULL(discount, 0)',
    params: ['any', 'any'],
    returns: 'common',
  }),
  conditional({
    name: 'IF',
    signature: 'IF(condition, a, b)',
    description: 'a when the condition is TRUE, otherwise (FALSE or NULL) b.',
    example: "IF(amount > 100, 'big', 'small')",
    params: ['boolean', 'any', 'any'],
    returns: 'common-after-first',
  }),
];

const BY_NAME = new Map(FUNCTION_DEFINITIONS.map((d) => [d.name, d]));

export function findFunction(name: string): FunctionDefinition | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/** Every function, for completion in the editor and the docs. */
export const EXPRESSION_FUNCTIONS: readonly FunctionInfo[] = FUNCTION_DEFINITIONS.map((d) => ({
  name: d.name,
  signature: d.signature,
  description: d.description,
  category: d.category,
  example: d.example,
}));

/** Aggregates belong to the Aggregate step, not to a per-record expression. */
export const AGGREGATE_NAMES: ReadonlySet<string> = new Set([
  'COUNT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'FIRST_VALUE',
  'LAST_VALUE',
]);
