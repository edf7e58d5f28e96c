// One catalogue of error codes, and one error shape on the wire:
// {error: {code, message, details?}}.

export const ERROR_CODES = {
  'bad-request': 400,
  'invalid-json': 400,
  'invalid-pipeline': 400,
  unauthorized: 401,
  'forbidden-origin': 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'too-many-requests': 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.statusCode = ERROR_CODES[code];
  }
}

export function notFound(what: string, id: string): AppError {
  return new AppError('not-found', `There is no ${what} '${id}'.`);
}
