// The type each of a node's expressions must give (a filter's condition is
// boolean), asked of the operator's own declaration: its inference says what
// it expects when it checks an expression, so the editor never keeps a list
// of its own that could drift from the catalog.
import {
  checkExpression,
  type FieldType,
  getOperator,
  type PipelineNode,
  type StreamSchema,
} from '@sluice/shared';

/** Expected types by config path (`where`, `aggregates[0].where`); empty when the inputs are not known. */
export function expectedTypes(
  node: PipelineNode,
  inputs: Readonly<Record<string, readonly StreamSchema[]>>,
): Map<string, FieldType> {
  const expected = new Map<string, FieldType>();
  const operator = getOperator(node.kind);
  if (!operator) return expected;
  try {
    operator.infer({
      config: (node.config ?? {}) as never,
      inputs,
      expression(path, text, fields, type) {
        if (type) expected.set(path, type);
        return checkExpression(text, fields, type ? { expected: type } : undefined);
      },
      error: () => {},
      warning: () => {},
    });
  } catch {
    // A config the form is half-way through editing may not have the shape
    // inference assumes; the live analysis reports it, and nothing is expected.
  }
  return expected;
}
