import { checkExpression, type Field, type FieldType } from '@sluice/shared';
import { type CompiledExpression, compileExpression } from '../expression/index.js';

/**
 * Compiles an expression the validator has already accepted. A problem here
 * means the pipeline skipped validation, which the runtime never does.
 */
export function compileChecked(
  text: string,
  fields: readonly Field[],
  expected?: FieldType,
): CompiledExpression {
  const checked = checkExpression(text, fields, expected ? { expected } : undefined);
  if (!checked.expr || checked.problems.length > 0) {
    throw new Error(
      `Expression '${text}' is not valid: ${checked.problems[0]?.message ?? 'unknown problem'}`,
    );
  }
  return compileExpression(checked.expr);
}

/** A short reason for a failed record, from whatever was thrown. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
