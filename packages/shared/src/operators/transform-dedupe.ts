import { type Static, Type } from 'typebox';
import { defineOperator, IN, OUT } from '../catalog/operator.js';
import { keyedBy } from '../catalog/parallel.js';
import { DurationSchema, parseDuration } from '../schema/duration.js';
import { FieldNameSchema } from '../schema/field.js';
import { checkFieldsExist } from './checks.js';
import { MAX_WINDOW_MS } from './windows.js';

const DedupeConfig = Type.Object(
  {
    key: Type.Array(FieldNameSchema, {
      minItems: 1,
      maxItems: 32,
      uniqueItems: true,
      title: 'Key',
      description: 'Fields whose values together say two records are the same (NULL is a value)',
      'x-sluice-widget': 'fields',
    }),
    retention: DurationSchema({
      title: 'Within',
      description:
        'Repeats of a key this long in event time after its first record are dropped; the key is then forgotten',
    }),
  },
  { additionalProperties: false },
);
export type DedupeConfig = Static<typeof DedupeConfig>;

export const transformDedupe = defineOperator({
  kind: 'transform.dedupe',
  label: 'Deduplicate',
  category: 'transform',
  description:
    'Keeps the first record of each key and drops the repeats that come within a retention after it, in event time. Records too late to tell leave by the late port.',
  icon: 'copy-minus',
  inputs: [IN],
  outputs: [OUT, { name: 'late', label: 'late', optional: true }],
  config: DedupeConfig,
  defaults: { key: ['id'], retention: '10m' },
  parallel: keyedBy('key'),
  state: {
    holds: 'the keys seen within the retention, with when each was first seen',
    fields: {
      key: 'shapes',
      // Each key's expiry is rebuilt from its first-seen time and the new retention.
      retention: {
        rule: 'any change: migrated, each key forgotten by the new retention; what was forgotten stays forgotten',
        migrate: (before, after) => ({
          says: `keys are now forgotten ${after.retention} after their first record, not ${before.retention}; the ones already forgotten stay forgotten`,
        }),
      },
    },
  },
  infer({ config, inputs, error }) {
    const retention = parseDuration(config.retention);
    if (retention === 0) {
      error('retention', 'config.duration', 'The retention must be longer than 0.');
    } else if (retention !== undefined && retention > MAX_WINDOW_MS) {
      error(
        'retention',
        'config.duration',
        `The retention (${config.retention}) is longer than 100000d, the longest Sluice can place in time.`,
      );
    }
    const input = inputs.in?.[0];
    if (!input) return undefined;
    if (input.time !== 'event') {
      // Not checkEventTimeInput: this kind has no processing-time mode to switch to.
      error(
        undefined,
        'node.no-event-time',
        "The in input has no event time, which deduplication measures its retention in. Set 'Event time' on its source.",
      );
      return undefined;
    }
    if (!checkFieldsExist(config.key, 'key', 'deduplicate on', input, error)) return undefined;
    // Records pass unchanged, at their own time.
    return { out: input, late: input };
  },
});
