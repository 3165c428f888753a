import { AppError } from './errors.js';
import { formatBytes } from './sizes.js';
import type { AnyHttpFunction } from './types.js';

/**
 * A 400 when the request target (path and query, as the client sent them) has a malformed
 * percent-encoding (`%E0%A4%A`, `%zz`): it names nothing, so nothing may try to decode it later.
 * Undefined when it is well formed.
 */
export function encodingProblem(target: string): AppError | undefined {
  // Nothing to decode: the common case, answered without splitting the target.
  if (!target.includes('%')) return undefined;
  const [pathAndQuery = ''] = target.split('#', 1);
  const queryAt = pathAndQuery.indexOf('?');
  const path = queryAt === -1 ? pathAndQuery : pathAndQuery.slice(0, queryAt);
  const query = queryAt === -1 ? '' : pathAndQuery.slice(queryAt + 1);
  try {
    decodeURIComponent(path);
    for (const part of query.split('&')) decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return new AppError(
      'bad_request',
      'The address is not valid: it has a malformed percent-encoding (a % must be followed by two hex digits of valid UTF-8).',
    );
  }
  return undefined;
}

/** The largest body a route takes: JSON bodies have their own, smaller limit; forms and raw bodies the general one. */
export function bodyLimitOf(
  fn: Pick<AnyHttpFunction, 'bodyKind'>,
  limits: { MAX_BODY_BYTES: number; MAX_JSON_BODY_BYTES: number },
): number {
  return fn.bodyKind === 'json'
    ? Math.min(limits.MAX_JSON_BODY_BYTES, limits.MAX_BODY_BYTES)
    : limits.MAX_BODY_BYTES;
}

export function bodyTooLarge(limit: number, options: { closeConnection?: boolean } = {}): AppError {
  return new AppError(
    'payload_too_large',
    `The request body is larger than the ${formatBytes(limit)} limit.`,
    {
      headers: options.closeConnection ? { connection: 'close' } : {},
    },
  );
}
