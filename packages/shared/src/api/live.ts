// The live view of a job (`GET /api/jobs/:id/live`, a WebSocket): what the
// server sends, and the tap requests a client may send back.
import { type Static, Type } from 'typebox';
import {
  JobFailureSchema,
  JobMetricsSchema,
  JobStatusSchema,
  RecordErrorSchema,
  RowSchema,
} from './jobs.js';

/** Records sampled from an edge by an open tap, with their event times. */
export const TapSampleSchema = Type.Object({
  edgeId: Type.String(),
  rows: Type.Array(RowSchema),
  times: Type.Array(Type.Number()),
});
export type TapSample = Static<typeof TapSampleSchema>;

/** Server → client. `dropped` counts what this client was not sent because it was behind. */
export const LiveMessageSchema = Type.Union([
  Type.Object({
    type: Type.Literal('status'),
    status: JobStatusSchema,
    failure: Type.Optional(JobFailureSchema),
  }),
  Type.Object({
    type: Type.Literal('metrics'),
    metrics: JobMetricsSchema,
    dropped: Type.Number({ minimum: 0 }),
  }),
  Type.Object({ type: Type.Literal('error'), error: RecordErrorSchema }),
  Type.Object({ type: Type.Literal('tap'), ...TapSampleSchema.properties }),
  Type.Object({ type: Type.Literal('problem'), message: Type.String() }),
]);
export type LiveMessage = Static<typeof LiveMessageSchema>;

const EdgeId = Type.String({ minLength: 1, maxLength: 200 });

/** Client → server: open a tap on an edge (at most `perSecond` records a second), or close it. */
export const LiveClientMessageSchema = Type.Union([
  Type.Object(
    {
      type: Type.Literal('tap'),
      edgeId: EdgeId,
      open: Type.Literal(true),
      perSecond: Type.Optional(Type.Number({ minimum: 1, maximum: 1000 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('tap'), edgeId: EdgeId, open: Type.Literal(false) },
    { additionalProperties: false },
  ),
]);
export type LiveClientMessage = Static<typeof LiveClientMessageSchema>;
