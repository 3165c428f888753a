import type { z } from 'zod';

/**
 * How a field looks in the OpenAPI document when its zod schema cannot say it: a value parsed from
 * text by a transform (an id, a page size, a sort) reads to zod's JSON Schema as "a string or a
 * number", which Swagger UI pre-fills with 0. The hint replaces that with what the field accepts.
 * Validation is untouched.
 */
const hints = new WeakMap<object, Record<string, unknown>>();

export function documentedAs<T extends z.ZodType>(schema: T, jsonSchema: Record<string, unknown>): T {
  hints.set(schema, jsonSchema);
  return schema;
}

export function hintFor(schema: unknown): Record<string, unknown> | undefined {
  return typeof schema === 'object' && schema !== null ? hints.get(schema) : undefined;
}
