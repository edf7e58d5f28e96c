import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Diagnostic, hasErrors, MAX_PIPELINE_BYTES, readPipeline } from '@sluice/shared';
import type { CliIO } from './io.js';

interface FileResult {
  readonly file: string;
  readonly valid: boolean;
  readonly diagnostics: Diagnostic[];
}

/** `sluice validate FILE...`: prints the diagnostics; 1 when any file has an error. */
export async function validateCommand(
  files: readonly string[],
  options: { json: boolean },
  io: CliIO,
): Promise<number> {
  const results: FileResult[] = [];
  for (const file of files) {
    const { diagnostics, text } = await check(resolve(io.cwd, file));
    results.push({ file, valid: !hasErrors(diagnostics), diagnostics });
    if (!options.json) io.stdout(describe(file, diagnostics, text));
  }
  if (options.json) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  return results.every((r) => r.valid) ? 0 : 1;
}

async function check(path: string): Promise<{ diagnostics: Diagnostic[]; text?: string }> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_PIPELINE_BYTES) {
      return {
        diagnostics: [
          fileError('json.too-large', `The file is larger than ${MAX_PIPELINE_BYTES} bytes.`),
        ],
      };
    }
    text = bytes.toString('utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(cause);
    return { diagnostics: [fileError('file.unreadable', `Cannot read ${path}: ${reason}.`)] };
  }
  return { diagnostics: readPipeline(text).diagnostics, text };
}

function fileError(code: string, message: string): Diagnostic {
  return { severity: 'error', code, message };
}

function describe(file: string, diagnostics: Diagnostic[], text: string | undefined): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const counts = [plural(errors, 'error'), plural(warnings, 'warning')].filter(Boolean).join(', ');
  const document = parseQuietly(text);
  const lines = [`${file}: ${errors === 0 ? 'valid' : 'invalid'}${counts ? ` (${counts})` : ''}`];
  for (const d of diagnostics) {
    const where = [d.path, d.nodeId && `node '${d.nodeId}'`, d.edgeId && `edge '${d.edgeId}'`]
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${d.severity} [${d.code}]${where ? ` at ${where}` : ''}`);
    lines.push(`    ${d.message}`);
    const expression = d.range ? expressionAt(document, d.path) : undefined;
    if (expression !== undefined && d.range) {
      lines.push(`      ${expression}`);
      const width = Math.max(1, d.range.end - d.range.start);
      lines.push(`      ${' '.repeat(d.range.start)}${'^'.repeat(width)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function parseQuietly(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The expression text at a diagnostic's path, when it is one line. */
function expressionAt(document: unknown, path: string | undefined): string | undefined {
  if (!path) return undefined;
  let value = document;
  for (const step of path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return typeof value === 'string' && !value.includes('\n') ? value : undefined;
}

function plural(n: number, word: string): string {
  return n === 0 ? '' : `${n} ${word}${n === 1 ? '' : 's'}`;
}
