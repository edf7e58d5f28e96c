// A pipeline's saved test cases: a JSON file beside the pipeline's
// (orders.json → orders.tests.json), kept in git with it. Each case is a
// captured slice — the records that entered the pipeline (or a branch of it)
// on some connections — and the rows each sink produced from them; `sluice
// test` replays every case and fails on any difference.
import { type Static, Type } from 'typebox';
import { RowSchema } from '../api/jobs.js';
import { schemaProblems } from '../validation/schema-problems.js';

export const TEST_FILE_FORMAT = 'sluice.tests/v1';

export const TestCaseSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    maxOutOfOrderness: Type.Optional(
      Type.String({
        description:
          'The scripted watermark: it trails the newest event time replayed by this much (default 0s)',
      }),
    ),
    inputs: Type.Record(Type.String(), Type.Array(RowSchema), {
      description: 'By connection id, the records that entered on it, oldest first',
    }),
    expected: Type.Record(Type.String(), Type.Array(RowSchema), {
      description: 'By sink id, the rows it produced, in any order',
    }),
  },
  { additionalProperties: false },
);
export type TestCase = Static<typeof TestCaseSchema>;

export const TestFileSchema = Type.Object(
  {
    format: Type.Literal(TEST_FILE_FORMAT),
    pipeline: Type.Optional(Type.String({ description: 'The pipeline file these cases test' })),
    cases: Type.Array(TestCaseSchema),
  },
  { additionalProperties: false, description: "A pipeline's saved test cases" },
);
export type TestFile = Static<typeof TestFileSchema>;

/** The test file beside a pipeline file: `orders.json` → `orders.tests.json`. */
export function testFileFor(pipelineFile: string): string {
  return pipelineFile.endsWith('.json')
    ? `${pipelineFile.slice(0, -'.json'.length)}.tests.json`
    : `${pipelineFile}.tests.json`;
}

/** A test file's text read and checked: the cases, or what is wrong and where. */
export function readTestFile(text: string): { file?: TestFile; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return { problems: [`it is not JSON: ${(cause as Error).message}`] };
  }
  const problems = schemaProblems(TestFileSchema, value, '');
  if (problems.length > 0) {
    return { problems: problems.map((p) => `${p.path || 'the file'}: ${p.message}`) };
  }
  return { file: value as TestFile, problems: [] };
}
