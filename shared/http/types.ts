import type { z } from 'zod';
import type { MaybePromise } from '../platform/maybe-promise.js';
import type { Logger } from '../telemetry/logger.js';

/**
 * Who may call a route:
 * - public: the Authorization header is ignored entirely (a stale token never breaks browsing);
 * - optional: a token is used when present (expired is accepted, the signature is not);
 * - user / admin: a valid token is required (401), admin also needs the ADMIN role (403);
 * - webhook: no JWT; the handler checks the caller itself (e.g. a Stripe signature) on the raw bytes.
 */
export type Access = 'public' | 'optional' | 'user' | 'admin' | 'webhook';

/** How the body is read: JSON (any JSON value, bare numbers and strings included), a multipart form, raw bytes or none. */
export type BodyKind = 'json' | 'multipart' | 'raw' | 'none';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface Caller {
  userId: string;
  sessionId: string;
  email: string;
  roles: string[];
  isAdmin: boolean;
}

export type CallerFor<A extends Access> = A extends 'user' | 'admin' ? Caller : Caller | null;

/** An uploaded file whose type was checked by content. */
export interface UploadedFile {
  field: string;
  filename: string;
  /** The type found in the bytes, never the one the client declared. */
  contentType: string;
  extension: string;
  bytes: Buffer;
}

export interface FileFieldRule {
  /** How many files this form field may carry. */
  maxCount: number;
}

export interface HandlerRequest<P, Q, B, A extends Access> {
  method: string;
  params: P;
  query: Q;
  body: B;
  files: UploadedFile[];
  caller: CallerFor<A>;
  headers: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
  /** The public base URL of this API (no trailing slash), for absolute URLs of local files. */
  baseUrl: string;
  clientIp: string;
  correlationId: string;
  log: Logger;
}

/** What a handler returns: data for the envelope, or a raw response (JWKS, docs pages, webhooks). */
export type HandlerResult =
  | { kind: 'envelope'; status: number; data: unknown; message: string; headers?: Record<string, string> }
  | {
      kind: 'raw';
      status: number;
      contentType: string;
      body: string | Buffer;
      headers?: Record<string, string>;
    };

export const ok = (data: unknown, message = ''): HandlerResult => ({
  kind: 'envelope',
  status: 200,
  data,
  message,
});
export const created = (data: unknown, message = ''): HandlerResult => ({
  kind: 'envelope',
  status: 201,
  data,
  message,
});
/** The content type of JSON answers, for raw responses whose body is an envelope encoded ahead. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export const rawResponse = (
  body: string | Buffer,
  contentType: string,
  status = 200,
  headers?: Record<string, string>,
): HandlerResult => ({ kind: 'raw', status, contentType, body, headers });

export interface HttpFunctionDefinition<P = unknown, Q = unknown, B = unknown, A extends Access = Access> {
  /** Unique function name, valid for Azure (letters, digits, '-' and '_'). */
  name: string;
  /** Route under /api, in Functions host syntax: `product/{id:int}`. */
  route: string;
  methods: Method[];
  access: A;
  /**
   * `live`: the token's session must still be open (checked in auth's sessions on each call), for
   * routes where a token of a signed-out session must stop working at once: password change, role
   * changes, orders and payment. Every ADMIN write needs it whatever this says (requiresLiveSession).
   */
  session?: 'live';
  bodyKind: BodyKind;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The shape of `data` on success, for the OpenAPI document. */
  response?: z.ZodType;
  /** Multipart file fields that are accepted; files in other fields are ignored. Images only. */
  files?: Record<string, FileFieldRule>;
  summary: string;
  tags: string[];
  /**
   * The answer, or a promise of it. A handler that has its answer at hand (health's encoded probes,
   * liveness) may return it directly: the pipeline then makes no promise on the way.
   */
  handler: (request: HandlerRequest<P, Q, B, A>) => MaybePromise<HandlerResult>;
}

// The registry stores definitions of many shapes; handlers are only ever called through the pipeline,
// which validates params/query/body with the same definition's schemas first.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHttpFunction = HttpFunctionDefinition<any, any, any, Access>;

/** A request as either host hands it to the pipeline. */
export interface IncomingHttp {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  params: Record<string, string>;
  clientIp: string;
  baseUrl: string;
  /** The correlation id when the host already settled it (correlationIdOf), so it is not made twice. */
  correlationId?: string;
}

export interface OutgoingHttp {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}
