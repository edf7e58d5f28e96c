import type { transformFilter } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import type { EnvironmentOf, Operator, OperatorContext } from '../operator.js';
import { compileChecked, reportBadValue } from './compile.js';

/** Keeps the records whose condition is TRUE; NULL and FALSE drop them. */
export function createFilter(env: EnvironmentOf<typeof transformFilter>): Operator {
  const input = env.inputs[0]![0]!;
  const where = compileChecked(env.config.where, input.fields, 'boolean');
  return {
    process(batch: Batch, _input: number, context: OperatorContext) {
      const rows: Row[] = [];
      const times: number[] = [];
      const n = batch.rows.length;
      for (let i = 0; i < n; i++) {
        const row = batch.rows[i]!;
        let keep: unknown;
        try {
          keep = where(row);
        } catch (error) {
          reportBadValue(error, row, context);
          continue;
        }
        if (keep === true) {
          rows.push(row);
          times.push(batch.times[i]!);
        }
      }
      if (rows.length === n) context.emit(batch);
      else context.emit({ rows, times });
    },
  };
}
