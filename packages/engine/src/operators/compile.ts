import {
  checkExpression,
  type Field,
  type FieldType,
  parseDuration,
  type TypedExpr,
} from '@sluice/shared';
import { type CompiledExpression, compileExpression } from '../expression/index.js';

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

/** A short reason for a failed record, from whatever was thrown. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
