// Builds a join's output records as `joinLayout` from @sluice/shared names
// them, and checks the optional `where` condition on each joined record.
import type {
  Field,
  joinInterval,
  joinRegular,
  joinWindow,
  StreamSchema,
  TypedExpr,
} from '@sluice/shared';
import { joinLayout } from '@sluice/shared';
import type { Row } from '../../batch.js';
import { compileExpression, ExpressionError } from '../../expression/index.js';
import type { EnvironmentOf, OperatorContext } from '../../operator.js';
import { checkedExpression } from '../compile.js';

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
   * The output record of a pair if it passes `where` (TRUE only; NULL is
   * false), else undefined. A bad value sends the record to the error output,
   * and the pair does not match. `where` is checked before the record is
   * built, on the fields it reads, so pairs that fail cost no record.
   */
  match(
    leading: Row | null,
    left: Row,
    right: Row | null,
    context: Pick<OperatorContext, 'error'>,
  ): Row | undefined;
}

/** The environment of any join kind: they share `on`, `where` and `rightPrefix`. */
type JoinEnvironment = Pick<
  EnvironmentOf<typeof joinWindow | typeof joinInterval | typeof joinRegular>,
  'config' | 'inputs' | 'outputs'
>;

export function joinedRows(env: JoinEnvironment, leading: readonly Field[] = []): JoinedRows {
  const { config } = env;
  const left = schemaOf(env, 0);
  const right = schemaOf(env, 1);
  const output = env.outputs[0];
  if (!output) throw new Error('The join has no output schema: its inputs were not validated.');
  const layout = joinLayout(config, left.fields, right.fields, leading);
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

  const checked =
    config.where === undefined
      ? undefined
      : checkedExpression(config.where, output.fields, 'boolean');
  const where = checked ? compileExpression(checked) : undefined;
  // The fields `where` reads, filled per pair into one scratch record. With a
  // guarded name the scratch would need property definitions: build instead.
  const read = checked && !guarded ? fieldsReadBy(checked, names) : undefined;
  const scratch: Row = {};
  if (read) for (const f of read) scratch[names[f]!] = null;

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

  function match(
    lead: Row | null,
    l: Row,
    r: Row | null,
    context: Pick<OperatorContext, 'error'>,
  ): Row | undefined {
    if (where === undefined) return build(lead, l, r);
    let subject = scratch;
    if (read) {
      for (const f of read) {
        const side = sides[f]!;
        const record = side === LEFT ? l : side === RIGHT ? r : lead;
        scratch[names[f]!] = record === null ? null : (record[from[f]!] ?? null);
      }
    } else subject = build(lead, l, r);
    try {
      if (where(subject) !== true) return undefined;
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      context.error(subject === scratch ? build(lead, l, r) : subject, error.message);
      return undefined;
    }
    return subject === scratch ? build(lead, l, r) : subject;
  }

  return { build, match };
}

/** The positions in `names` of the fields an expression reads, each once. */
function fieldsReadBy(expr: TypedExpr, names: readonly string[]): number[] {
  const found = new Set<number>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
    } else if (node !== null && typeof node === 'object') {
      const n = node as { kind?: unknown; name?: unknown };
      if (n.kind === 'field' && typeof n.name === 'string') {
        const at = names.indexOf(n.name);
        if (at >= 0) found.add(at);
      }
      for (const child of Object.values(node)) visit(child);
    }
  };
  visit(expr);
  return [...found];
}

function schemaOf(env: JoinEnvironment, port: number): StreamSchema {
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
