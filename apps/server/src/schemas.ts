// Request and response schemas shared by several routes.
import { Type } from 'typebox';

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every error has this shape, with a stable code' },
);

export const Diagnostic = Type.Object(
  {
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
    code: Type.String(),
    message: Type.String(),
    nodeId: Type.Optional(Type.String()),
    edgeId: Type.Optional(Type.String()),
    path: Type.Optional(Type.String()),
    range: Type.Optional(Type.Object({ start: Type.Integer(), end: Type.Integer() })),
  },
  { $id: 'Diagnostic' },
);

/** A pipeline document; its full schema is docs/pipeline.schema.json, checked by the validator. */
export const PipelineDocument = Type.Record(Type.String(), Type.Unknown(), {
  $id: 'PipelineDocument',
  description: 'A Sluice pipeline document (format sluice.pipeline/v1)',
});

export const errorResponses = {
  400: Type.Ref('ErrorResponse'),
  401: Type.Ref('ErrorResponse'),
  404: Type.Ref('ErrorResponse'),
  500: Type.Ref('ErrorResponse'),
};
