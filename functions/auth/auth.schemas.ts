import { z } from 'zod';
import { email, text } from '../../shared/http/fields.js';
import { newPasswordSchema, presentedPasswordSchema } from './passwords.js';

export const ROLES = ['ADMIN', 'CUSTOMER'] as const;
export type Role = (typeof ROLES)[number];

const phone = z
  .string({ message: 'Phone number must be text' })
  .trim()
  .max(30, 'Phone number must have at most 30 characters')
  .regex(/^[0-9+()\-.\s]*$/, 'Phone number may contain only digits, spaces and + ( ) - .');
const name = z
  .string({ message: 'Name must be text' })
  .trim()
  .max(100, 'Name must have at most 100 characters');
const address = z
  .string({ message: 'Address must be text' })
  .trim()
  .max(300, 'Address must have at most 300 characters');

export const registerBody = z.object({
  email: email(),
  password: newPasswordSchema,
  name: name.optional(),
  phoneNumber: phone.optional(),
  address: address.optional(),
});

export const loginBody = z.object({ email: email(), password: presentedPasswordSchema });

export const refreshBody = z.object({
  accessToken: z.string({ message: 'accessToken is required' }).min(1, 'accessToken is required').max(4096),
  refreshToken: z.string({ message: 'refreshToken is required' }).min(1, 'refreshToken is required').max(200),
});

export const userIdParams = z.object({
  userId: z.string().uuid({ message: 'userId must be a user id (UUID)' }),
});

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A birthday as the storefront posts it: JavaScript's `toDateString()` (`Mon Jun 18 1996`), or ISO
 * (`1996-06-18`, `1996-06-18T00:00:00`). Empty, `undefined`, `null` and `Invalid Date` clear it.
 * Returns `YYYY-MM-DD` (no zone: the day the user picked), null to clear, or undefined when the
 * field was not sent (keep what is stored, like every other field).
 */
export const dateOfBirth = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    const v = value.trim();
    if (v === '' || v === 'undefined' || v === 'null' || v === 'Invalid Date') return null;
    let y: number, m: number, d: number;
    const js = /^(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat) ([A-Z][a-z]{2}) (\d{2}) (\d{4})$/.exec(v);
    const iso = /^(\d{4})-(\d{2})-(\d{2})(?:T00:00:00(?:\.0+)?)?$/.exec(v);
    if (js) [y, m, d] = [Number(js[3]), months.indexOf(js[1] ?? '') + 1, Number(js[2])];
    else if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    else {
      ctx.addIssue({
        code: 'custom',
        message: 'Date of birth must be a date like "Mon Jun 18 1996" or 1996-06-18',
      });
      return z.NEVER;
    }
    const date = new Date(Date.UTC(y, m - 1, d));
    const valid =
      m >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    if (!valid || y < 1900 || date.getTime() > Date.now()) {
      ctx.addIssue({ code: 'custom', message: 'Date of birth is not a valid past date' });
      return z.NEVER;
    }
    return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  });

/** The edituser form (multipart): every field is text; `avatarUrl` is ignored (the file decides). */
export const editUserForm = z.object({
  email: email().optional(),
  name: name.optional(),
  phoneNumber: phone.optional(),
  address: address.optional(),
  dateOfBirth,
});

export const changePasswordBody = z.object({
  email: email().optional(),
  currentPassword: presentedPasswordSchema,
  newPassword: newPasswordSchema,
});

export const assignRoleBody = z.object({
  email: email(),
  role: z
    .string({ message: 'Role is required' })
    .trim()
    .toUpperCase()
    .pipe(z.enum(ROLES, { message: `Role must be one of ${ROLES.join(', ')}` })),
});

export const forgotPasswordBody = z.object({ email: email() });

export const resetPasswordBody = z.object({
  email: email(),
  token: text('Token', 1, 200),
  newPassword: newPasswordSchema,
});

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  phoneNumber: z.string(),
  address: z.string(),
  dateOfBirth: z.string().describe('YYYY-MM-DDT00:00:00 (no zone), or "" when unset'),
  avatar: z.string().describe('absolute URL or ""'),
  roles: z.array(z.enum(ROLES)),
});
export type User = z.infer<typeof userSchema>;

export const loginResult = z.object({ token: z.string(), refreshToken: z.string(), user: userSchema });
export const refreshResult = z.object({ token: z.string(), refreshToken: z.string() });
