/**
 * One error class for everything a handler or service refuses, with a closed union of stable
 * codes. The HTTP status follows from the code in one place (error-mapper.ts).
 */
export const errorStatus = {
  validation_failed: 400,
  malformed_body: 400,
  bad_request: 400,
  /** No access token at all: sign in. */
  unauthorized: 401,
  /** An access token whose time is up: refresh it (the storefront does, on any 401). */
  token_expired: 401,
  /** An access token that is not ours, altered, malformed, or not sent as `Bearer <token>`. */
  token_invalid: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  /** The form field the message belongs under (the envelope's `type`). */
  field?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly field: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.field = options.field ?? '';
    this.errors = options.errors;
    this.headers = options.headers;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const badRequest = (message: string, field?: string) =>
  new AppError('bad_request', message, { field });
export const notFound = (message: string) => new AppError('not_found', message);
export const forbidden = (message = 'You are not allowed to do that.') => new AppError('forbidden', message);
export const unauthorized = (message = 'Please sign in again.') => new AppError('unauthorized', message);
export const conflict = (message: string, field?: string) => new AppError('conflict', message, { field });
