// What the flight recorder of a running job's edges answers: the records
// that passed on an edge lately (sampled, bounded), newest first, to go back
// in time in the inspector; and one key followed through every edge.
// Asked with GET /api/jobs/:id/edges/:edgeId/records and GET /api/jobs/:id/follow.
import { type Static, Type } from 'typebox';
import { RowSchema } from './jobs.js';

const Count = Type.Number({ minimum: 0 });
const MaybeTime = Type.Union([Type.Number(), Type.Null()]);

export const RecordedRecordSchema = Type.Object({
  seq: Type.Integer({ minimum: 0, description: 'Increasing per edge: names the record' }),
  time: Type.Number({ description: 'Its event time (or processing time, without event time)' }),
  at: Type.Number({ description: 'When it passed on the edge (processing time)' }),
  row: RowSchema,
});
export type RecordedRecord = Static<typeof RecordedRecordSchema>;

export const RecordPageSchema = Type.Object(
  {
    edgeId: Type.String(),
    records: Type.Array(RecordedRecordSchema, { description: 'Newest first' }),
    kept: Type.Integer({ minimum: 0, description: 'Records the edge keeps now' }),
    bytes: Type.Integer({ minimum: 0, description: 'About how much memory they take' }),
    oldestAt: MaybeTime,
    newestAt: MaybeTime,
    passed: Type.Integer({ minimum: 0, description: 'Records that passed since the job started' }),
    perSecond: Count,
    ageMs: Count,
  },
  { description: "An edge's recently passed records, sampled and bounded" },
);
export type RecordPage = Static<typeof RecordPageSchema>;

export const FollowedEdgeSchema = Type.Object({
  edgeId: Type.String(),
  /** Whether the edge's records have the field followed at all. */
  hasField: Type.Boolean(),
  kept: Type.Integer({ minimum: 0, description: 'Records the edge keeps now' }),
  matched: Type.Integer({
    minimum: 0,
    description: 'How many of its recorded records have the value',
  }),
  records: Type.Array(RecordedRecordSchema, {
    description: 'The latest with the value, newest first',
  }),
});
export type FollowedEdge = Static<typeof FollowedEdgeSchema>;

export const FollowSchema = Type.Object(
  {
    field: Type.String(),
    value: Type.String({ description: 'Compared with each record’s value as text' }),
    edges: Type.Array(FollowedEdgeSchema),
  },
  { description: 'One key followed through the job: its latest records on every edge' },
);
export type Follow = Static<typeof FollowSchema>;
