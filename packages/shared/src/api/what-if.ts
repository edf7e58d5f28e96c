// A what-if replay on the wire: the slice a running job recorded, run through
// the running version of the pipeline and through an edited one, side by
// side, each sink's outputs compared. POST /api/jobs/:id/what-if; and the
// same slice with the running version's outputs as a test case,
// POST /api/jobs/:id/test-case.
import { type Static, Type } from 'typebox';
import { RowDiffSchema } from '../replay/diff.js';
import { TestCaseSchema } from '../replay/test-file.js';
import { RowSchema } from './jobs.js';

const Count = Type.Integer({ minimum: 0 });

export const WhatIfRequestSchema = Type.Object(
  {
    pipeline: Type.Ref('PipelineDocument'),
    from: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
        minItems: 1,
        maxItems: 50,
        description:
          'The connections whose recorded records are replayed; default those leaving the sources',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReplayedOutputSchema = Type.Object({
  rows: Type.Array(RowSchema, { description: 'The first of them' }),
  total: Count,
});

export const WhatIfOutputSchema = Type.Object({
  nodeId: Type.String(),
  fields: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
  before: ReplayedOutputSchema,
  after: ReplayedOutputSchema,
  diff: RowDiffSchema,
  /** More differences than the diff lists. */
  cut: Type.Boolean(),
});
export type WhatIfOutput = Static<typeof WhatIfOutputSchema>;

export const WhatIfResultSchema = Type.Object(
  {
    /** Records replayed, by connection. */
    records: Type.Record(Type.String(), Count),
    maxOutOfOrderness: Type.String(),
    outputs: Type.Array(WhatIfOutputSchema),
    warnings: Type.Array(Type.String()),
    /** Bad records each version set aside. */
    errors: Type.Object({ before: Count, after: Count }),
  },
  { description: 'The running and the edited version, replayed on the same recorded records' },
);
export type WhatIfResult = Static<typeof WhatIfResultSchema>;

export const TestCaseRequestSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    from: Type.Optional(WhatIfRequestSchema.properties.from),
  },
  { additionalProperties: false },
);

export { TestCaseSchema };
