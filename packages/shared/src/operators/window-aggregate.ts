import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, IN, type InferContext, OUT } from '../catalog/operator.js';
import { keyedBy } from '../catalog/parallel.js';
import { longerRetention } from '../catalog/state.js';
import { DurationSchema } from '../schema/duration.js';
import {
  type Field,
  FieldNameSchema,
  type FieldType,
  fieldNameProblem,
  findField,
  isNumericType,
  type StreamSchema,
} from '../schema/field.js';
import { aggregatesMigration } from './aggregate-state.js';
import { capitalize } from './checks.js';
import { ExpressionSchema, GroupBySchema, streamOf } from './common.js';
import { checkEventTimeInput, checkWindow, TimeModeSchema, WindowSchema } from './windows.js';

export const AggregateSchema = Type.Object(
  {
    name: FieldNameSchema,
    fn: Type.Union(
      [
        Type.Literal('count'),
        Type.Literal('count_distinct'),
        Type.Literal('sum'),
        Type.Literal('avg'),
        Type.Literal('min'),
        Type.Literal('max'),
        Type.Literal('first'),
        Type.Literal('last'),
      ],
      { title: 'Function' },
    ),
    expr: Type.Optional(
      ExpressionSchema({
        title: 'Of',
        description: 'The value to aggregate; count without it counts records',
      }),
    ),
    where: Type.Optional(
      ExpressionSchema({
        title: 'Only where',
        description: 'Aggregate only the records for which this is true (SQL FILTER)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const AggregatesSchema = Type.Array(AggregateSchema, {
  minItems: 1,
  maxItems: 100,
  title: 'Aggregates',
});

const WindowAggregateConfig = Type.Object(
  {
    window: WindowSchema,
    time: Defaulted(TimeModeSchema, 'event'),
    groupBy: Defaulted(GroupBySchema, []),
    aggregates: AggregatesSchema,
    allowedLateness: Type.Optional(
      DurationSchema({
        title: 'Allowed lateness',
        description:
          'Keep each window this long after it fires; late records update it and it fires again',
      }),
    ),
  },
  { additionalProperties: false },
);
export type WindowAggregateConfig = Static<typeof WindowAggregateConfig>;
export type AggregateConfig = Static<typeof AggregateSchema>;
export type AggregateFunction = AggregateConfig['fn'];
export const AGGREGATE_FUNCTIONS: readonly AggregateFunction[] =
  AggregateSchema.properties.fn.anyOf.map((literal) => literal.const);

/** The result type of an aggregate over values of `type`, or why it has none. */
export function aggregateType(
  fn: AggregateFunction,
  type: FieldType | undefined,
): { type: FieldType } | { problem: string } {
  const of = type ? `a ${type}` : 'NULL';
  switch (fn) {
    case 'count':
    case 'count_distinct':
      return { type: 'long' };
    case 'sum':
      return type && isNumericType(type) ? { type } : { problem: `sum needs a number, not ${of}` };
    case 'avg':
      return type && isNumericType(type)
        ? { type: 'double' }
        : { problem: `avg needs a number, not ${of}` };
    case 'min':
    case 'max':
      return type && type !== 'boolean'
        ? { type }
        : { problem: `${fn} needs a number, text or timestamp, not ${of}` };
    default:
      return { type: type ?? 'string' };
  }
}

export const windowAggregate = defineOperator({
  kind: 'window.aggregate',
  label: 'Window aggregate',
  category: 'window',
  description:
    'Groups records into tumbling, hopping or session windows per key and aggregates each window. Late records leave by the late port.',
  icon: 'chart-column',
  inputs: [IN],
  outputs: [OUT, { name: 'late', label: 'late', optional: true }],
  config: WindowAggregateConfig,
  defaults: {
    window: { type: 'tumbling', size: '1m' },
    groupBy: [],
    aggregates: [{ name: 'records', fn: 'count' }],
  },
  parallel: keyedBy('groupBy'),
  state: {
    holds: 'its open windows and their aggregates, per key',
    fields: {
      window: 'shapes',
      time: 'shapes',
      groupBy: 'shapes',
      aggregates: aggregatesMigration('in the windows open now'),
      allowedLateness: longerRetention('allowedLateness', 'windows that fired'),
    },
  },
  infer({ config, inputs, expression, error }) {
    checkWindow(config.window, error);
    const input = inputs.in?.[0];
    if (!input) return undefined;
    const eventTime = config.time === 'event';
    if (eventTime && !checkEventTimeInput(input, 'in', error)) return undefined;

    const fields = aggregateFields(
      { expression, error },
      input,
      config.groupBy,
      config.aggregates,
      [
        { field: { name: 'window_start', type: 'timestamp' }, path: 'window' },
        { field: { name: 'window_end', type: 'timestamp' }, path: 'window' },
      ],
    );
    if (!fields) return undefined;
    return {
      out: streamOf(fields, eventTime ? 'event' : 'processing'),
      late: input,
    };
  },
});

/**
 * The output fields of an aggregating operator: the group-by fields, then
 * `between` (a window's bounds), then one field per aggregate. Undefined,
 * after reporting why, when they cannot all be known.
 */
export function aggregateFields(
  { expression, error }: Pick<InferContext<unknown>, 'expression' | 'error'>,
  input: StreamSchema,
  groupBy: readonly string[],
  aggregates: readonly AggregateConfig[],
  between: readonly { field: Field; path: string }[] = [],
): Field[] | undefined {
  const fields: Field[] = [];
  const names = new Set<string>();
  const add = (field: Field, path: string) => {
    if (names.has(field.name)) {
      error(
        path,
        'config.duplicate-field',
        `The output already has a field '${field.name}': give this one another name.`,
      );
    }
    names.add(field.name);
    fields.push(field);
  };
  groupBy.forEach((name, i) => {
    const field = findField(input.fields, name);
    if (!field) {
      error(
        `groupBy[${i}]`,
        'config.unknown-field',
        `Cannot group by '${name}': there is no such field. Fields here: ${input.fields.map((f) => f.name).join(', ')}.`,
      );
    } else add(field, `groupBy[${i}]`);
  });
  for (const { field, path } of between) add(field, path);

  let complete = fields.length === groupBy.length + between.length;
  // The type an aggregate produces, or undefined after reporting why it has none.
  const typeOf = (agg: AggregateConfig, path: string): FieldType | undefined => {
    if (agg.where !== undefined) expression(`${path}.where`, agg.where, input.fields, 'boolean');
    let argType: FieldType | undefined;
    if (agg.expr !== undefined) {
      const checked = expression(`${path}.expr`, agg.expr, input.fields);
      if (!checked.type) return undefined;
      argType = checked.type === 'null' ? undefined : checked.type;
    } else if (agg.fn !== 'count') {
      error(
        `${path}.expr`,
        'config.aggregate-argument',
        `${agg.fn} needs a value to aggregate: fill in 'Of'.`,
      );
      return undefined;
    }
    const result = aggregateType(agg.fn, argType);
    if ('type' in result) return result.type;
    error(`${path}.fn`, 'config.aggregate-type', `Aggregate '${agg.name}': ${result.problem}.`);
    return undefined;
  };
  for (const [i, agg] of aggregates.entries()) {
    // The schema's pattern lets reserved names such as `constructor` through.
    const problem = fieldNameProblem(agg.name);
    if (problem) {
      error(`aggregates[${i}].name`, 'config.field-name', `${capitalize(problem)}.`);
      complete = false;
      continue;
    }
    const type = typeOf(agg, `aggregates[${i}]`);
    if (type) add({ name: agg.name, type }, `aggregates[${i}].name`);
    else complete = false;
  }
  return complete ? fields : undefined;
}
