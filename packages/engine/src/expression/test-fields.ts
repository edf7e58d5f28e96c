import { checkExpression, type Field } from '@sluice/shared';
import { compileExpression } from './compile.js';

/** The fields the engine's expression tests declare. */
export const FIELDS: Field[] = [
  { name: 'i', type: 'long' },
  { name: 'j', type: 'long' },
  { name: 'd', type: 'double' },
  { name: 's', type: 'string' },
  { name: 't', type: 'string' },
  { name: 'b', type: 'boolean' },
  { name: 'ts', type: 'timestamp' },
  { name: 'toString', type: 'string' },
];

/** Checks (failing the test on any problem), compiles and evaluates one expression. */
export function evaluate(text: string, record: Record<string, unknown> = {}): unknown {
  const checked = checkExpression(text, FIELDS);
  if (!checked.expr) {
    throw new Error(`${text}: ${checked.problems.map((p) => p.message).join('; ')}`);
  }
  return compileExpression(checked.expr)(record);
}
