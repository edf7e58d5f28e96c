import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compileToFlinkSql } from '@sluice/flink';
import { analyzePipeline, hasErrors, MAX_PIPELINE_BYTES, readPipeline } from '@sluice/shared';
import type { CliIO } from './io.js';

/**
 * `sluice flink-sql PIPELINE.json`: the Flink SQL of a pipeline on stdout (a
 * script for Flink's SQL client or SQL Gateway), its diagnostics on stderr;
 * 1 when a node cannot run on Flink, 2 when the pipeline itself is invalid.
 */
export async function flinkSqlCommand(
  file: string,
  options: { dataDir?: string; json: boolean },
  io: CliIO,
): Promise<number> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    io.stderr(`sluice: cannot read ${path}: ${(cause as Error).message}\n`);
    return 2;
  }
  if (Buffer.byteLength(text) > MAX_PIPELINE_BYTES) {
    io.stderr(`sluice: ${file} is larger than ${MAX_PIPELINE_BYTES} bytes.\n`);
    return 2;
  }
  const read = readPipeline(text);
  if (!read.pipeline || hasErrors(read.diagnostics)) {
    io.stderr(`${file}: invalid; run sluice validate ${file} for the details.\n`);
    return 2;
  }
  const analysis = analyzePipeline(read.pipeline);
  const compiled = compileToFlinkSql(read.pipeline, analysis.schemas, {
    ...(options.dataDir ? { dataDir: resolve(io.cwd, options.dataDir) } : {}),
  });
  if (options.json) {
    io.stdout(`${JSON.stringify(compiled, null, 2)}\n`);
  } else {
    for (const d of compiled.diagnostics) io.stderr(`${d.severity}: ${d.message}\n`);
    if (compiled.complete) io.stdout(`${compiled.statements.map((s) => `${s};`).join('\n\n')}\n`);
    else io.stderr(`${file}: cannot run on Flink as it is (the errors above say why).\n`);
  }
  return compiled.complete ? 0 : 1;
}
