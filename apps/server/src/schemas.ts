// Schemas every route uses. The wire types themselves live in @sluice/shared,
// beside the web app that reads them.
import { DiagnosticSchema, ErrorResponseSchema, PipelineDocumentSchema } from '@sluice/shared';
import { Type } from 'typebox';

/** Registered once by `$id` (app.ts), so routes point at them with a `$ref`. */
export const REGISTERED_SCHEMAS = [ErrorResponseSchema, DiagnosticSchema, PipelineDocumentSchema];

export const errorResponses = {
  400: Type.Ref('ErrorResponse'),
  401: Type.Ref('ErrorResponse'),
  404: Type.Ref('ErrorResponse'),
  413: Type.Ref('ErrorResponse'),
  500: Type.Ref('ErrorResponse'),
};
