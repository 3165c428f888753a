import type { Envelope } from './envelope.js';
import { AppError } from './errors.js';
import type { Logger } from '../telemetry/logger.js';

/**
 * The one place an error becomes a response. AppErrors carry their own status and message; anything
 * else is a 500 whose message hides internals and names the correlation id to quote to support.
 */
export function errorResponse(
  error: unknown,
  correlationId: string,
  log: Logger,
): { status: number; envelope: Envelope<null>; headers: Record<string, string> } {
  if (error instanceof AppError) {
    if (error.status >= 500) log.error(error.message, { code: error.code, error: error.cause ?? error });
    return {
      status: error.status,
      headers: error.headers ?? {},
      envelope: {
        data: null,
        isSuccess: false,
        message: error.message,
        type: error.field,
        code: error.code,
        ...(error.errors ? { errors: error.errors } : {}),
      },
    };
  }
  log.error('unhandled error', { error });
  return {
    status: 500,
    headers: {},
    envelope: {
      data: null,
      isSuccess: false,
      message: `Something went wrong on our side. Please try again (reference ${correlationId}).`,
      type: '',
      code: 'internal',
    },
  };
}
