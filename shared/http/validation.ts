import type { z } from 'zod';
import { AppError, type FieldError } from './errors.js';

/** Turns zod issues into the envelope's error: a readable message, the first field, and every issue. */
export function validationError(error: z.ZodError, where: 'body' | 'query' | 'route'): AppError {
  const errors: FieldError[] = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = errors[0];
  const field = error.issues[0]?.path[0];
  // "Password must have 8 characters" already names its field; "Expected number" does not.
  const describe = (e: FieldError) => {
    const field = e.path.split('.').pop() ?? '';
    const named = field === '' || e.message.toLowerCase().includes(field.toLowerCase());
    return named ? e.message : `${e.path}: ${e.message}`;
  };
  const message =
    first === undefined
      ? `The ${where} is not valid.`
      : errors.slice(0, 3).map(describe).join('; ') +
        (errors.length > 3 ? ` (and ${errors.length - 3} more)` : '');
  return new AppError('validation_failed', message, {
    field: typeof field === 'string' ? field : '',
    errors,
  });
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query' | 'route'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

/** Query strings as an object of strings; an empty value means the parameter is absent. */
export function queryObject(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of query) {
    if (value === '' || Object.hasOwn(out, key)) continue;
    out[key] = value;
  }
  return out;
}
