import { type Static, Type } from 'typebox';
import { Defaulted, Unbounded } from '../catalog/configured.js';
import { defineOperator, OUT } from '../catalog/operator.js';
import { DurationSchema } from '../schema/duration.js';
import { FieldNameSchema, type FieldType, FieldTypeSchema } from '../schema/field.js';
import { parseTimestamp } from '../schema/timestamp.js';
import { checkUniqueFields } from './checks.js';
import { EventTimeSchema, streamOf } from './common.js';
import { checkEventTime } from './event-time.js';

const Sequence = Type.Object(
  {
    kind: Type.Literal('sequence'),
    start: Defaulted(Type.Number({ title: 'Start' }), 0),
    step: Defaulted(Type.Number({ title: 'Step' }), 1),
  },
  { additionalProperties: false, title: 'Sequence' },
);
const RandomNumber = Type.Object(
  {
    kind: Type.Literal('random'),
    min: Type.Number({ title: 'Minimum' }),
    max: Type.Number({ title: 'Maximum' }),
  },
  { additionalProperties: false, title: 'Random number' },
);
const Choice = Type.Object(
  {
    kind: Type.Literal('choice'),
    values: Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
      minItems: 1,
      maxItems: 1000,
      title: 'Values',
      description: 'One per line',
      'x-sluice-widget': 'values',
    }),
    weights: Type.Optional(
      Type.Array(Type.Number({ minimum: 0 }), {
        title: 'Weights',
        description: 'One per value, in the same order',
        'x-sluice-widget': 'values',
      }),
    ),
  },
  { additionalProperties: false, title: 'Choice from a list' },
);
const TimestampGen = Type.Object(
  {
    kind: Type.Literal('timestamp'),
    start: Type.Optional(
      Type.String({
        title: 'Start',
        description: 'ISO-8601 time of the first record; the job start time when empty',
      }),
    ),
    step: Type.Optional(
      DurationSchema({
        title: 'Step',
        description: 'Event time between records; 1s / rate when empty (1ms without a rate)',
      }),
    ),
    maxDelay: Defaulted(
      DurationSchema({
        title: 'Max delay',
        description: 'Make records out of order: each is up to this much earlier than its slot',
      }),
      '0s',
    ),
  },
  { additionalProperties: false, title: 'Timestamp' },
);
const Text = Type.Object(
  {
    kind: Type.Literal('text'),
    length: Defaulted(Type.Integer({ minimum: 1, maximum: 1000, title: 'Length' }), 8),
  },
  { additionalProperties: false, title: 'Random text' },
);

export const GeneratorSchema = Type.Union([Sequence, RandomNumber, Choice, TimestampGen, Text], {
  title: 'Generator',
});
export type GeneratorConfig = Static<typeof GeneratorSchema>;

const GENERATOR_TYPES: Record<GeneratorConfig['kind'], readonly FieldType[]> = {
  sequence: ['long', 'double'],
  random: ['long', 'double'],
  choice: ['string', 'long', 'double', 'boolean'],
  timestamp: ['timestamp'],
  text: ['string'],
};

const DatagenConfig = Type.Object(
  {
    fields: Type.Array(
      Type.Object(
        {
          name: FieldNameSchema,
          type: FieldTypeSchema,
          generator: GeneratorSchema,
          nullRate: Defaulted(
            Type.Number({
              minimum: 0,
              maximum: 1,
              title: 'Null rate',
              description: 'Share of records where this field is NULL',
            }),
            0,
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500, title: 'Fields' },
    ),
    rate: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        title: 'Rate',
        description: 'Records per second; as fast as possible when empty',
      }),
    ),
    count: Unbounded(
      Type.Integer({
        minimum: 1,
        title: 'Count',
        description: 'Stop after this many records; unbounded when empty',
      }),
    ),
    seed: Defaulted(Type.Integer({ title: 'Seed', description: 'Same seed, same records' }), 42),
    eventTime: Type.Optional(EventTimeSchema),
  },
  { additionalProperties: false },
);
export type DatagenConfig = Static<typeof DatagenConfig>;

export const sourceDatagen = defineOperator({
  kind: 'source.datagen',
  label: 'Data generator',
  category: 'source',
  description:
    'Generates records from field generators: sequences, random numbers, choices and timestamps. Seeded, so runs repeat.',
  icon: 'sparkles',
  inputs: [],
  outputs: [OUT],
  config: DatagenConfig,
  defaults: {
    fields: [
      { name: 'id', type: 'long', generator: { kind: 'sequence' } },
      { name: 'category', type: 'string', generator: { kind: 'choice', values: ['a', 'b', 'c'] } },
      { name: 'value', type: 'double', generator: { kind: 'random', min: 0, max: 100 } },
      { name: 'ts', type: 'timestamp', generator: { kind: 'timestamp' } },
    ],
    rate: 100,
    seed: 42,
    eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
  },
  parallel: {
    runs: 'alone',
    why: 'A generator makes one stream: every instance would make all of it',
  },
  state: {
    holds: 'its place in the generated records',
    fields: {
      fields: 'shapes',
      // Timestamps are counted from the rate: another rate would make other ones.
      rate: 'shapes',
      count: 'free',
      seed: 'shapes',
      eventTime: 'shapes',
    },
  },
  infer({ config, error }) {
    checkUniqueFields(config.fields, 'fields', error);
    config.fields.forEach((field, i) => {
      const path = `fields[${i}]`;
      const g = field.generator;
      if (!GENERATOR_TYPES[g.kind].includes(field.type)) {
        error(
          `${path}.generator`,
          'config.generator-type',
          `A ${g.kind} generator cannot make ${field.type} values for '${field.name}': it makes ${GENERATOR_TYPES[g.kind].join(' or ')}.`,
        );
      }
      if (g.kind === 'random' && g.min > g.max) {
        error(`${path}.generator`, 'config.range', `Minimum ${g.min} is above maximum ${g.max}.`);
      }
      if (g.kind === 'choice') {
        const bad = g.values.find((v) => !choiceFits(v, field.type));
        if (bad !== undefined) {
          error(
            `${path}.generator.values`,
            'config.generator-type',
            `Value ${JSON.stringify(bad)} is not a ${field.type}, the type of '${field.name}'.`,
          );
        }
        if (g.weights && g.weights.length !== g.values.length) {
          error(
            `${path}.generator.weights`,
            'config.weights',
            `Give one weight per value: there are ${g.values.length} values and ${g.weights.length} weights.`,
          );
        }
      }
      if (
        g.kind === 'timestamp' &&
        g.start !== undefined &&
        parseTimestamp(g.start) === undefined
      ) {
        error(
          `${path}.generator.start`,
          'config.timestamp',
          `'${g.start}' is not a timestamp: write it as ISO-8601, e.g. 2024-01-01T00:00:00Z.`,
        );
      }
    });
    if (config.eventTime && !checkEventTime(config.eventTime, config.fields, error))
      return undefined;
    return {
      out: config.eventTime
        ? streamOf(
            config.fields.map(({ name, type }) => ({ name, type })),
            'event',
            config.eventTime.field,
          )
        : streamOf(
            config.fields.map(({ name, type }) => ({ name, type })),
            'processing',
          ),
    };
  },
});

function choiceFits(value: string | number | boolean, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'long':
      return Number.isSafeInteger(value);
    case 'double':
      return typeof value === 'number';
    default:
      return false;
  }
}
