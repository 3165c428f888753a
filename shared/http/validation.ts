import type { z } from 'zod';
import { isLibraryText, problemOf, readablePath } from '../zod-issues.js';
import { AppError, type FieldError } from './errors.js';

const subjects = { body: 'The request body', query: 'The query string', route: 'The address' } as const;

/**
 * Turns zod issues into the envelope's error: one sentence per field ("Name is required",
 * "cartDetails[0].count must be a whole number"), joined with "; ", the first field as `type`, and
 * every issue in `errors`. zod's own messages are rewritten (see zod-issues.ts); our schemas'
 * messages already name their field; one that does not gets the field's name before it.
 */
export function validationError(error: z.ZodError, where: 'body' | 'query' | 'route'): AppError {
  const issues = error.issues.flatMap(ownReasonOfUnion);
  const errors: FieldError[] = issues.map((issue) => {
    const path = readablePath(issue.path);
    const subject = path === '' ? subjects[where] : path;
    if (isLibraryText(issue.message)) {
      const problem = problemOf(issue);
      // A missing JSON body: say what to send rather than "is required".
      const message =
        path === '' && where === 'body' && problem === 'is required'
          ? 'The request body is required (JSON).'
          : `${subject} ${problem}`;
      return { path, message };
    }
    const last = issue.path.length > 0 ? String(issue.path[issue.path.length - 1]) : '';
    const named = last === '' || issue.message.toLowerCase().includes(last.toLowerCase());
    if (named) return { path, message: issue.message };
    // "must be an amount ..." reads as the rest of a sentence about the field.
    const predicate = /^(must|is|are|has|cannot|should)\b/.test(issue.message);
    return { path, message: predicate ? `${subject} ${issue.message}` : `${subject}: ${issue.message}` };
  });
  const field = issues[0]?.path[0];
  const message =
    errors.length === 0
      ? `${subjects[where]} is not valid.`
      : errors
          .slice(0, 3)
          .map((e) => e.message.replace(/\.$/, ''))
          .join('; ') + (errors.length > 3 ? ` (and ${errors.length - 3} more)` : '');
  return new AppError('validation_failed', message, {
    field: typeof field === 'string' ? field : '',
    errors,
  });
}

/**
 * A value that matched one option of a union by type but broke that option's own rule ("startsAt
 * must be between the years 2000 and 9999") reports that rule, not "is not valid".
 */
function ownReasonOfUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const ours = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.code === 'custom'));
  return ours ? ours.map((i) => ({ ...i, path: [...issue.path, ...i.path] })) : [issue];
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query' | 'route'): T {
  // reportInput: an issue then tells an absent value ("is required") from a wrong one; the input
  // itself never reaches the answer.
  const result = schema.safeParse(value, { reportInput: true });
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
