import { Type } from 'typebox';
import { defineOperator, IN, OUT } from '../catalog/operator.js';
import { passesFields } from '../catalog/parallel.js';
import { stateless } from '../catalog/state.js';
import { ExpressionSchema } from './common.js';

export const transformFilter = defineOperator({
  kind: 'transform.filter',
  label: 'Filter',
  category: 'transform',
  description: 'Keeps the records for which a condition is true (NULL counts as false).',
  icon: 'filter',
  inputs: [IN],
  outputs: [OUT],
  config: Type.Object(
    {
      where: ExpressionSchema({
        title: 'Keep records where',
        description: "A SQL condition, e.g. amount > 100 AND country <> 'XX'",
      }),
    },
    { additionalProperties: false },
  ),
  defaults: { where: 'TRUE' },
  parallel: passesFields(),
  state: stateless({ where: 'free' }),
  infer({ config, inputs, expression }) {
    const input = inputs.in?.[0];
    if (!input) return undefined;
    expression('where', config.where, input.fields, 'boolean');
    return { out: input };
  },
});
