// Builds a join's output records as `joinLayout` from @sluice/shared names
// them, and checks the optional `where` condition on each joined record.
import { type Field, joinLayout, type StreamSchema } from '@sluice/shared';
import type { Row } from '../../batch.js';
import { ExpressionError } from '../../expression/index.js';
import type { OperatorContext, OperatorEnvironment } from '../../operator.js';
import { compileChecked } from '../compile.js';

const LEADING = 0;
const LEFT = 1;
const RIGHT = 2;
const SIDES = { leading: LEADING, left: LEFT, right: RIGHT } as const;

export interface JoinedRows {
  /**
   * A new output record: the leading fields (such as window bounds) from
   * `leading`, then the left and right fields; a null side gives NULLs.
   */
  build(leading: Row | null, left: Row, right: Row | null): Row;
  /**
   * Whether a joined record passes `where` (TRUE only; NULL is false). A bad
   * value sends the record to the error output, and the pair does not match.
   */
  passes(joined: Row, context: OperatorContext): boolean;
}

interface JoinConfigPart {
  readonly on: readonly { left: string; right: string }[];
  readonly where?: string;
  readonly rightPrefix?: string;
}

export function joinedRows(env: OperatorEnvironment, leading: readonly Field[] = []): JoinedRows {
  const config = env.node.config as unknown as JoinConfigPart;
  const left = schemaOf(env, 0);
  const right = schemaOf(env, 1);
  const output = env.outputs[0];
  if (!output) throw new Error('The join has no output schema: its inputs were not validated.');
  const layout = joinLayout(
    { on: [...config.on], rightPrefix: config.rightPrefix },
    left.fields,
    right.fields,
    leading,
  );
  if ('clash' in layout) throw new Error(layout.clash);

  // Fields in the order of the output schema, each with where it comes from.
  const names = output.fields.map((f) => f.name);
  const width = names.length;
  const sides: number[] = [];
  const from: string[] = [];
  for (const name of names) {
    const source = layout.sources.find((s) => s.name === name);
    if (!source)
      throw new Error(`The join cannot say where its output field '${name}' comes from.`);
    sides.push(SIDES[source.side]);
    from.push(source.field);
  }
  // Names such as `constructor` must not be read from a record's prototype,
  // and `__proto__` must be written as a field, not as the prototype.
  const guarded = from.some((name) => name in Object.prototype) || names.includes('__proto__');

  const where =
    config.where === undefined ? undefined : compileChecked(config.where, output.fields, 'boolean');

  function build(lead: Row | null, l: Row, r: Row | null): Row {
    const out: Row = {};
    for (let f = 0; f < width; f++) {
      const side = sides[f]!;
      const record = side === LEFT ? l : side === RIGHT ? r : lead;
      const value =
        record === null ? undefined : guarded ? ownValue(record, from[f]!) : record[from[f]!];
      if (guarded) Object.defineProperty(out, names[f]!, fieldDescriptor(value ?? null));
      else out[names[f]!] = value ?? null;
    }
    return out;
  }

  function passes(joined: Row, context: OperatorContext): boolean {
    if (where === undefined) return true;
    try {
      return where(joined) === true;
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      context.error(joined, error.message);
      return false;
    }
  }

  return { build, passes };
}

function schemaOf(env: OperatorEnvironment, port: number): StreamSchema {
  const schema = env.inputs[port]?.[0];
  if (!schema)
    throw new Error(`The join's ${port === 0 ? 'left' : 'right'} input is not connected.`);
  return schema;
}

function ownValue(record: Row, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

function fieldDescriptor(value: unknown): PropertyDescriptor {
  return { value, enumerable: true, writable: true, configurable: true };
}
