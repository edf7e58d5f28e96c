import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, IN, OUT } from '../catalog/operator.js';
import { keyedBy } from '../catalog/parallel.js';
import { longerRetention } from '../catalog/state.js';
import { FieldNameSchema } from '../schema/field.js';
import { aggregatesMigration } from './aggregate-state.js';
import { checkFieldsExist, checkIdleRetention } from './checks.js';
import { GroupBySchema, IdleRetentionSchema, streamOf } from './common.js';
import { type AggregateFunction, AggregatesSchema, aggregateFields } from './window-aggregate.js';

const RunningAggregateConfig = Type.Object(
  {
    // The shared description speaks of windows.
    groupBy: Defaulted(
      {
        ...GroupBySchema,
        description: 'Fields whose values form the key; one running result per key',
      },
      [],
    ),
    aggregates: AggregatesSchema,
    retention: IdleRetentionSchema,
    updateKey: Type.Optional(
      Type.Array(FieldNameSchema, {
        minItems: 1,
        maxItems: 32,
        uniqueItems: true,
        title: 'Input updates keyed by',
        description:
          'A record replaces the earlier record with the same values in these fields: its contribution is taken back first',
        'x-sluice-widget': 'fields',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RunningAggregateConfig = Static<typeof RunningAggregateConfig>;

/** The functions whose accumulators can take a value back when an input record is replaced. */
const RETRACTABLE: readonly AggregateFunction[] = ['count', 'sum', 'avg'];

export const transformAggregate = defineOperator({
  kind: 'transform.aggregate',
  label: 'Running aggregate',
  category: 'transform',
  description:
    "Aggregates each key over all its records so far, without windows, and emits the key's new result as records arrive: an update stream in which each row replaces the earlier row with the same key.",
  icon: 'sigma',
  inputs: [IN],
  outputs: [OUT],
  config: RunningAggregateConfig,
  defaults: {
    groupBy: [],
    aggregates: [{ name: 'records', fn: 'count' }],
  },
  parallel: keyedBy('groupBy'),
  state: {
    holds: 'the running aggregates of every key so far',
    fields: {
      groupBy: 'shapes',
      aggregates: aggregatesMigration<RunningAggregateConfig>(
        'for the keys seen so far (it counts from the upgrade on)',
        (config) => config.updateKey === undefined,
        'with Input updates keyed by, anything but a rename: dropped',
      ),
      retention: longerRetention('retention', 'idle keys'),
      updateKey: 'shapes',
    },
  },
  infer({ config, inputs, expression, error }) {
    if (config.updateKey !== undefined) {
      config.aggregates.forEach((agg, i) => {
        if (RETRACTABLE.includes(agg.fn)) return;
        error(
          `aggregates[${i}].fn`,
          'config.aggregate-retract',
          `${agg.fn} cannot take back a replaced value: with 'Input updates keyed by', aggregate '${agg.name}' can use count, sum or avg.`,
        );
      });
    }
    const input = inputs.in?.[0];
    let complete = checkIdleRetention(config.retention, input, error);
    if (!input) return undefined;
    if (!checkFieldsExist(config.updateKey ?? [], 'updateKey', 'key updates by', input, error))
      complete = false;
    const fields = aggregateFields({ expression, error }, input, config.groupBy, config.aggregates);
    if (!fields || !complete) return undefined;
    return { out: streamOf(fields, input.time) };
  },
});
