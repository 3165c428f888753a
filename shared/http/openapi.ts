import { z } from 'zod';
import { parseRoute } from './routes.js';
import { errorStatus, type ErrorCode } from './errors.js';
import { hintFor } from './openapi-hints.js';
import type { AnyHttpFunction } from './types.js';

type JsonSchema = Record<string, unknown>;

/** What a handler can answer besides what the pipeline adds (generated: tools/openapi/route-outcomes.ts). */
export interface RouteOutcome {
  errors: ErrorCode[];
  success: number[];
  raw: string[];
  dataNull: boolean;
}
/** By function name, or a pattern with `*` for names a factory builds (`catalog-list-*`). */
export type RouteOutcomes = Record<string, RouteOutcome>;

export function outcomeOf(outcomes: RouteOutcomes, name: string): RouteOutcome | undefined {
  if (outcomes[name]) return outcomes[name];
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Object.entries(outcomes).find(([pattern]) =>
    pattern.includes('*')
      ? new RegExp(`^${pattern.split('*').map(escape).join('[^/]+')}$`).test(name)
      : false,
  )?.[1];
}

/**
 * The error codes the pipeline answers for a route whatever its handler does: by its access mode
 * (no, expired or invalid token; not an ADMIN), its schemas (validation) and its body kind (size,
 * malformed JSON or form data, a form that is not multipart, a file that is not an image), and 500.
 */
export function pipelineErrors(fn: AnyHttpFunction): ErrorCode[] {
  const codes = new Set<ErrorCode>(['internal']);
  if (fn.access === 'user' || fn.access === 'admin')
    ['unauthorized', 'token_expired', 'token_invalid'].forEach((c) => codes.add(c as ErrorCode));
  if (fn.access === 'admin') codes.add('forbidden');
  if (fn.params || fn.query || fn.body) codes.add('validation_failed');
  if (fn.bodyKind !== 'none') codes.add('payload_too_large');
  if (fn.bodyKind === 'json') codes.add('malformed_body');
  if (fn.bodyKind === 'multipart') {
    ['malformed_body', 'unsupported_media_type', 'validation_failed'].forEach((c) =>
      codes.add(c as ErrorCode),
    );
  }
  return [...codes];
}

const codeMeaning: Record<ErrorCode, string> = {
  validation_failed: 'a field is missing or not valid (`errors` lists each, `type` names the first)',
  malformed_body: 'the body is not valid JSON or form data',
  bad_request: 'refused by a rule of the shop (`message` says why, `type` names the form field)',
  unauthorized: 'no access token',
  token_expired: 'the access token has expired: refresh it and retry',
  token_invalid:
    'the access token is not valid, not sent as `Authorization: Bearer <token>`, or (on routes that check) its session has ended',
  forbidden: "another user's data, or an ADMIN-only action",
  not_found: 'no such item, or not one of yours',
  method_not_allowed: 'the route does not take this method',
  conflict: 'conflicts with the current state (exists already, already paid, changed meanwhile)',
  payload_too_large:
    'the body or an uploaded file is over the size limit (MAX_JSON_BODY_BYTES for JSON, MAX_BODY_BYTES, MAX_UPLOAD_BYTES)',
  unsupported_media_type: 'not multipart/form-data, or a file that is not a JPEG, PNG, WebP or GIF image',
  too_many_requests: 'too many attempts; wait a moment (`Retry-After`)',
  internal: 'unexpected; the message quotes a reference to give to support',
  unavailable: 'a service the shop depends on cannot answer; try again shortly',
};

const SAFE = Number.MAX_SAFE_INTEGER;

/** zod's int() reads as ±9007199254740991 bounds, which Swagger UI turns into examples: drop them. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonSchema = {};
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'minimum' && inner === -SAFE) || (key === 'maximum' && inner === SAFE)) continue;
    out[key] = tidy(inner);
  }
  return out;
}

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: (ctx) => {
      const hint = io === 'input' ? hintFor(ctx.zodSchema) : undefined;
      if (!hint) return;
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[key];
      Object.assign(ctx.jsonSchema, hint);
    },
  }) as JsonSchema;
  return tidy(rest) as JsonSchema;
};

const envelopeOf = (data: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['data', 'isSuccess', 'message', 'type'],
  properties: {
    data,
    isSuccess: { type: 'boolean', const: true },
    message: { type: 'string' },
    type: { type: 'string', description: 'The form field the message belongs to, or empty.' },
  },
});

const errorEnvelopeOf = (codes: ErrorCode[]): JsonSchema => ({
  type: 'object',
  required: ['data', 'isSuccess', 'message', 'type', 'code'],
  properties: {
    data: { type: 'null' },
    isSuccess: { const: false },
    message: { type: 'string', description: 'A sentence to show the user.' },
    type: { type: 'string', description: 'The form field the message belongs to, or empty.' },
    code: { type: 'string', enum: codes },
    errors: {
      type: 'array',
      description: 'With validation_failed: every field that is not valid.',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
});

const rawSchemas: Record<string, JsonSchema> = {
  'application/json': { type: 'object' },
  'text/html': { type: 'string' },
  '*/*': { type: 'string', format: 'binary' },
};

function responsesOf(fn: AnyHttpFunction, outcome: RouteOutcome | undefined): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  const data = fn.response ? toSchema(fn.response, 'output') : outcome?.dataNull ? { type: 'null' } : {};
  const raw = outcome?.raw ?? [];
  // A route that declares its response and answers raw JSON sends that response's envelope, encoded
  // ahead (the catalog's cached reads).
  const encodedEnvelope = fn.response !== undefined && raw.every((type) => type === 'application/json');
  for (const status of outcome?.success.length ? outcome.success : [200]) {
    if (status === 304) {
      responses['304'] = {
        description: 'Not Modified: the `If-None-Match` ETag is still the current one (no body)',
      };
      continue;
    }
    responses[String(status)] = {
      description: status >= 400 ? 'Answered with the same body, to say something is wrong' : 'Success',
      content:
        raw.length > 0 && !encodedEnvelope
          ? Object.fromEntries(raw.map((type) => [type, { schema: rawSchemas[type] ?? { type: 'string' } }]))
          : { 'application/json': { schema: envelopeOf(data) } },
    };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...pipelineErrors(fn), ...(outcome?.errors ?? [])])) {
    const status = errorStatus[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code].sort());
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.map((c) => `\`${c}\`: ${codeMeaning[c]}`).join('; '),
      ...(status === 401
        ? { headers: { 'WWW-Authenticate': { schema: { type: 'string', const: 'Bearer' } } } }
        : {}),
      content: { 'application/json': { schema: errorEnvelopeOf(codes) } },
    };
  }
  return responses;
}

/** The OpenAPI 3.1 document of every registered HTTP function, generated from the same zod schemas. */
export function openApiDocument(
  functions: AnyHttpFunction[],
  info: { title: string; version: string },
  outcomes: RouteOutcomes = {},
): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const fn of [...functions].sort((a, b) => a.route.localeCompare(b.route))) {
    const segments = parseRoute(fn.route);
    const path = '/api/' + segments.map((s) => (s.kind === 'literal' ? s.value : `{${s.value}}`)).join('/');
    const paramSchemas = fn.params
      ? ((toSchema(fn.params, 'input').properties ?? {}) as Record<string, JsonSchema>)
      : {};
    const parameters: unknown[] = segments
      .filter((s) => s.kind !== 'literal')
      .map((s) => ({
        name: s.value,
        in: 'path',
        required: true,
        schema:
          paramSchemas[s.value] ??
          (s.constraint === 'int' ? { type: 'integer', minimum: 1, examples: [1] } : { type: 'string' }),
      }));
    if (fn.query) {
      const query = toSchema(fn.query, 'input') as {
        properties?: Record<string, JsonSchema>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        const { description, ...rest } = schema;
        parameters.push({
          name,
          in: 'query',
          required: query.required?.includes(name) ?? false,
          ...(typeof description === 'string' ? { description } : {}),
          schema: rest,
        });
      }
    }
    const operation: Record<string, unknown> = {
      operationId: fn.name,
      summary: fn.summary,
      tags: fn.tags,
      parameters,
      responses: responsesOf(fn, outcomeOf(outcomes, fn.name)),
    };
    if (fn.access === 'user' || fn.access === 'admin' || fn.access === 'optional') {
      operation['security'] = [{ bearer: [] }];
    }
    if (fn.access === 'admin') operation['description'] = 'Needs an ADMIN token.';
    if (fn.bodyKind === 'json' && fn.body) {
      operation['requestBody'] = {
        required: true,
        content: { 'application/json': { schema: toSchema(fn.body, 'input') } },
      };
    } else if (fn.bodyKind === 'multipart') {
      const fields = fn.body
        ? (toSchema(fn.body, 'input') as { properties?: Record<string, unknown>; required?: string[] })
        : {};
      const files = Object.fromEntries(
        Object.entries(fn.files ?? {}).map(([name, rule]) => [
          name,
          rule.maxCount > 1
            ? {
                type: 'array',
                maxItems: rule.maxCount,
                items: { type: 'string', format: 'binary' },
                description: `Up to ${rule.maxCount} images (JPEG, PNG, WebP or GIF).`,
              }
            : { type: 'string', format: 'binary', description: 'An image (JPEG, PNG, WebP or GIF).' },
        ]),
      );
      operation['requestBody'] = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: { ...fields.properties, ...files },
              ...(fields.required?.length ? { required: fields.required } : {}),
            },
          },
        },
      };
    } else if (fn.bodyKind === 'raw') {
      operation['requestBody'] = {
        required: true,
        content: { 'application/json': { schema: { type: 'object' } } },
      };
    }
    for (const method of fn.methods) (paths[path] ??= {})[method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description: [
        'Every answer is the envelope `{ data, isSuccess, message, type }`; an error adds a stable `code`',
        '(and `errors` for validation). Each operation lists the statuses it can answer with their codes.',
        'Protected operations need `Authorization: Bearer <token>` from `POST /api/auth/login`; on 401 refresh',
        'the token with `POST /api/auth/refresh`. Behind API Management the gateway may also answer 429',
        '(rate limits) and 401 before the function runs.',
      ].join(' '),
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
