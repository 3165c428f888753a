import { z } from 'zod';
import type { AnyHttpFunction } from './types.js';
import { parseRoute } from '../functions/naming.js';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const envelopeOf = (data: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['data', 'isSuccess', 'message', 'type'],
  properties: {
    data,
    isSuccess: { type: 'boolean' },
    message: { type: 'string' },
    type: { type: 'string', description: 'The form field the message belongs to, or empty.' },
  },
});

const errorEnvelope: JsonSchema = {
  type: 'object',
  properties: {
    data: { type: 'null' },
    isSuccess: { const: false },
    message: { type: 'string' },
    type: { type: 'string' },
    code: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/** The OpenAPI 3.1 document of every registered HTTP function, generated from the same zod schemas. */
export function openApiDocument(
  functions: AnyHttpFunction[],
  info: { title: string; version: string },
): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const fn of [...functions].sort((a, b) => a.route.localeCompare(b.route))) {
    const segments = parseRoute(fn.route);
    const path = '/api/' + segments.map((s) => (s.kind === 'literal' ? s.value : `{${s.value}}`)).join('/');
    const parameters: unknown[] = segments
      .filter((s) => s.kind !== 'literal')
      .map((s) => ({
        name: s.value,
        in: 'path',
        required: true,
        schema: { type: s.constraint === 'int' ? 'integer' : 'string' },
      }));
    if (fn.query) {
      const query = toSchema(fn.query, 'input') as {
        properties?: Record<string, JsonSchema>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
      }
    }
    const operation: Record<string, unknown> = {
      operationId: fn.name,
      summary: fn.summary,
      tags: fn.tags,
      parameters,
      responses: {
        '200': {
          description: 'Success',
          content: {
            'application/json': { schema: envelopeOf(fn.response ? toSchema(fn.response, 'output') : {}) },
          },
        },
        '400': { description: 'Invalid input', content: { 'application/json': { schema: errorEnvelope } } },
        ...(fn.access === 'user' || fn.access === 'admin'
          ? { '401': { description: 'Not signed in, or the token is invalid or expired' } }
          : {}),
        ...(fn.access === 'admin' ? { '403': { description: 'Not an administrator' } } : {}),
      },
    };
    if (fn.access === 'user' || fn.access === 'admin' || fn.access === 'optional') {
      operation['security'] = [{ bearer: [] }];
    }
    if (fn.bodyKind === 'json' && fn.body) {
      operation['requestBody'] = {
        required: true,
        content: { 'application/json': { schema: toSchema(fn.body, 'input') } },
      };
    } else if (fn.bodyKind === 'multipart') {
      const fields = fn.body ? (toSchema(fn.body, 'input') as { properties?: Record<string, unknown> }) : {};
      const files = Object.fromEntries(
        Object.entries(fn.files ?? {}).map(([name, rule]) => [
          name,
          rule.maxCount > 1
            ? { type: 'array', items: { type: 'string', format: 'binary' } }
            : { type: 'string', format: 'binary' },
        ]),
      );
      operation['requestBody'] = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: { type: 'object', properties: { ...fields.properties, ...files } },
          },
        },
      };
    }
    for (const method of fn.methods) (paths[path] ??= {})[method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
