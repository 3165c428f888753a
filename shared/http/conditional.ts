import { JSON_CONTENT_TYPE, rawResponse, type HandlerResult } from './types.js';

/**
 * Answers of public GETs: an encoded envelope, with a strong ETag when a cache keeps it, answered
 * with a 304 and no body when the client already holds those very bytes (`If-None-Match`). Without
 * a validator (the cache is off) every request gets the body.
 */
export interface PublicRead {
  body: string;
  etag?: string;
}

/**
 * `Cache-Control` of a public read: with a gateway TTL, shared caches (API Management) and browsers
 * may keep it that long (stock and price may lag by as much); without one, every use revalidates with
 * the ETag, which costs a 304. `public`, because the storefront sends Authorization on every request
 * and a shared cache would otherwise not keep an answer to one.
 */
export function publicCacheControl(seconds: number): string {
  return seconds > 0 ? `public, max-age=${seconds}` : 'no-cache';
}

export function publicAnswer(
  read: PublicRead,
  headers: Readonly<Record<string, string | undefined>>,
  cacheSeconds: number,
): HandlerResult {
  const cacheControl = publicCacheControl(cacheSeconds);
  if (read.etag === undefined)
    return rawResponse(read.body, JSON_CONTENT_TYPE, 200, { 'cache-control': cacheControl });
  const validators = { etag: read.etag, 'cache-control': cacheControl };
  if (matchesAny(headers['if-none-match'], read.etag))
    return rawResponse('', JSON_CONTENT_TYPE, 304, validators);
  return rawResponse(read.body, JSON_CONTENT_TYPE, 200, validators);
}

/** `If-None-Match` uses the weak comparison (RFC 9110 13.1.2): `W/` is ignored, `*` matches anything. */
export function matchesAny(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === opaque;
  });
}
