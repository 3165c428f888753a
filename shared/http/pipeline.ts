import { randomUUID } from 'node:crypto';
import { withContext } from '../telemetry/context.js';
import type { LogFields, Logger } from '../telemetry/logger.js';
import { success } from './envelope.js';
import { AppError, forbidden, unauthorized } from './errors.js';
import { errorResponse } from './error-mapper.js';
import { checkImages, readMultipart } from './multipart.js';
import { bodyTooLarge } from './request-limits.js';
import { isPromise, type MaybePromise } from '../platform/maybe-promise.js';
import type { AnyHttpFunction, Caller, HandlerResult, IncomingHttp, OutgoingHttp } from './types.js';
import { parseWith, queryObject } from './validation.js';

/** What the pipeline needs from the platform; each host passes the same. */
export interface PipelineEnv {
  log: Logger;
  maxUploadBytes: number;
  /** The largest JSON body (MAX_JSON_BODY_BYTES); the hosts refuse a larger one before reading it all. */
  maxJsonBytes?: number;
  /** Verifies a bearer token; throws a 401 AppError (token_expired / token_invalid) when it is not acceptable. */
  authenticate(token: string, options: { allowExpired: boolean }): Promise<Caller>;
  /**
   * Whether the token's session is still open (not signed out, not ended by a password change or
   * reset): asked on the routes that need a live session (requiresLiveSession).
   */
  isSessionLive?(caller: Caller): Promise<boolean>;
}

/** JSON bodies above this are refused when the platform names no limit (MAX_JSON_BODY_BYTES' default). */
export const DEFAULT_MAX_JSON_BYTES = 64 * 1024;

const correlationPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationIdOf(headers: Record<string, string | undefined>): string {
  const given = headers['x-correlation-id'];
  return given && correlationPattern.test(given) ? given : randomUUID();
}

/**
 * Runs one HTTP function for either host: authenticate per the route's access mode, read and
 * validate params, query and body with the route's zod schemas, call the handler, and wrap the
 * result in the envelope. Every failure goes through the one error mapper.
 *
 * The answer comes back without a promise when nothing on the way was asynchronous (a public route
 * without a body whose handler has its answer at hand, like health): with the trace context's
 * AsyncLocalStorage, every promise costs a hook call, and small requests are mostly such costs.
 */
export function runHttpFunction(
  fn: AnyHttpFunction,
  req: IncomingHttp,
  env: PipelineEnv,
): MaybePromise<OutgoingHttp> {
  const correlationId = req.correlationId ?? correlationIdOf(req.headers);
  // The request is one step of a W3C trace (the caller's traceparent, or a new one): events it
  // emits carry it on, so its whole story is one operation in Application Insights.
  return withContext({ correlationId, traceparent: req.headers['traceparent'] }, () =>
    runInContext(fn, req, env, correlationId),
  );
}

function runInContext(
  fn: AnyHttpFunction,
  req: IncomingHttp,
  env: PipelineEnv,
  correlationId: string,
): MaybePromise<OutgoingHttp> {
  const log = new LazyChildLogger(env.log, { correlationId, function: fn.name });
  const baseHeaders = { 'x-correlation-id': correlationId };
  const failed = (error: unknown): OutgoingHttp => {
    const { status, envelope, headers } = errorResponse(error, correlationId, log);
    return {
      status,
      headers: { ...baseHeaders, ...headers, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(envelope),
    };
  };
  const answered = (result: HandlerResult): OutgoingHttp => {
    try {
      return toOutgoing(result, baseHeaders);
    } catch (error) {
      return failed(error);
    }
  };
  try {
    const call = { fn, req, correlationId, log };
    // A public route without a body has nothing to wait for before its handler.
    const result =
      fn.access === 'public' && fn.bodyKind === 'none'
        ? callPublicHandler(call)
        : authenticateThenCall(call, env);
    return isPromise(result) ? result.then(answered, failed) : answered(result);
  } catch (error) {
    return failed(error);
  }
}

interface HandlerCall {
  fn: AnyHttpFunction;
  req: IncomingHttp;
  correlationId: string;
  log: Logger;
}

type ReadBody = { body: unknown; files: Awaited<ReturnType<typeof checkImages>> };
/** A fresh one each time: a handler may change its files array. */
const noBody = (): ReadBody => ({ body: undefined, files: [] });

async function authenticateThenCall(call: HandlerCall, env: PipelineEnv): Promise<HandlerResult> {
  const { fn, req } = call;
  const caller = await authenticateFor(fn, req, env);
  if (caller && (requiresLiveSession(fn) || isAdminWrite(fn, caller, req.method)))
    await assertLiveSession(caller, env);
  // Params and query are checked before the body is read, as on the public path.
  const { params, query } = paramsAndQuery(fn, req);
  const read = fn.bodyKind === 'none' ? noBody() : await readBody(fn, req, env);
  return fn.handler(handlerRequest(call, caller, params, query, read));
}

function callPublicHandler(call: HandlerCall): MaybePromise<HandlerResult> {
  const { params, query } = paramsAndQuery(call.fn, call.req);
  return call.fn.handler(handlerRequest(call, null, params, query, noBody()));
}

function paramsAndQuery(fn: AnyHttpFunction, req: IncomingHttp): { params: unknown; query: unknown } {
  return {
    params: fn.params ? parseWith(fn.params, req.params, 'route') : req.params,
    query: fn.query ? parseWith(fn.query, queryObject(req.query), 'query') : {},
  };
}

function handlerRequest(
  { req, correlationId, log }: HandlerCall,
  caller: Caller | null,
  params: unknown,
  query: unknown,
  { body, files }: ReadBody,
) {
  return {
    method: req.method,
    params,
    query,
    body,
    files,
    caller,
    headers: req.headers,
    rawBody: req.body,
    baseUrl: req.baseUrl,
    clientIp: req.clientIp,
    correlationId,
    log,
  };
}

function toOutgoing(result: HandlerResult, baseHeaders: Record<string, string>): OutgoingHttp {
  // One object, filled in order (later keys win, as a spread would): spreading three objects per
  // answer showed in profiles of small requests.
  const headers: Record<string, string> = Object.assign(baseHeaders, result.headers);
  if (result.kind === 'raw') {
    headers['content-type'] = result.contentType;
    return { status: result.status, headers, body: result.body };
  }
  headers['content-type'] = 'application/json; charset=utf-8';
  return {
    status: result.status,
    headers,
    body: JSON.stringify(success(result.data ?? null, result.message)),
  };
}

async function authenticateFor(
  fn: AnyHttpFunction,
  req: IncomingHttp,
  env: PipelineEnv,
): Promise<Caller | null> {
  if (fn.access === 'public' || fn.access === 'webhook') return null;
  const header = req.headers['authorization']?.trim() ?? '';
  const token = bearerToken(header);
  if (fn.access === 'optional') {
    // Logout with a stale or foreign token: there is no session to end, and a 401 would only send
    // the storefront into a refresh round-trip. An expired token with a good signature still counts.
    if (token === undefined) return null;
    return env.authenticate(token, { allowExpired: true }).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 401) return null;
      throw error;
    });
  }
  if (token === undefined) {
    if (header === '') throw withChallenge(unauthorized('Please sign in to continue.'));
    throw withChallenge(
      new AppError(
        'token_invalid',
        /^Bearer$/i.test(header)
          ? 'Please sign in to continue: the Authorization header has no token after "Bearer".'
          : 'Please sign in to continue: send the token as "Authorization: Bearer <token>" (the "Bearer " prefix is missing).',
      ),
    );
  }
  const caller = await env.authenticate(token, { allowExpired: false }).catch((error: unknown) => {
    throw error instanceof AppError ? withChallenge(error) : error;
  });
  if (fn.access === 'admin' && !caller.isAdmin) throw forbidden('Only an administrator can do that.');
  return caller;
}

/**
 * A stateless access token outlives a sign-out or a password change until it expires, so the routes
 * where that matters check the session itself: password change, role changes, orders and payment
 * (`session: 'live'`), and every ADMIN write, whatever it declares (and any write by an ADMIN's token
 * on a user route: isAdminWrite).
 */
export function requiresLiveSession(fn: Pick<AnyHttpFunction, 'access' | 'methods' | 'session'>): boolean {
  if (fn.access !== 'user' && fn.access !== 'admin') return false;
  return fn.session === 'live' || (fn.access === 'admin' && fn.methods.some((m) => m !== 'GET'));
}

/**
 * An ADMIN writing through a user route (another user's profile, cart or coupon, by naming them):
 * an ADMIN write like those of the admin routes, so a signed-out ADMIN token stops there too.
 * Not logout (`optional`): ending a session that has ended already is no write to refuse.
 */
function isAdminWrite(fn: Pick<AnyHttpFunction, 'access'>, caller: Caller, method: string): boolean {
  if (fn.access !== 'user' && fn.access !== 'admin') return false;
  return caller.isAdmin && !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

async function assertLiveSession(caller: Caller, env: PipelineEnv): Promise<void> {
  // No way to ask is a deployment mistake: refuse rather than let a revoked token through.
  if (!env.isSessionLive) throw new Error('this route needs a live session, and nothing can check one');
  if (!(await env.isSessionLive(caller)))
    throw withChallenge(
      new AppError(
        'token_invalid',
        'You have been signed out (this session has ended). Please sign in again.',
      ),
    );
}

function withChallenge(error: AppError): AppError {
  return new AppError(error.code, error.message, { headers: { 'www-authenticate': 'Bearer' } });
}

function bearerToken(header: string): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

async function readBody(fn: AnyHttpFunction, req: IncomingHttp, env: PipelineEnv): Promise<ReadBody> {
  const maxUploadBytes = env.maxUploadBytes;
  switch (fn.bodyKind) {
    case 'none':
      return noBody();
    case 'raw':
      return { body: req.body, files: [] };
    case 'json': {
      // Before parsing: a huge body never reaches JSON.parse (the hosts usually refused it unread).
      const limit = env.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
      if (req.body.length > limit) throw bodyTooLarge(limit);
      const value = parseJson(req.body);
      return { body: fn.body ? parseWith(fn.body, value, 'body') : value, files: [] };
    }
    case 'multipart': {
      const contentType = req.headers['content-type'] ?? '';
      if (!/^multipart\/form-data/i.test(contentType)) {
        throw new AppError('unsupported_media_type', 'This request must be sent as multipart/form-data.');
      }
      const form = await readMultipart(req.body, contentType, { maxFileBytes: maxUploadBytes });
      const files = await checkImages(form.files, fn.files ?? {}, maxUploadBytes);
      return { body: fn.body ? parseWith(fn.body, form.fields, 'body') : form.fields, files };
    }
  }
}

/**
 * Any JSON value is a body: the storefront posts bare numbers (`42`) and strings (`"Cancelled"`),
 * and axios labels those with whatever content type it likes, so the bytes decide, not the header.
 */
function parseJson(bytes: Buffer): unknown {
  const text = bytes.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('malformed_body', 'The request body is not valid JSON.');
  }
}

/**
 * The request's logger, made only when something logs: most requests log nothing, and a child
 * logger per request was a measurable part of a small request's cost.
 */
class LazyChildLogger implements Logger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly fields: LogFields,
  ) {}

  get #log(): Logger {
    return (this.#child ??= this.parent.child(this.fields));
  }

  debug(msg: string, fields?: LogFields): void {
    this.#log.debug(msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.#log.info(msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.#log.warn(msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.#log.error(msg, fields);
  }
  child(fields: LogFields): Logger {
    return this.#log.child(fields);
  }
}
