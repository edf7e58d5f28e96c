import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { sinkPreview } from '../operators/sinks.js';
import { sourceDatagen } from '../operators/source-datagen.js';
import { sourceFile } from '../operators/source-file.js';
import type { sourceNexmark } from '../operators/source-nexmark.js';
import { OPERATORS } from './catalog.js';
import { type ConfigOf, Defaulted, Unbounded, withDefaults } from './configured.js';
import { defineOperator, OUT } from './operator.js';

describe('withDefaults', () => {
  it('fills in a left-out field with its declared default', () => {
    expect(withDefaults(sinkPreview, {}).capacity).toBe(200);
    expect(withDefaults(sinkPreview, undefined).capacity).toBe(200);
    expect(withDefaults(sinkPreview, { capacity: 5 }).capacity).toBe(5);
  });

  it('fills in nested objects, and fields of the union member a value is', () => {
    const config = withDefaults(sourceDatagen, {
      fields: [
        { name: 'id', type: 'long', generator: { kind: 'sequence', step: 2 } },
        { name: 's', type: 'string', generator: { kind: 'text' } },
      ],
    });
    expect(config.seed).toBe(42);
    expect(config.fields.map((f) => [f.nullRate, f.generator])).toEqual([
      [0, { kind: 'sequence', start: 0, step: 2 }],
      [0, { kind: 'text', length: 8 }],
    ]);
    const file = withDefaults(sourceFile, { path: 'a.csv', format: 'csv', schema: [] });
    expect(file.csv).toEqual({ delimiter: ',', header: true });
  });

  it('leaves the config it was given as written', () => {
    const given = { path: 'a.csv', format: 'csv', schema: [], csv: { delimiter: ';' } };
    const copy = structuredClone(given);
    expect(withDefaults(sourceFile, given).csv).toEqual({ delimiter: ';', header: true });
    expect(given).toEqual(copy);
  });

  it.each(OPERATORS.map((op) => [op.kind, op] as const))(
    "gives %s's palette config, defaults filled in, that still passes its schema",
    (_kind, op) => {
      // Left-out Unbounded fields hold +Infinity, which no document can: everything else passes.
      const filled = JSON.parse(
        JSON.stringify(withDefaults(op, op.defaults), (_key, value) =>
          value === Number.POSITIVE_INFINITY ? undefined : value,
        ),
      );
      expect(Value.Check(op.config, filled)).toBe(true);
    },
  );
});

describe('Unbounded', () => {
  const limited = defineOperator({
    kind: 'test.limited',
    label: 'Limited',
    category: 'source',
    description: 'A limit at the top and one nested.',
    icon: 'box',
    inputs: [],
    outputs: [OUT],
    config: Type.Object({
      count: Unbounded(Type.Integer({ minimum: 1 })),
      inner: Defaulted(Type.Object({ rate: Unbounded(Type.Number()) }), {}),
    }),
    defaults: {},
    state: { holds: null, fields: { count: 'free', inner: 'free' } },
    parallel: { runs: 'alone', why: 'A test source' },
    infer: () => undefined,
  });

  it('gives +Infinity for a left-out limit, at the top and nested, and keeps a given one', () => {
    expect(withDefaults(limited, {})).toEqual({
      count: Number.POSITIVE_INFINITY,
      inner: { rate: Number.POSITIVE_INFINITY },
    });
    expect(withDefaults(limited, { count: 5, inner: { rate: 2 } })).toEqual({
      count: 5,
      inner: { rate: 2 },
    });
    expect(withDefaults(sourceDatagen, sourceDatagen.defaults).count).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('types the limit as always there, and puts no default in the JSON Schema', () => {
    expectTypeOf<ConfigOf<typeof limited>['count']>().toEqualTypeOf<number>();
    expectTypeOf<ConfigOf<typeof sourceDatagen>['count']>().toEqualTypeOf<number>();
    expectTypeOf<ConfigOf<typeof sourceNexmark>['count']>().toEqualTypeOf<number>();
    const count = JSON.parse(JSON.stringify(sourceDatagen.config)).properties.count;
    expect(count).not.toHaveProperty('default');
    expect(count).toMatchObject({ type: 'integer', 'x-sluice-unbounded': true });
    expect(sourceDatagen.config.required).not.toContain('count');
  });
});
