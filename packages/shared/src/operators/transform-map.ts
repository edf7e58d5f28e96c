import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, IN, OUT } from '../catalog/operator.js';
import { stateless } from '../catalog/state.js';
import { parseExpression } from '../expression/parser.js';
import type { Field } from '../schema/field.js';
import { FieldNameSchema } from '../schema/field.js';
import { checkUniqueFields } from './checks.js';
import { ExpressionSchema, streamOf } from './common.js';

const MapConfig = Type.Object(
  {
    fields: Type.Array(
      Type.Object(
        {
          name: FieldNameSchema,
          expr: ExpressionSchema({ title: 'Expression', description: 'e.g. amount * 0.908' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500, title: 'Computed fields' },
    ),
    keepInput: Defaulted(
      Type.Boolean({
        title: 'Keep input fields',
        description:
          'Pass the input fields through too; a computed field with the same name replaces one',
      }),
      false,
    ),
  },
  { additionalProperties: false },
);
export type MapConfig = Static<typeof MapConfig>;

/**
 * The output field holding an input field unchanged: the first computed
 * field that is just that field, else the field itself when input fields
 * pass through and no computed field takes its name.
 */
function mapCarries(config: MapConfig, field: string): string | undefined {
  const bare = config.fields.find((f) => {
    const parsed = parseExpression(f.expr);
    return parsed.expr?.kind === 'field' && parsed.expr.name === field;
  });
  if (bare) return bare.name;
  return config.keepInput && !config.fields.some((f) => f.name === field) ? field : undefined;
}

export const transformMap = defineOperator({
  kind: 'transform.map',
  label: 'Compute fields',
  category: 'transform',
  description: 'Computes fields from SQL expressions, optionally keeping the input fields.',
  icon: 'calculator',
  inputs: [IN],
  outputs: [OUT],
  config: MapConfig,
  defaults: { fields: [{ name: 'value', expr: 'value' }], keepInput: true },
  parallel: { runs: 'per-record', carries: mapCarries },
  state: stateless({ fields: 'free', keepInput: 'free' }),
  infer({ config, inputs, expression, error }) {
    const input = inputs.in?.[0];
    const computed: Field[] = [];
    config.fields.forEach((f, i) => {
      const checked = input ? expression(`fields[${i}].expr`, f.expr, input.fields) : undefined;
      // A bare NULL has no type of its own; it becomes a nullable string.
      const type = checked?.type === 'null' ? 'string' : checked?.type;
      if (type) computed.push({ name: f.name, type });
    });
    checkUniqueFields(
      config.fields.map((f) => ({ name: f.name, type: 'string' })),
      'fields',
      error,
    );
    if (!input || computed.length !== config.fields.length) return undefined;
    // Event time travels with each record, so it survives a projection.
    if (!config.keepInput) return { out: streamOf(computed, input.time) };
    const byName = new Map(computed.map((f) => [f.name, f]));
    const fields = input.fields.map((f) => byName.get(f.name) ?? f);
    for (const f of computed) if (!input.fields.some((g) => g.name === f.name)) fields.push(f);
    const timeKept = input.timeField !== undefined && !byName.has(input.timeField);
    return { out: streamOf(fields, input.time, timeKept ? input.timeField : undefined) };
  },
});
