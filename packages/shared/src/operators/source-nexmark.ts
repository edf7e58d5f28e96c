import { type Static, Type } from 'typebox';
import { Defaulted, Unbounded } from '../catalog/configured.js';
import type { OutputPort } from '../catalog/operator.js';
import { defineOperator } from '../catalog/operator.js';
import { DurationSchema } from '../schema/duration.js';
import type { Field } from '../schema/field.js';
import { parseTimestamp } from '../schema/timestamp.js';
import { streamOf } from './common.js';

/** The three event types of Nexmark, in the order of the source's output ports. */
export const NEXMARK_EVENT_TYPES = ['person', 'auction', 'bid'] as const;
export type NexmarkEventType = (typeof NEXMARK_EVENT_TYPES)[number];

// The fields of the reference (Beam's and the nexmark/nexmark suite's model), with its names.
export const NEXMARK_FIELDS: { readonly [type in NexmarkEventType]: readonly Field[] } = {
  person: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
    { name: 'emailAddress', type: 'string' },
    { name: 'creditCard', type: 'string' },
    { name: 'city', type: 'string' },
    { name: 'state', type: 'string' },
    { name: 'dateTime', type: 'timestamp' },
    { name: 'extra', type: 'string' },
  ],
  auction: [
    { name: 'id', type: 'long' },
    { name: 'itemName', type: 'string' },
    { name: 'description', type: 'string' },
    { name: 'initialBid', type: 'long' },
    { name: 'reserve', type: 'long' },
    { name: 'dateTime', type: 'timestamp' },
    { name: 'expires', type: 'timestamp' },
    { name: 'seller', type: 'long' },
    { name: 'category', type: 'long' },
    { name: 'extra', type: 'string' },
  ],
  bid: [
    { name: 'auction', type: 'long' },
    { name: 'bidder', type: 'long' },
    { name: 'price', type: 'long' },
    { name: 'channel', type: 'string' },
    { name: 'url', type: 'string' },
    { name: 'dateTime', type: 'timestamp' },
    { name: 'extra', type: 'string' },
  ],
};

const NexmarkConfig = Type.Object(
  {
    count: Unbounded(
      Type.Integer({
        minimum: 1,
        title: 'Events',
        description:
          'Stop after this many events (people, auctions and bids together); unbounded when empty',
      }),
    ),
    rate: Defaulted(
      Type.Number({
        exclusiveMinimum: 0,
        title: 'Event rate',
        description:
          'Events per second of event time: event n happens at base time + n / rate, however fast they are generated',
      }),
      10_000,
    ),
    emit: Defaulted(
      Type.Array(
        Type.Union([Type.Literal('person'), Type.Literal('auction'), Type.Literal('bid')], {
          title: 'Event type',
        }),
        {
          uniqueItems: true,
          maxItems: 3,
          title: 'Emit',
          description:
            'Which event types to build and send out of their ports; the others are skipped (their ids are still used)',
        },
      ),
      ['person', 'auction', 'bid'],
    ),
    baseTime: Defaulted(
      Type.String({
        title: 'Base time',
        description: 'ISO-8601 event time of the first event',
      }),
      '2026-01-01T00:00:00Z',
    ),
    seed: Defaulted(
      Type.Integer({
        minimum: 0,
        maximum: 65_535,
        title: 'Seed',
        description: 'Same seed, same events; 0 is the reference generator’s own stream',
      }),
      0,
    ),
    maxOutOfOrderness: Defaulted(
      DurationSchema({
        title: 'Watermark delay',
        description:
          'The watermark trails the newest event time by this much (events are generated in order)',
      }),
      '0s',
    ),
  },
  { additionalProperties: false },
);
export type NexmarkSourceConfig = Static<typeof NexmarkConfig>;

const port = (name: NexmarkEventType): OutputPort => ({ name, label: name, optional: true });

export const sourceNexmark = defineOperator({
  kind: 'source.nexmark',
  label: 'Nexmark generator',
  category: 'source',
  description:
    'The Nexmark benchmark’s online auction: people, auctions and bids, generated as the reference generator does, each type out of its own port with event time.',
  icon: 'gavel',
  inputs: [],
  outputs: NEXMARK_EVENT_TYPES.map(port),
  config: NexmarkConfig,
  defaults: { count: 100_000, rate: 10_000, emit: ['person', 'auction', 'bid'] },
  parallel: {
    runs: 'alone',
    why: 'A generator makes one stream: every instance would make all of it',
  },
  state: {
    holds: 'its place in the generated events',
    fields: {
      count: 'free',
      rate: 'shapes',
      emit: 'shapes',
      baseTime: 'shapes',
      seed: 'shapes',
      maxOutOfOrderness: 'shapes',
    },
  },
  infer({ config, error }) {
    if (config.baseTime !== undefined && parseTimestamp(config.baseTime) === undefined) {
      error(
        'baseTime',
        'config.timestamp',
        `'${config.baseTime}' is not a timestamp: write it as ISO-8601, e.g. 2026-01-01T00:00:00Z.`,
      );
    }
    return {
      person: streamOf(NEXMARK_FIELDS.person, 'event', 'dateTime'),
      auction: streamOf(NEXMARK_FIELDS.auction, 'event', 'dateTime'),
      bid: streamOf(NEXMARK_FIELDS.bid, 'event', 'dateTime'),
    };
  },
});
