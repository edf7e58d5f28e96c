// `sluice test PIPELINE.json`: replays every case saved beside the pipeline
// (PIPELINE.tests.json) through it, with the case's scripted watermarks, and
// compares what each sink produced with what the case expects. Exit 1 on any
// difference, printing it row by row; `--update` writes the new outputs as
// the expected ones instead (after a change meant to alter them).
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ReplayError, replay } from '@sluice/engine';
import {
  diffRows,
  hasErrors,
  noDifference,
  type Pipeline,
  type RowDiff,
  readPipeline,
  readTestFile,
  type TestCase,
  type TestFile,
  testFileFor,
} from '@sluice/shared';
import type { CliIO } from './io.js';

/** Rows of each kind a failing case prints; the rest are counted. */
const SHOWN = 5;

export async function testCommand(
  file: string,
  options: { tests?: string; update?: boolean },
  io: CliIO,
): Promise<number> {
  const pipelinePath = resolve(io.cwd, file);
  const testsName = options.tests ?? testFileFor(file);
  const testsPath = resolve(io.cwd, testsName);
  const pipeline = await readChecked(pipelinePath, file, io);
  if (!pipeline) return 1;
  let text: string;
  try {
    text = await readFile(testsPath, 'utf8');
  } catch (cause) {
    io.stderr(
      `sluice: no test cases for ${file}: cannot read ${testsName} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}). Save a case from the inspector, or write one: see docs/debugging.md.\n`,
    );
    return 1;
  }
  const read = readTestFile(text);
  if (!read.file) {
    io.stderr(`${testsName} is not a test file:\n${read.problems.map((p) => `  ${p}\n`).join('')}`);
    return 1;
  }
  let failed = 0;
  const updated: TestCase[] = [];
  for (const testCase of read.file.cases) {
    const outcome = await runCase(pipeline, testCase);
    if ('problem' in outcome) {
      failed++;
      io.stdout(`✗ ${testCase.name}: ${outcome.problem}\n`);
      updated.push(testCase);
      continue;
    }
    if (options.update) {
      updated.push({ ...testCase, expected: outcome.actual });
      io.stdout(`↻ ${testCase.name}: expected outputs written\n`);
      continue;
    }
    updated.push(testCase);
    const different = outcome.diffs.filter((d) => !noDifference(d.diff));
    if (different.length === 0) {
      io.stdout(`✓ ${testCase.name}\n`);
      continue;
    }
    failed++;
    io.stdout(`✗ ${testCase.name}\n`);
    for (const { sink, diff, timestamps } of different) {
      io.stdout(describeDiff(sink, diff, timestamps));
    }
  }
  if (options.update) {
    const next: TestFile = { ...read.file, cases: updated };
    await writeFile(testsPath, `${JSON.stringify(next, null, 2)}\n`);
  }
  const total = read.file.cases.length;
  io.stdout(
    failed === 0
      ? `\n${total} case${total === 1 ? '' : 's'} passed\n`
      : `\n${failed} of ${total} case${total === 1 ? '' : 's'} failed\n`,
  );
  return failed === 0 ? 0 : 1;
}

async function readChecked(path: string, file: string, io: CliIO): Promise<Pipeline | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    io.stderr(`sluice: cannot read ${file}: ${(cause as Error).message}\n`);
    return undefined;
  }
  const read = readPipeline(text);
  if (!read.pipeline || hasErrors(read.diagnostics)) {
    io.stderr(`${file} is not valid (sluice validate ${file} says why).\n`);
    return undefined;
  }
  return read.pipeline;
}

type Outcome =
  | {
      actual: Record<string, Record<string, unknown>[]>;
      diffs: { sink: string; diff: RowDiff; timestamps: readonly string[] }[];
    }
  | { problem: string };

/** Replays one case; each sink it expects rows of is compared (a sink it does not name is not). */
export async function runCase(pipeline: Pipeline, testCase: TestCase): Promise<Outcome> {
  try {
    const result = await replay(
      pipeline,
      Object.entries(testCase.inputs).map(([edgeId, rows]) => ({ edgeId, rows })),
      testCase.maxOutOfOrderness ? { maxOutOfOrderness: testCase.maxOutOfOrderness } : {},
    );
    const actual: Record<string, Record<string, unknown>[]> = {};
    for (const out of result.outputs) actual[out.nodeId] = [...out.rows];
    const diffs = Object.entries(testCase.expected).map(([sink, expected]) => {
      const out = result.outputs.find((o) => o.nodeId === sink);
      if (!out) {
        return {
          sink,
          diff: { added: [], removed: expected, changed: [], same: 0 },
          timestamps: [],
        };
      }
      const timestamps = out.fields.filter((f) => f.type === 'timestamp').map((f) => f.name);
      return { sink, diff: diffRows(expected, out.rows, out.fields), timestamps };
    });
    return { actual, diffs };
  } catch (error) {
    if (error instanceof ReplayError) return { problem: error.message };
    throw error;
  }
}

/** A row as the diff prints it: JSON, its timestamps as ISO-8601 (UTC) rather than epoch ms. */
function rowLine(row: Record<string, unknown>, timestamps: readonly string[]): string {
  return JSON.stringify(row, (key, value) =>
    key !== '' && timestamps.includes(key) && typeof value === 'number'
      ? new Date(value).toISOString()
      : value,
  );
}

function describeDiff(sink: string, diff: RowDiff, timestamps: readonly string[]): string {
  const text = (row: Record<string, unknown>) => rowLine(row, timestamps);
  const lines = [
    `  ${sink}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.same} the same`,
  ];
  const some = <T>(rows: readonly T[], line: (row: T) => string) => {
    for (const row of rows.slice(0, SHOWN)) lines.push(line(row));
    if (rows.length > SHOWN) lines.push(`      … and ${rows.length - SHOWN} more`);
  };
  some(diff.removed, (row) => `    - ${text(row)}`);
  some(diff.added, (row) => `    + ${text(row)}`);
  some(diff.changed, (c) => `    ~ ${text(c.before)}\n      → ${text(c.after)}`);
  return `${lines.join('\n')}\n`;
}
