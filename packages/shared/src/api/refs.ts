// The schemas the server registers once by `$id`, so the OpenAPI description
// lists each as a component and routes point at them with a `$ref`.
import { type Static, Type } from 'typebox';
import type { Pipeline } from '../format/pipeline.js';

export const ErrorResponseSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every error has this shape, with a stable code' },
);
export type ErrorResponse = Static<typeof ErrorResponseSchema>;

/**
 * One finding about a pipeline. `path` points into the document in the
 * JSON-path style an analyst reads (`nodes[2].config.window.size`); `range`
 * is the span inside an expression string when the finding is about one.
 */
export const DiagnosticSchema = Type.Object(
  {
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
    code: Type.String(),
    message: Type.String(),
    nodeId: Type.Optional(Type.String()),
    edgeId: Type.Optional(Type.String()),
    path: Type.Optional(Type.String()),
    range: Type.Optional(Type.Object({ start: Type.Integer(), end: Type.Integer() })),
    fieldMessage: Type.Optional(
      Type.String({
        description:
          'The message as shown beside the field it is about, without naming the node and the path',
      }),
    ),
  },
  { $id: 'Diagnostic' },
);
export type Diagnostic = Static<typeof DiagnosticSchema>;

/** A pipeline document; its full schema is docs/pipeline.schema.json, checked by the validator. */
export const PipelineDocumentSchema = Type.Record(Type.String(), Type.Unknown(), {
  $id: 'PipelineDocument',
  description: 'A Sluice pipeline document (format sluice.pipeline/v1)',
});

// What a response refers to, typed as what it holds. Request bodies keep a
// plain Type.Ref: until the validator has read one it is not yet a Pipeline.
export const DiagnosticRef = Type.Unsafe<Diagnostic>(Type.Ref('Diagnostic'));
/** A stored pipeline, as the server sends it back. */
export const PipelineDocumentRef = Type.Unsafe<Pipeline>(Type.Ref('PipelineDocument'));
