import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, IN, OUT } from '../catalog/operator.js';
import { keyedBy } from '../catalog/parallel.js';
import { longerRetention } from '../catalog/state.js';
import { type Field, FieldNameSchema, fieldNameProblem, findField } from '../schema/field.js';
import { capitalize, checkFieldsExist, checkIdleRetention } from './checks.js';
import { ExpressionSchema, GroupBySchema, IdleRetentionSchema, streamOf } from './common.js';

const OrderTermSchema = Type.Object(
  {
    expr: ExpressionSchema({
      title: 'Value',
      description:
        'A field or expression to rank by: a number, text or timestamp (NULL ranks last)',
    }),
    direction: Type.Union(
      [
        Type.Literal('desc', { title: 'Descending (largest first)' }),
        Type.Literal('asc', { title: 'Ascending (smallest first)' }),
      ],
      { title: 'Direction' },
    ),
  },
  { additionalProperties: false },
);

const TopNConfig = Type.Object(
  {
    partitionBy: Defaulted(
      {
        ...GroupBySchema,
        title: 'Per key',
        description: 'Fields whose values form the key; one ranking per key (none: one ranking)',
      },
      [],
    ),
    orderBy: Type.Array(OrderTermSchema, {
      minItems: 1,
      maxItems: 16,
      title: 'Order by',
      description:
        'The ranking: by the first value, ties by the next; records equal in all of them rank in arrival order, the earlier first',
    }),
    n: Type.Integer({
      minimum: 1,
      maximum: 1000,
      title: 'N',
      description: 'How many records to keep per key: ranks 1 to N',
    }),
    rankField: Defaulted(
      {
        ...FieldNameSchema,
        title: 'Rank field',
        description: "The output field holding each record's rank, from 1",
      },
      'rank',
    ),
    retention: IdleRetentionSchema,
  },
  { additionalProperties: false },
);
export type TopNConfig = Static<typeof TopNConfig>;

export const transformTopN = defineOperator({
  kind: 'transform.topn',
  label: 'Top N',
  category: 'transform',
  description:
    'Keeps, per key, the N records that come first in an order, over all records so far, and emits each rank whose record changed: an update stream in which each row replaces the earlier row with the same key and rank.',
  icon: 'list-ordered',
  inputs: [IN],
  outputs: [OUT],
  config: TopNConfig,
  defaults: {
    partitionBy: [],
    orderBy: [{ expr: 'value', direction: 'desc' }],
    n: 10,
    rankField: 'rank',
  },
  parallel: keyedBy('partitionBy'),
  state: {
    holds: 'the records ranked so far, per key',
    keepsInputRecords: true,
    fields: {
      partitionBy: 'shapes',
      orderBy: 'shapes',
      n: 'shapes',
      rankField: 'free',
      retention: longerRetention('retention', 'idle keys'),
    },
  },
  infer({ config, inputs, expression, error }) {
    const input = inputs.in?.[0];
    let complete = checkIdleRetention(config.retention, input, error);
    if (!input) return undefined;
    if (!checkFieldsExist(config.partitionBy, 'partitionBy', 'rank per', input, error))
      complete = false;
    config.orderBy.forEach((term, i) => {
      const path = `orderBy[${i}].expr`;
      const { type } = expression(path, term.expr, input.fields);
      if (type === undefined) {
        complete = false;
      } else if (type === 'boolean' || type === 'null') {
        complete = false;
        error(
          path,
          'config.order-type',
          `Cannot order by ${type === 'null' ? 'NULL' : 'a boolean'}: order by a number, text or timestamp.`,
        );
      }
    });
    const rankField = config.rankField;
    const problem = fieldNameProblem(rankField);
    if (problem) {
      complete = false;
      error('rankField', 'config.field-name', `${capitalize(problem)}.`);
    } else if (findField(input.fields, rankField)) {
      complete = false;
      error(
        'rankField',
        'config.duplicate-field',
        `The input already has a field '${rankField}': give the rank field another name.`,
      );
    }
    if (!complete) return undefined;
    const fields: Field[] = [...input.fields, { name: rankField, type: 'long' }];
    // No timeField: a row that moved down a rank is emitted at the time of the change, not its own.
    return { out: streamOf(fields, input.time) };
  },
});
