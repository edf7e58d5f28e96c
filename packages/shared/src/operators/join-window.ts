import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, OUT } from '../catalog/operator.js';
import { streamOf } from './common.js';
import { JoinBaseConfig, joinFields } from './join-fields.js';
import { checkEventTimeInput, checkWindow, TumblingSchema } from './windows.js';

const WindowJoinConfig = Type.Object(
  {
    window: TumblingSchema,
    type: Defaulted(
      Type.Union([Type.Literal('inner'), Type.Literal('left')], {
        title: 'Join type',
        description: 'inner: only matches; left: also left records without a match, with NULLs',
      }),
      'inner',
    ),
    ...JoinBaseConfig,
  },
  { additionalProperties: false },
);
export type WindowJoinConfig = Static<typeof WindowJoinConfig>;

export const joinWindow = defineOperator({
  kind: 'join.window',
  label: 'Window join',
  category: 'join',
  description:
    'Joins records of two streams whose keys are equal and that fall in the same tumbling event-time window.',
  icon: 'git-merge',
  inputs: [
    { name: 'left', label: 'left' },
    { name: 'right', label: 'right' },
  ],
  outputs: [OUT],
  config: WindowJoinConfig,
  defaults: { window: { type: 'tumbling', size: '10s' }, on: [{ left: 'id', right: 'id' }] },
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
    holds: 'the records of the open windows, on both sides',
    keepsInputRecords: true,
    fields: { window: 'shapes', type: 'free', on: 'shapes', where: 'free', rightPrefix: 'free' },
  },
  infer(context) {
    checkWindow(context.config.window, context.error);
    const left = context.inputs.left?.[0];
    const right = context.inputs.right?.[0];
    if (!left || !right) return undefined;
    if (!checkEventTimeInput(left, 'left', context.error)) return undefined;
    if (!checkEventTimeInput(right, 'right', context.error)) return undefined;
    const fields = joinFields(context, left, right, [
      { name: 'window_start', type: 'timestamp' },
      { name: 'window_end', type: 'timestamp' },
    ]);
    return fields && { out: streamOf(fields, 'event') };
  },
});
