import {
  checkExpression,
  type Field,
  type FieldType,
  parseDuration,
  parseTimestamp,
  type TypedExpr,
} from '@sluice/shared';
import type { Row } from '../batch.js';
import {
  type CompiledExpression,
  compileExpression,
  ExpressionError,
} from '../expression/index.js';
import type { OperatorContext } from '../operator.js';

/**
 * Type-checks an expression the validator has already accepted. A problem here
 * means the pipeline skipped validation, which the runtime never does.
 */
export function checkedExpression(
  text: string,
  fields: readonly Field[],
  expected?: FieldType,
): TypedExpr {
  const checked = checkExpression(text, fields, expected ? { expected } : undefined);
  if (!checked.expr || checked.problems.length > 0) {
    throw new Error(
      `Expression '${text}' is not valid: ${checked.problems[0]?.message ?? 'unknown problem'}`,
    );
  }
  return checked.expr;
}

/** Compiles an expression the validator has already accepted. */
export function compileChecked(
  text: string,
  fields: readonly Field[],
  expected?: FieldType,
): CompiledExpression {
  return compileExpression(checkedExpression(text, fields, expected));
}

/** A duration of a validated config, in ms; a text that is none means validation was skipped. */
export function validDuration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`'${text}' is not a duration.`);
  return ms;
}

/** A timestamp of a validated config, in epoch ms; a text that is none means validation was skipped. */
export function validTimestamp(text: string): number {
  const ms = parseTimestamp(text);
  if (ms === undefined) throw new Error(`'${text}' is not a timestamp.`);
  return ms;
}

/** A short reason for a failed record, from whatever was thrown. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What an operator does with an error thrown while reading a record: a bad
 * value (ExpressionError) sends the record to the error output with the
 * reason, and the job goes on; anything else is a fault and is thrown on.
 */
export function reportBadValue(
  error: unknown,
  row: Row,
  context: Pick<OperatorContext, 'error'>,
): void {
  if (!(error instanceof ExpressionError)) throw error;
  context.error(row, error.message);
}
