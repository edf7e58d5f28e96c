// Why a node's event time stands where it does: the watermark of each of its
// inputs (and of each Kafka partition of a source), which one holds it back
// and for how long it has had nothing, the windows it still holds with when
// they fire, and its latest late records with how late they were. Asked for
// one node of a running job at a time (GET /api/jobs/:id/nodes/:nodeId/event-time).
import { type Static, Type } from 'typebox';

const Count = Type.Number({ minimum: 0 });
const Time = (description: string) =>
  Type.Union([Type.Number(), Type.Null()], { description: `${description}; epoch ms, or null` });

export const InputTimeSchema = Type.Object({
  edgeId: Type.String(),
  from: Type.String({ description: 'The node the input comes from' }),
  watermark: Time('The watermark that arrived on this input'),
  idle: Type.Boolean({
    description: 'Idle: it does not hold the watermark back until it has records',
  }),
  ended: Type.Boolean(),
  holding: Type.Boolean({
    description: 'The input with the lowest watermark: the one the node waits for',
  }),
});
export type InputTime = Static<typeof InputTimeSchema>;

export const PartitionTimeSchema = Type.Object({
  topic: Type.String(),
  partition: Type.Integer({ minimum: 0 }),
  watermark: Time('This partition’s own watermark: its latest event time less the bound'),
  idleForMs: Type.Union([Count, Type.Null()], {
    description:
      'Processing time since its last record (or since it was assigned); null when not read here',
  }),
  idle: Type.Boolean({
    description: 'Past the idle timeout: it no longer holds the watermark back',
  }),
  owned: Type.Boolean({ description: 'Read by this job now (after a restore, maybe not yet)' }),
  holding: Type.Boolean({
    description: 'The partition with the lowest watermark among those not idle',
  }),
});
export type PartitionTime = Static<typeof PartitionTimeSchema>;

export const PendingWindowSchema = Type.Object({
  start: Type.Number(),
  end: Type.Number(),
  firesAt: Type.Number({ description: 'The watermark at which it fires: its end less 1 ms' }),
  keys: Type.Optional(Count),
  key: Type.Optional(Type.String({ description: 'A session’s group-by values' })),
});
export type PendingWindow = Static<typeof PendingWindowSchema>;

export const PendingSchema = Type.Object({
  kind: Type.Union([Type.Literal('window'), Type.Literal('session'), Type.Literal('rows')]),
  time: Type.Union([Type.Literal('event'), Type.Literal('processing')], {
    description: 'Whether they fire on the watermark or on the clock',
  }),
  total: Count,
  earliest: Type.Array(PendingWindowSchema, { description: 'The first to fire, earliest first' }),
});
export type Pending = Static<typeof PendingSchema>;

export const LateRecordSchema = Type.Object({
  time: Type.Number({ description: 'Its event time' }),
  watermark: Type.Number({ description: 'The watermark when it arrived' }),
  byMs: Count,
  at: Type.Number({ description: 'When it arrived (processing time)' }),
});
export type LateRecord = Static<typeof LateRecordSchema>;

export const HeldBySchema = Type.Object(
  {
    nodeId: Type.String(),
    topic: Type.Optional(Type.String()),
    partition: Type.Optional(Type.Integer()),
    watermark: Time('Its watermark'),
    idleForMs: Type.Optional(Count),
    behind: Type.Optional(
      Type.Boolean({
        description:
          'For a partition: another partition of the source is further on in event time, so the source waits for this one',
      }),
    ),
    idleTimeoutMs: Type.Optional(
      Type.Number({
        minimum: 0,
        description:
          'After how long without records the source (or partition) stops holding event time back; absent when it never does',
      }),
    ),
  },
  {
    description:
      'Where the lowest watermark upstream comes from: the source (and partition) the node waits for',
  },
);
export type HeldBy = Static<typeof HeldBySchema>;

export const EventTimeViewSchema = Type.Object(
  {
    nodeId: Type.String(),
    at: Type.Number({ description: 'Processing time of this view' }),
    watermark: Time('The node’s watermark: the lowest of its inputs’'),
    speed: Type.Union([Type.Number(), Type.Null()], {
      description:
        'How fast its watermark moved over the last metrics interval: event-time ms per second of processing time',
    }),
    inputs: Type.Array(InputTimeSchema),
    partitions: Type.Optional(Type.Array(PartitionTimeSchema)),
    idleTimeoutMs: Type.Optional(Count),
    pending: Type.Optional(PendingSchema),
    late: Type.Object({ total: Count, recent: Type.Array(LateRecordSchema) }),
    heldBy: Type.Optional(HeldBySchema),
  },
  { description: 'Why a node’s event time stands where it does' },
);
export type EventTimeView = Static<typeof EventTimeViewSchema>;
