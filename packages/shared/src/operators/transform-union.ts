import { Type } from 'typebox';
import { defineOperator, OUT } from '../catalog/operator.js';
import { passesFields } from '../catalog/parallel.js';
import { stateless } from '../catalog/state.js';
import type { StreamSchema } from '../schema/field.js';
import { streamOf } from './common.js';

function describe(schema: StreamSchema): string {
  return schema.fields.map((f) => `${f.name} ${f.type}`).join(', ');
}

export const transformUnion = defineOperator({
  kind: 'transform.union',
  label: 'Union',
  category: 'transform',
  description:
    'Merges streams with the same fields into one. The watermark is the smallest of the inputs.',
  icon: 'merge',
  inputs: [{ name: 'in', label: 'in', multiple: true }],
  outputs: [OUT],
  config: Type.Object({}, { additionalProperties: false }),
  defaults: {},
  parallel: passesFields(),
  state: stateless({}),
  infer({ inputs, error }) {
    const streams = inputs.in ?? [];
    const first = streams[0];
    if (!first) return undefined;
    for (const other of streams.slice(1)) {
      if (describe(other) !== describe(first)) {
        error(
          undefined,
          'union.schema-mismatch',
          `All inputs of a union need the same fields in the same order. One brings (${describe(first)}), another (${describe(other)}). Add a Compute fields node to line them up.`,
        );
        return undefined;
      }
    }
    const time = streams.every((s) => s.time === 'event') ? 'event' : 'processing';
    const timeField = streams.every((s) => s.timeField === first.timeField)
      ? first.timeField
      : undefined;
    return { out: streamOf(first.fields, time, timeField) };
  },
});
