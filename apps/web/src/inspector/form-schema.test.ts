import { describe, expect, it } from 'vitest';
import { testCatalog } from '../testing/fixtures.js';
import { configErrors, configSegments, formSchema, uiSchemaFor } from './form-schema.js';
import { configPath } from './input-fields.js';

describe('the config form', () => {
  it.each(['source.file', 'sink.file', 'source.kafka', 'sink.kafka'])(
    'shows the CSV options of %s only while its format is CSV',
    (kind) => {
      const schema = testCatalog().byKind.get(kind)!.config;
      const json = kind.includes('kafka') ? 'json' : 'jsonl';
      expect(uiSchemaFor(schema, { format: json }).csv).toEqual({ 'ui:field': 'hidden' });
      expect(uiSchemaFor(schema, { format: 'csv' }).csv).toBeUndefined();
    },
  );

  it('names the fields widget where the schema asks for it', () => {
    const schema = testCatalog().byKind.get('window.aggregate')!.config;
    expect(uiSchemaFor(schema)).toMatchObject({ groupBy: { 'ui:widget': 'fields' } });
  });

  it('heads each object of a list with its name and place, and names a union option once', () => {
    const schema = testCatalog().byKind.get('window.aggregate')!.config;
    const ui = uiSchemaFor(schema);
    const items = ui.aggregates.items as (item: unknown, index: number) => Record<string, unknown>;
    expect(items({}, 0)['ui:title']).toBe('Aggregate 1');
    expect(items({}, 2)['ui:title']).toBe('Aggregate 3');
    expect(ui.window.anyOf.map((o: Record<string, unknown>) => o['ui:options'])).toEqual([
      { label: false },
      { label: false },
      { label: false },
    ]);
  });

  it('shows the titles of titled constants, and plain constants as they are', () => {
    const schema = formSchema({
      type: 'object',
      properties: {
        time: { anyOf: [{ const: 'event', title: 'Event time' }, { const: 'processing' }] },
        fn: { anyOf: [{ const: 'count' }, { const: 'sum' }] },
      },
    });
    expect(schema.properties.time).toEqual({
      type: 'string',
      oneOf: [
        { const: 'event', title: 'Event time' },
        { const: 'processing', title: 'processing' },
      ],
    });
    expect(schema.properties.fn).toEqual({ type: 'string', enum: ['count', 'sum'] });
  });

  it('places diagnostics on the field they are about', () => {
    expect(configSegments('nodes[2].config.aggregates[1].expr', 2)).toEqual([
      'aggregates',
      1,
      'expr',
    ]);
    expect(configSegments('nodes[2].config', 2)).toEqual([]);
    expect(configSegments('nodes[3].config.x', 2)).toBeUndefined();
    expect(
      configErrors(
        [
          {
            severity: 'error',
            code: 'config.invalid',
            message: 'Size is wrong',
            path: 'nodes[0].config.window.size',
          },
          {
            severity: 'error',
            code: 'expression.syntax',
            message: 'shown in the editor',
            path: 'nodes[0].config.where',
          },
          {
            severity: 'error',
            code: 'expression.type-mismatch',
            message: 'must be boolean',
            path: 'nodes[0].config.where',
          },
          { severity: 'warning', code: 'node.output-unused', message: 'unused', path: 'nodes[0]' },
        ],
        0,
      ),
    ).toEqual({
      window: { size: { __errors: ['Size is wrong'] } },
      where: { __errors: ['must be boolean'] },
    });
  });

  it('reads a widget id back as a config path', () => {
    expect(configPath('cfg.aggregates.0.expr')).toBe('aggregates[0].expr');
  });
});
