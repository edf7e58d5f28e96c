// Reading a pipeline file: JSON text in, a pipeline (or the reasons there is
// none) out. Used by import and by the command line.
import { type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { checkSchema } from '../validation/check.js';
import { type Diagnostic, hasErrors } from '../validation/diagnostic.js';
import { validatePipeline } from '../validation/validate.js';
import { jsonTextPastDepth, PIPELINE_LIMITS, pipelineLimitProblem } from './limits.js';
import { MIGRATIONS, type Migration, migratePipeline } from './migrate.js';
import { type Pipeline, PipelineSchema } from './pipeline.js';
import { reservedKeyPaths } from './reserved-keys.js';

export const MAX_PIPELINE_BYTES = 5 * 1024 * 1024;

export interface ReadResult {
  /** Present when the document has the shape of a pipeline (it may still have errors). */
  readonly pipeline?: Pipeline;
  readonly diagnostics: Diagnostic[];
  /** Names of the migrations applied to an older document. */
  readonly migrations: string[];
}

export function readPipeline(text: string): ReadResult {
  if (text.length > MAX_PIPELINE_BYTES) {
    return fail(
      'json.too-large',
      `The file is larger than ${MAX_PIPELINE_BYTES / 1024 / 1024} MB.`,
    );
  }
  const deep = jsonTextPastDepth(text, PIPELINE_LIMITS.depth);
  if (deep) {
    return fail(
      'format.too-deep',
      `The file nests lists and objects more than ${PIPELINE_LIMITS.depth} levels deep (at line ${deep.line}, column ${deep.column}); Sluice reads at most ${PIPELINE_LIMITS.depth}.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('json.syntax', `The file is not valid JSON: ${jsonErrorWhere(text)}.`);
  }
  return readPipelineValue(parsed);
}

export interface ReadOptions {
  /** The format steps to apply; the current list unless a test hands in its own. */
  readonly migrations?: readonly Migration[];
}

/**
 * Like readPipeline, for a value already parsed from JSON. Imports, request
 * bodies and stored versions all come through here, so each is migrated and checked.
 */
export function readPipelineValue(value: unknown, options: ReadOptions = {}): ReadResult {
  const tooBig = pipelineLimitProblem(value);
  if (tooBig) return { diagnostics: [tooBig], migrations: [] };
  const reserved = reservedKeyPaths(value);
  if (reserved.length > 0) {
    return {
      diagnostics: reserved.map((path) => ({
        severity: 'error' as const,
        code: 'format.reserved-key',
        message: `The key at ${path} is not allowed in a pipeline (keys named __proto__, constructor or prototype are refused).`,
        path,
      })),
      migrations: [],
    };
  }
  const { document, applied } =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? migratePipeline(value as Record<string, unknown>, options.migrations ?? MIGRATIONS)
      : { document: value, applied: [] };
  const diagnostics = validatePipeline(document);
  const shapeBroken = diagnostics.some(
    (d) => d.severity === 'error' && (d.code.startsWith('format.') || d.code === 'internal'),
  );
  if (shapeBroken || !checkSchema(PipelineSchema, document))
    return { diagnostics, migrations: applied };
  return { pipeline: document as Pipeline, diagnostics, migrations: applied };
}

/** True when the result has a pipeline with no errors. */
export function isValidRead(result: ReadResult): boolean {
  return result.pipeline !== undefined && !hasErrors(result.diagnostics);
}

function fail(code: string, message: string): ReadResult {
  return { diagnostics: [{ severity: 'error', code, message }], migrations: [] };
}

/** Where and what the first JSON syntax error is; JSON.parse's message has no position on every engine. */
function jsonErrorWhere(text: string): string {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (!first) return 'it could not be parsed';
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return `${JSON_PROBLEMS[printParseErrorCode(first.error)] ?? 'unexpected text'} at line ${line}, column ${column}`;
}

const JSON_PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name in double quotes is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: 'a colon is expected',
  CommaExpected: 'a comma is expected',
  CloseBraceExpected: 'a closing } is expected',
  CloseBracketExpected: 'a closing ] is expected',
  EndOfFileExpected: 'unexpected text after the end',
  InvalidCommentToken: 'comments are not allowed',
  UnexpectedEndOfComment: 'unexpected end of comment',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};
