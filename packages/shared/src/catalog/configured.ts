// A config as the engine receives it. The engine fills in the schema's
// defaults once per job (TypeBox's `Value.Default`), so an optional field with
// a default is always there: `Configured` says so in the type, and no runtime
// repeats the default. A default is declared with `Defaulted`, which puts it
// in the schema and in the schema's type alike. A limit that is unbounded
// when left out is declared with `Unbounded`: the engine gets +Infinity, a
// value JSON cannot hold, so the schema marks the field instead.
import {
  type Static,
  type TArray,
  type TInteger,
  type TNumber,
  type TObject,
  type TOptional,
  type TProperties,
  type TSchema,
  type TUnion,
  Type,
} from 'typebox';
import { Value } from 'typebox/value';
import type { OperatorDefinition } from './operator.js';

/** An optional config field that takes `value` when left out (the form shows it; the engine gets it filled in). */
export function Defaulted<S extends TSchema, const V extends Static<S>>(
  schema: S,
  value: V,
): TOptional<S & { default: V }> {
  return Type.Optional(Type.With(schema, { default: value })) as TOptional<S & { default: V }>;
}

const UNBOUNDED = 'x-sluice-unbounded';

/** An optional limit that is +Infinity when left out (the form leaves it empty; the engine gets +Infinity). */
export function Unbounded<S extends TInteger | TNumber>(
  schema: S,
): TOptional<S & { [UNBOUNDED]: true }> {
  return Type.Optional(Type.With(schema, { [UNBOUNDED]: true })) as TOptional<
    S & { [UNBOUNDED]: true }
  >;
}

/** The type of a config of schema `S` once its defaults are filled in. */
export type Configured<S extends TSchema> =
  S extends TObject<infer P extends TProperties>
    ? ConfiguredObject<P>
    : S extends TArray<infer I extends TSchema>
      ? Configured<I>[]
      : S extends TUnion<infer T extends TSchema[]>
        ? { [K in keyof T]: Configured<T[K]> }[number]
        : Static<S>;

/** Optional, without a default and not `Unbounded`: may still be missing once defaults are filled in. */
type MayBeMissing<S> =
  S extends TOptional<TSchema>
    ? S extends { default: unknown } | { [UNBOUNDED]: true }
      ? false
      : true
    : false;

type ConfiguredObject<P extends TProperties> = Evaluate<
  { [K in keyof P as MayBeMissing<P[K]> extends true ? K : never]?: Configured<P[K]> } & {
    [K in keyof P as MayBeMissing<P[K]> extends true ? never : K]: Configured<P[K]>;
  }
>;

/** The config a runtime of declaration `D` receives. */
export type ConfigOf<D> = D extends OperatorDefinition<infer C> ? Configured<C> : never;

/**
 * A node's config with its kind's defaults filled in, for a config that has
 * passed validation (what `Configured` promises holds only for those). The
 * node's own config is left as written: the defaults go on a copy.
 */
export function withDefaults<D extends OperatorDefinition>(
  declaration: D,
  config: unknown,
): ConfigOf<D> {
  const filled = Value.Default(declaration.config, Value.Clone(config ?? {}));
  fillUnbounded(declaration.config, filled);
  return filled as ConfigOf<D>;
}

/**
 * Sets the left-out `Unbounded` fields to +Infinity, in the object's own
 * properties and in nested objects (not yet inside arrays or unions: no kind
 * declares one there, and `Unbounded` refuses nothing that would tell).
 */
function fillUnbounded(schema: TSchema, value: unknown): void {
  if (!Type.IsObject(schema) || typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [name, property] of Object.entries(schema.properties as TProperties)) {
    if ((property as Record<string, unknown>)[UNBOUNDED] === true) {
      record[name] ??= Number.POSITIVE_INFINITY;
    } else {
      fillUnbounded(property, record[name]);
    }
  }
}

type Evaluate<T> = { [K in keyof T]: T[K] } & {};
