import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';
import { z } from 'zod';

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

export function createPasswordHasher(cost: number): PasswordHasher {
  if (cost < 10) throw new Error('bcrypt cost must be at least 10');
  // A hash of a random secret at the same cost: comparing against it takes as long as a real check.
  // Made on bcrypt's worker thread, not the main one, so building the deps never blocks start-up.
  const dummyHash = bcrypt.hash(randomBytes(16).toString('hex'), cost);
  dummyHash.catch(() => {}); // a failure surfaces at the first verify, not as an unhandled rejection
  return {
    hash: (password) => bcrypt.hash(password, cost),
    async verify(password, storedHash) {
      const tooLong = Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
      const matches = await bcrypt.compare(tooLong ? '' : password, storedHash ?? (await dummyHash));
      return matches && storedHash !== undefined && !tooLong;
    },
  };
}

/** A random opaque secret for refresh and reset tokens, and the hash we store instead of it. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
