import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { sinkPreview } from '../operators/sinks.js';
import { sourceDatagen } from '../operators/source-datagen.js';
import { sourceFile } from '../operators/source-file.js';
import { OPERATORS } from './catalog.js';
import { withDefaults } from './configured.js';

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
      expect(Value.Check(op.config, withDefaults(op, op.defaults))).toBe(true);
    },
  );
});
