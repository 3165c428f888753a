import { setTimeout as sleep } from 'node:timers/promises';
import { PasswordChanged, PasswordResetRequested } from '../../shared/events/catalogue.js';
import { AppError } from '../../shared/http/errors.js';
import type { Caller } from '../../shared/http/types.js';
import { minutes } from '../../shared/time/clock.js';
import type { AuthDeps } from './auth.deps.js';
import { accountNamedBy } from './accounts.service.js';
import * as repo from './auth.repository.js';
import { clearPasswordCheckLimits, releasePasswordCheck, reservePasswordCheck } from './login-limits.js';
import { hashSecret, newSecret } from './passwords.js';

/**
 * Changes the password after checking the current one, a password check like a sign-in's that
 * counts against the same limits (login-limits.ts); every other session of the account ends.
 */
export async function changePassword(
  deps: AuthDeps,
  caller: Caller,
  input: { email?: string; currentPassword: string; newPassword: string },
  clientIp: string,
): Promise<void> {
  const user = await accountNamedBy(deps, caller, input.email);
  const reservation = await reservePasswordCheck(deps, user.email, clientIp);
  if (!(await deps.passwords.verify(input.currentPassword, user.password_hash))) {
    throw new AppError('bad_request', 'The current password is incorrect.', { field: 'currentPassword' });
  }
  await releasePasswordCheck(deps, reservation);
  if (input.currentPassword === input.newPassword) {
    throw new AppError('bad_request', 'The new password must differ from the current one.', {
      field: 'newPassword',
    });
  }
  const hash = await deps.passwords.hash(input.newPassword);
  const now = deps.clock.now();
  const keep = user.id === caller.userId ? caller.sessionId : null;
  await deps.transaction(async (trx, emit) => {
    await repo.updatePasswordHash(trx, user.id, hash, now);
    await repo.revokeSessionsOf(trx, user.id, keep, now);
    await emit(PasswordChanged, { userId: user.id, email: user.email, reason: 'changed' });
  });
}

/** forgotpassword answers no sooner than this, whether or not the account exists (see forgotPassword). */
export const FORGOT_PASSWORD_ANSWER_MS = 300;

/**
 * Asks for a single-use reset link (valid RESET_TOKEN_MINUTES) when the account exists: the token's
 * hash is stored and PasswordResetRequested (carrying the token, for the email domain to send)
 * commits in the same transaction, so a link is mailed exactly when a reset can use it. The answer
 * tells nothing about which emails have accounts: the same for every well-formed address, never
 * before FORGOT_PASSWORD_ANSWER_MS (an existing account's transaction would otherwise take
 * measurably longer than the lookup of an unknown one), and a failure to store the link is logged,
 * not answered (it would happen only for existing accounts).
 */
export async function forgotPassword(deps: AuthDeps, input: { email: string }): Promise<void> {
  const answerAt = performance.now() + FORGOT_PASSWORD_ANSWER_MS;
  try {
    await requestReset(deps, input.email);
  } catch (error) {
    deps.log.error('a password reset link could not be stored', { error });
  } finally {
    await sleep(Math.max(0, answerAt - performance.now()));
  }
}

async function requestReset(deps: AuthDeps, email: string): Promise<void> {
  const user = await repo.findUserByEmail(deps.db, email);
  if (!user) return;
  const token = newSecret();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + minutes(deps.config.RESET_TOKEN_MINUTES));
  await deps.transaction(async (trx, emit) => {
    await repo.closeOpenResets(trx, user.id, now);
    await repo.insertPasswordReset(trx, {
      user_id: user.id,
      token_hash: hashSecret(token),
      created_at: now,
      expires_at: expiresAt,
    });
    await emit(PasswordResetRequested, {
      userId: user.id,
      email: user.email,
      name: user.name,
      token,
      expiresAt: expiresAt.toISOString(),
    });
  });
}

/** Sets a new password with a reset token (once; it expires), and ends every session of the account. */
export async function resetPassword(
  deps: AuthDeps,
  input: { email: string; token: string; newPassword: string },
): Promise<void> {
  const invalid = () =>
    new AppError('bad_request', 'This reset link is invalid or has expired. Ask for a new one.', {
      field: 'token',
    });
  // The same bcrypt work for every input, before anything tells an account apart: an unknown email
  // would otherwise answer in a few milliseconds and a known one after a hash.
  const hash = await deps.passwords.hash(input.newPassword);
  const user = await repo.findUserByEmail(deps.db, input.email);
  if (!user) throw invalid();
  const now = deps.clock.now();
  await deps.transaction(async (trx, emit) => {
    if (!(await repo.consumePasswordReset(trx, user.id, hashSecret(input.token), now))) throw invalid();
    await repo.updatePasswordHash(trx, user.id, hash, now);
    await repo.revokeSessionsOf(trx, user.id, null, now);
    await emit(PasswordChanged, { userId: user.id, email: user.email, reason: 'reset' });
  });
  // The owner proved it: whatever slowed the account's sign-ins down ends.
  await clearPasswordCheckLimits(deps, user.email);
}
