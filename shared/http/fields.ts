import { z } from 'zod';
import { documentedAs } from './openapi-hints.js';

/**
 * Field schemas shared by every domain. Route and query values arrive as strings: they are parsed
 * strictly here (never z.coerce, which turns "" into 0 and "1e3" into 1000).
 */

/** A positive integer id given as text (route or query) or, in JSON bodies, as a number. */
export const id = (label = 'id') =>
  documentedAs(
    z
      .union([z.number(), z.string()], {
        error: (issue) =>
          issue.input === undefined ? `${label} is required` : `${label} must be a positive whole number`,
      })
      .transform((value, ctx) => {
        const text = typeof value === 'number' ? String(value) : value.trim();
        if (!/^\d{1,10}$/.test(text) || Number(text) < 1 || Number(text) > 2_147_483_647) {
          ctx.addIssue({ code: 'custom', message: `${label} must be a positive whole number` });
          return z.NEVER;
        }
        return Number(text);
      }),
    { type: 'integer', minimum: 1, maximum: 2_147_483_647, examples: [1] },
  );

/**
 * An id in a JSON body is a number (storefront-api.md): a string where a number belongs is refused,
 * never coerced.
 */
export const bodyId = (label: string) =>
  z
    .number({ message: `${label} must be a number` })
    .int(`${label} must be a positive whole number`)
    .min(1, `${label} must be a positive whole number`)
    .max(2_147_483_647, `${label} is too large`);

/** A `userId` in a body (`cartHeader.userId`): absent, null or '' means the caller. */
export const bodyUserId = () =>
  z
    .string({ message: 'userId must be text' })
    .trim()
    .max(64, 'userId must have at most 64 characters')
    .nullable()
    .optional();

/** An optional whole number from a query string, within bounds, with a default. */
export const intQuery = (label: string, fallback: number, min: number, max: number) =>
  documentedAs(
    z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return fallback;
        const text = value.trim();
        if (!/^-?\d{1,10}$/.test(text)) {
          ctx.addIssue({ code: 'custom', message: `${label} must be a whole number` });
          return z.NEVER;
        }
        const n = Number(text);
        if (n < min || n > max) {
          ctx.addIssue({ code: 'custom', message: `${label} must be between ${min} and ${max}` });
          return z.NEVER;
        }
        return n;
      }),
    { type: 'integer', minimum: min, maximum: max, default: fallback },
  );

/** A trimmed string with a length range and a readable message. */
export const text = (label: string, min: number, max: number) =>
  z
    .string({ message: `${label} must be text` })
    .trim()
    .min(min, min === 1 ? `${label} is required` : `${label} must have at least ${min} characters`)
    .max(max, `${label} must have at most ${max} characters`);

/** An email address, normalised (trimmed, lower case) so it compares alike in both databases. */
export const email = () =>
  z
    .string({ message: 'Email is required' })
    .trim()
    .toLowerCase()
    .pipe(
      z.email({ message: 'Enter a valid email address' }).max(254, 'Email must have at most 254 characters'),
    );
