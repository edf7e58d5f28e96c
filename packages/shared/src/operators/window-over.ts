import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, IN, OUT } from '../catalog/operator.js';
import { keyedBy } from '../catalog/parallel.js';
import { DurationSchema, parseDuration } from '../schema/duration.js';
import { checkFieldsExist } from './checks.js';
import { GroupBySchema, streamOf } from './common.js';
import { AggregatesSchema, aggregateFields } from './window-aggregate.js';

/** The most rows a ROWS frame reaches back: each record aggregates its frame anew. */
export const MAX_OVER_ROWS = 10_000;

const FrameSchema = Type.Union(
  [
    Type.Object(
      {
        type: Type.Literal('rows'),
        preceding: Type.Integer({
          minimum: 0,
          maximum: MAX_OVER_ROWS,
          title: 'Rows before',
          description:
            'How many of the key’s earlier records, with the record itself: ROWS BETWEEN n PRECEDING AND CURRENT ROW',
        }),
      },
      { additionalProperties: false, title: 'The last rows' },
    ),
    Type.Object(
      {
        type: Type.Literal('range'),
        preceding: DurationSchema({
          title: 'Time before',
          description:
            'The key’s records this long before the record, in event time, with the record and those of the same time: RANGE BETWEEN INTERVAL d PRECEDING AND CURRENT ROW',
        }),
      },
      { additionalProperties: false, title: 'The last stretch of time' },
    ),
  ],
  { title: 'Frame', description: 'Which of the key’s records each record is aggregated with' },
);

const OverConfig = Type.Object(
  {
    partitionBy: Defaulted(
      {
        ...GroupBySchema,
        title: 'Partition by',
        description: 'Fields whose values form the key; each record is aggregated with its key’s',
      },
      [],
    ),
    frame: FrameSchema,
    aggregates: AggregatesSchema,
  },
  { additionalProperties: false },
);
export type OverConfig = Static<typeof OverConfig>;

export const windowOver = defineOperator({
  kind: 'window.over',
  label: 'OVER window',
  category: 'window',
  description:
    'Adds to each record aggregates over its key’s records before it (the last N, or the last stretch of event time) and itself, as SQL’s OVER (PARTITION BY … ORDER BY time …). In event time a record leaves once the watermark has passed it, in time order per key; late records leave by the late port.',
  icon: 'align-end-vertical',
  inputs: [IN],
  outputs: [OUT, { name: 'late', label: 'late', optional: true }],
  config: OverConfig,
  defaults: {
    partitionBy: [],
    frame: { type: 'rows', preceding: 9 },
    aggregates: [{ name: 'avg_value', fn: 'avg', expr: 'value' }],
  },
  parallel: keyedBy('partitionBy'),
  state: {
    holds: 'per key, the records waiting for the watermark and those its frame reaches back to',
    fields: {
      partitionBy: 'shapes',
      frame: 'shapes',
      // The records held keep each aggregate's value: another list of aggregates starts afresh.
      aggregates: 'shapes',
    },
  },
  infer({ config, inputs, expression, error }) {
    const input = inputs.in?.[0];
    if (config.frame.type === 'range' && parseDuration(config.frame.preceding) === undefined)
      error('frame.preceding', 'config.duration', `'${config.frame.preceding}' is not a duration.`);
    if (!input) return undefined;
    if (!checkFieldsExist(config.partitionBy, 'partitionBy', 'partition by', input, error))
      return undefined;
    if (config.frame.type === 'range' && input.time !== 'event')
      error(
        'frame',
        'config.over-range-time',
        'A frame of time reaches back in event time, and this input has none: give its source event time, or use a frame of rows.',
      );
    const added = aggregateFields({ expression, error }, input, [], config.aggregates);
    if (!added) return undefined;
    let clash = false;
    config.aggregates.forEach((a, i) => {
      if (!input.fields.some((f) => f.name === a.name)) return;
      clash = true;
      error(
        `aggregates[${i}].name`,
        'config.duplicate-field',
        `The input already has a field '${a.name}': give this aggregate another name.`,
      );
    });
    if (clash) return undefined;
    return {
      out: streamOf([...input.fields, ...added], input.time, input.timeField),
      late: input,
    };
  },
});
