// Stored pipelines on the wire: a record at one version, the list, the history.
import { type Static, Type } from 'typebox';
import { DiagnosticRef, PipelineDocumentRef } from './refs.js';

export const PipelineIdSchema = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: 'The id the server gave the pipeline',
});
const Version = Type.Integer({ minimum: 1 });
const Timestamp = Type.String({ description: 'ISO 8601 time, UTC' });

export const PipelineRecordSchema = Type.Object({
  id: PipelineIdSchema,
  version: Version,
  pipeline: PipelineDocumentRef,
  diagnostics: Type.Array(DiagnosticRef),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PipelineRecord = Static<typeof PipelineRecordSchema>;

export const ImportedPipelineSchema = Type.Object({
  ...PipelineRecordSchema.properties,
  migrations: Type.Array(Type.String(), {
    description: 'Format migrations applied to an older document',
  }),
});
export type ImportedPipeline = Static<typeof ImportedPipelineSchema>;

export const PipelineSummarySchema = Type.Object({
  id: PipelineIdSchema,
  name: Type.String(),
  description: Type.Optional(Type.String()),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  valid: Type.Boolean(),
  errors: Type.Integer({ minimum: 0 }),
  warnings: Type.Integer({ minimum: 0 }),
});
export type PipelineSummary = Static<typeof PipelineSummarySchema>;

export const VersionOriginSchema = Type.Union(
  [Type.Literal('create'), Type.Literal('import'), Type.Literal('save'), Type.Literal('restore')],
  { description: 'How the version came to be' },
);
export type VersionOrigin = Static<typeof VersionOriginSchema>;

export const VersionSummarySchema = Type.Object({
  version: Version,
  name: Type.String(),
  createdAt: Timestamp,
  valid: Type.Boolean(),
  origin: VersionOriginSchema,
  label: Type.Optional(
    Type.String({ description: 'The name a user gave this version; a named version is kept' }),
  ),
  summary: Type.Optional(
    Type.String({ description: 'What changed since the version before it, in one line' }),
  ),
  baseVersion: Type.Optional(
    Type.Integer({ minimum: 1, description: 'The version `summary` compares this one with' }),
  ),
  firstSavedAt: Type.Optional(
    Type.String({ description: 'ISO 8601 time, UTC: the first save of the run of edits' }),
  ),
  saves: Type.Integer({
    minimum: 1,
    description: 'How many saves of one run of edits this version holds (merged into one)',
  }),
  deployed: Type.Optional(
    Type.Object(
      {
        id: Type.String({ description: 'The latest job that ran this version' }),
        status: Type.String(),
        startedAt: Timestamp,
      },
      { description: 'The latest job deployed from this version' },
    ),
  ),
});
export type VersionSummary = Static<typeof VersionSummarySchema>;
