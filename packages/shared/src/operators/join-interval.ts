import { type Static, Type } from 'typebox';
import { defineOperator, OUT } from '../catalog/operator.js';
import { parseDuration, SignedDurationSchema } from '../schema/duration.js';
import { streamOf } from './common.js';
import { JoinBaseConfig, joinFields } from './join-fields.js';
import { checkEventTimeInput } from './windows.js';

const IntervalJoinConfig = Type.Object(
  {
    lower: SignedDurationSchema({
      title: 'From',
      description: "Earliest right time, relative to the left record's time, e.g. -5s",
    }),
    upper: SignedDurationSchema({
      title: 'To',
      description: "Latest right time, relative to the left record's time, e.g. 10s",
    }),
    ...JoinBaseConfig,
  },
  { additionalProperties: false },
);
export type IntervalJoinConfig = Static<typeof IntervalJoinConfig>;

export const joinInterval = defineOperator({
  kind: 'join.interval',
  label: 'Interval join',
  category: 'join',
  description:
    "Joins records with equal keys where the right record's event time lies within [from, to] of the left record's.",
  icon: 'between-horizontal-start',
  inputs: [
    { name: 'left', label: 'left' },
    { name: 'right', label: 'right' },
  ],
  outputs: [OUT],
  config: IntervalJoinConfig,
  defaults: { lower: '-5s', upper: '5s', on: [{ left: 'id', right: 'id' }] },
  parallel: {
    runs: 'by-key',
    keys: (config) => ({
      left: config.on.map((pair) => pair.left),
      right: config.on.map((pair) => pair.right),
    }),
    // Left fields keep their names in the output, so a left key stays the partitioning.
    carries: (config, field) => (config.on.some((pair) => pair.left === field) ? field : undefined),
  },
  state: {
    holds: 'the records kept on both sides to meet later ones',
    keepsInputRecords: true,
    fields: { lower: 'shapes', upper: 'shapes', on: 'shapes', where: 'free', rightPrefix: 'free' },
  },
  infer(context) {
    const { config, error } = context;
    const lower = parseDuration(config.lower) ?? 0;
    const upper = parseDuration(config.upper) ?? 0;
    if (lower > upper) {
      error(
        'upper',
        'config.interval',
        `'To' (${config.upper}) must not be before 'From' (${config.lower}).`,
      );
    }
    const left = context.inputs.left?.[0];
    const right = context.inputs.right?.[0];
    if (!left || !right) return undefined;
    if (!checkEventTimeInput(left, 'left', error)) return undefined;
    if (!checkEventTimeInput(right, 'right', error)) return undefined;
    const fields = joinFields(context, left, right);
    return fields && { out: streamOf(fields, 'event') };
  },
});
