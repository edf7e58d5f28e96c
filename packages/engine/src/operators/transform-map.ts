import { checkExpression, type MapConfig } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import { type CompiledExpression, ExpressionError } from '../expression/index.js';
import type { Operator, OperatorContext, OperatorEnvironment } from '../operator.js';
import { compileChecked } from './compile.js';

/** Computes fields; the output fields, in order, are those the catalog inferred. */
export function createMap(env: OperatorEnvironment): Operator {
  const config = env.node.config as MapConfig;
  const input = env.inputs[0]![0]!;
  const output = env.outputs[0]!;
  const computed = new Map<string, CompiledExpression | string>();
  for (const f of config.fields) {
    // A field that is just another field is copied, as `keepInput` copies fields.
    const { expr, problems } = checkExpression(f.expr, input.fields);
    const copied = problems.length === 0 && expr?.kind === 'field' ? expr.name : undefined;
    computed.set(f.name, copied ?? compileChecked(f.expr, input.fields));
  }
  // For each output field: a compiled expression, or the name of the input field it copies.
  const names = output.fields.map((f) => f.name);
  const sources = names.map((name) => computed.get(name) ?? name);
  const width = names.length;
  // Every output row starts as a copy of this one: the copy takes its shape at
  // once, and the loop below only overwrites fields, where adding them one by
  // one would walk V8's hidden-class transitions for every row.
  const template: Row = {};
  for (const name of names) template[name] = null;
  return {
    process(batch: Batch, _input: number, context: OperatorContext) {
      const rows: Row[] = [];
      const times: number[] = [];
      const n = batch.rows.length;
      for (let i = 0; i < n; i++) {
        const row = batch.rows[i]!;
        const out: Row = { ...template };
        try {
          for (let f = 0; f < width; f++) {
            const source = sources[f]!;
            out[names[f]!] = typeof source === 'string' ? (row[source] ?? null) : source(row);
          }
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          context.error(row, error.message);
          continue;
        }
        rows.push(out);
        times.push(batch.times[i]!);
      }
      context.emit({ rows, times });
    },
  };
}
