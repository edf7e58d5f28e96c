/** Why an expression could not be evaluated for one record. */
export type ExpressionErrorCode =
  | 'cast-failed'
  | 'division-by-zero'
  | 'overflow'
  | 'invalid-argument'
  | 'invalid-field-value'
  | 'too-large'
  | 'not-finite'
  | 'internal';

/**
 * The only error an expression throws while evaluating a record. The engine
 * catches it and routes the record, with this message, to the error output.
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';

  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A value as a message quotes it: text in single quotes (shortened), numbers as they are. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') {
    const short = value.length > 50 ? `${value.slice(0, 49)}…` : value;
    return `'${short.replaceAll("'", "''")}'`;
  }
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value === null || value === undefined) return 'NULL';
  return `a value of JavaScript type ${typeof value}`;
}
