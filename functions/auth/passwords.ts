import { createHash, randomBytes, randomInt } from 'node:crypto';
import type Bcrypt from 'bcrypt';
import { z } from 'zod';
import { loadOnce } from '../../shared/platform/load-once.js';

/** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
export const MAX_PASSWORD_BYTES = 72;

/** The password policy, with a message for each rule the form can show under the field. */
export const newPasswordSchema = z
  .string({ message: 'Password is required' })
  .min(8, 'Password must have at least 8 characters')
  .refine(
    (p) => Buffer.byteLength(p, 'utf8') <= MAX_PASSWORD_BYTES,
    `Password must be at most ${MAX_PASSWORD_BYTES} bytes long`,
  )
  .refine((p) => /[a-z]/.test(p), 'Password must contain a lower-case letter')
  .refine((p) => /[A-Z]/.test(p), 'Password must contain an upper-case letter')
  .refine((p) => /\d/.test(p), 'Password must contain a digit')
  .refine((p) => p.trim() === p, 'Password must not start or end with a space');

/** Any presented password (login, current password): only bounded, never judged by the policy. */
export const presentedPasswordSchema = z
  .string({ message: 'Password is required' })
  .min(1, 'Password is required')
  .max(200, 'Password is too long');

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Always costs one bcrypt comparison, even without a stored hash, so timing reveals nothing. */
  verify(password: string, storedHash: string | undefined): Promise<boolean>;
}

/**
 * The native module, loaded at the first password check or hash rather than at start-up; a failed
 * load (a broken native build) is tried again at the next use.
 */
const bcrypt = loadOnce(async (): Promise<typeof Bcrypt> => (await import('bcrypt')).default);

export function createPasswordHasher(cost: number): PasswordHasher {
  if (cost < 10) throw new Error('bcrypt cost must be at least 10');
  const dummyHash = unmatchableHash(cost);
  return {
    hash: async (password) => (await bcrypt()).hash(password, cost),
    async verify(password, storedHash) {
      const tooLong = Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
      const matches = await (await bcrypt()).compare(tooLong ? '' : password, storedHash ?? dummyHash);
      return matches && storedHash !== undefined && !tooLong;
    },
  };
}

const bcryptAlphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A bcrypt hash at `cost` that no password matches: a random salt and a random digest, so nobody
 * knows a preimage (there may be none). Comparing against it runs the full key schedule at that
 * cost, as long as a real check, so a login for an unknown account takes as long as a wrong
 * password. Made without hashing anything: building the auth domain costs no bcrypt work.
 */
export function unmatchableHash(cost: number): string {
  const random = Array.from({ length: 53 }, () => bcryptAlphabet[randomInt(bcryptAlphabet.length)]).join('');
  return `$2b$${String(cost).padStart(2, '0')}$${random}`;
}

/** A random opaque secret for refresh and reset tokens, and the hash we store instead of it. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
