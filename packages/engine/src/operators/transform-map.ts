import { checkExpression, type transformMap } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import type { CompiledExpression } from '../expression/index.js';
import type { EnvironmentOf, Operator, OperatorContext } from '../operator.js';
import { compileChecked, reportBadValue } from './compile.js';

/**
 * Computes fields; the output fields, in order, are those the catalog inferred.
 * Rows in are rows of exactly their schema's fields, in its order (sources
 * decode them so), and rows are never changed once made: a map whose output
 * is its input passes the batch on as it is.
 */
export function createMap(env: EnvironmentOf<typeof transformMap>): Operator {
  const { config } = env;
  const input = env.inputs[0]![0]!;
  const output = env.outputs[0]!;
  const computed = new Map<string, CompiledExpression | string>();
  for (const f of config.fields) {
    // A field that is just another field is copied, as `keepInput` copies fields.
    const { expr, problems } = checkExpression(f.expr, input.fields);
    const copied = problems.length === 0 && expr?.kind === 'field' ? expr.name : undefined;
    computed.set(f.name, copied ?? compileChecked(f.expr, input.fields));
  }
  const names = output.fields.map((f) => f.name);
  const sources = names.map((name) => computed.get(name) ?? name);
  const unchanged =
    names.length === input.fields.length &&
    names.every((name, i) => name === input.fields[i]!.name && sources[i] === name);
  if (unchanged) return { process: (batch, _input, context) => context.emit(batch) };
  return projection(names, sources);
}

/** Output fields whose copy has an access site of its own in `projection`; the rest share one. */
const COPY_SITES = 8;

/**
 * Builds each output row from a template and the input row. V8 makes a keyed
 * access (`row[name]`) that always sees the same name about as fast as
 * `row.name`, but one that sees several names goes through a generic lookup,
 * about 20 ns each. So the first fields copied each have a line of their own,
 * and only wider maps and the computed fields share an access site. V8 keeps
 * that feedback per function, not per closure, so the maps of one process
 * share the sites: up to four, each site stays fast; past that it falls back
 * to the generic lookup, as every copy did before (q1 after five other maps:
 * 2.4 M events/s instead of 3.5 M).
 */
function projection(names: string[], sources: (CompiledExpression | string)[]): Operator {
  const copyTo: string[] = [];
  const copyFrom: string[] = [];
  const computeTo: string[] = [];
  const compute: CompiledExpression[] = [];
  names.forEach((name, i) => {
    const source = sources[i]!;
    if (typeof source === 'string') {
      copyTo.push(name);
      copyFrom.push(source);
    } else {
      computeTo.push(name);
      compute.push(source);
    }
  });
  const copies = copyTo.length;
  const computations = compute.length;
  // Past `copies`, these are never read.
  const [to0 = '', to1 = '', to2 = '', to3 = '', to4 = '', to5 = '', to6 = '', to7 = ''] = copyTo;
  const [
    from0 = '',
    from1 = '',
    from2 = '',
    from3 = '',
    from4 = '',
    from5 = '',
    from6 = '',
    from7 = '',
  ] = copyFrom;
  // Every output row starts as a copy of this one: the copy takes its shape at
  // once, and the code below only overwrites fields, where adding them one by
  // one would walk V8's hidden-class transitions for every row.
  const template: Row = {};
  for (const name of names) template[name] = null;
  return {
    process(batch: Batch, _input: number, context: OperatorContext) {
      const rows: Row[] = [];
      // The input's times, shared, until a bad record leaves a gap.
      let times: number[] | undefined;
      const n = batch.rows.length;
      for (let i = 0; i < n; i++) {
        const row = batch.rows[i]!;
        const out: Row = { ...template };
        if (copies > 0) out[to0] = row[from0] ?? null;
        if (copies > 1) out[to1] = row[from1] ?? null;
        if (copies > 2) out[to2] = row[from2] ?? null;
        if (copies > 3) out[to3] = row[from3] ?? null;
        if (copies > 4) out[to4] = row[from4] ?? null;
        if (copies > 5) out[to5] = row[from5] ?? null;
        if (copies > 6) out[to6] = row[from6] ?? null;
        if (copies > 7) out[to7] = row[from7] ?? null;
        for (let f = COPY_SITES; f < copies; f++) out[copyTo[f]!] = row[copyFrom[f]!] ?? null;
        if (computations > 0) {
          try {
            for (let f = 0; f < computations; f++) out[computeTo[f]!] = compute[f]!(row);
          } catch (error) {
            reportBadValue(error, row, context);
            times ??= batch.times.slice(0, i);
            continue;
          }
        }
        rows.push(out);
        times?.push(batch.times[i]!);
      }
      context.emit({ rows, times: times ?? batch.times });
    },
  };
}
