import { type Static, Type } from 'typebox';
import { defineOperator, OUT } from '../catalog/operator.js';
import type { StateMigration } from '../catalog/state.js';
import { DurationSchema, parseDuration } from '../schema/duration.js';
import { streamOf } from './common.js';
import { JoinBaseConfig, joinFields } from './join-fields.js';
import { checkEventTimeInput } from './windows.js';

const RegularJoinConfig = Type.Object(
  {
    leftRetention: DurationSchema({
      title: 'Keep left records',
      description:
        'A left record at event time t is kept until the watermark reaches t + this, to meet later right records. 0s keeps none: the left side only looks up the right records kept.',
    }),
    rightRetention: DurationSchema({
      title: 'Keep right records',
      description:
        'A right record at event time t is kept until the watermark reaches t + this, to meet later left records. 0s keeps none: the right side only looks up the left records kept.',
    }),
    ...JoinBaseConfig,
  },
  { additionalProperties: false },
);
export type RegularJoinConfig = Static<typeof RegularJoinConfig>;

export const joinRegular = defineOperator({
  kind: 'join.regular',
  label: 'Regular join',
  category: 'join',
  description:
    "Joins every pair of records with equal keys, whenever each arrives, without windows. Each side's records are kept for its retention (in event time) to meet the other side's later records.",
  icon: 'merge',
  inputs: [
    { name: 'left', label: 'left' },
    { name: 'right', label: 'right' },
  ],
  outputs: [OUT],
  config: RegularJoinConfig,
  defaults: { leftRetention: '1h', rightRetention: '1h', on: [{ left: 'id', right: 'id' }] },
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
    fields: {
      leftRetention: sideRetention('leftRetention', 'left'),
      rightRetention: sideRetention('rightRetention', 'right'),
      on: 'shapes',
      where: 'free',
      rightPrefix: 'free',
    },
  },
  infer(context) {
    const left = context.inputs.left?.[0];
    const right = context.inputs.right?.[0];
    if (!left || !right) return undefined;
    if (!checkEventTimeInput(left, 'left', context.error)) return undefined;
    if (!checkEventTimeInput(right, 'right', context.error)) return undefined;
    const fields = joinFields(context, left, right);
    return fields && { out: streamOf(fields, 'event') };
  },
});

/**
 * A side's retention: the records kept are re-scheduled by the new one on
 * restore, so any change carries over, except to or from 0s (a side that
 * keeps nothing has no records to carry, or no place for them).
 */
function sideRetention(
  field: 'leftRetention' | 'rightRetention',
  side: string,
): StateMigration<{ leftRetention: string; rightRetention: string }> {
  return {
    rule: 'any change: migrated, kept records re-scheduled by the new retention; to or from 0s: dropped',
    migrate(before, after) {
      const was = parseDuration(before[field]);
      const now = parseDuration(after[field]);
      if (was === 0 || now === 0) {
        return {
          drop: `the ${side} side ${now === 0 ? 'no longer keeps records' : 'now keeps records'} (${before[field]} → ${after[field]})`,
        };
      }
      return {
        says: `${side} records are now kept ${after[field]} instead of ${before[field]}; the ones already dropped stay dropped`,
      };
    },
  };
}
