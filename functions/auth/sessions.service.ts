import { randomUUID } from 'node:crypto';
import { AppError, unauthorized } from '../../shared/http/errors.js';
import type { Caller } from '../../shared/http/types.js';
import { days } from '../../shared/time/clock.js';
import type { AuthDeps } from './auth.deps.js';
import * as repo from './auth.repository.js';
import type { User } from './auth.schemas.js';
import { releasePasswordCheck, reservePasswordCheck } from './login-limits.js';
import { hashSecret, newSecret } from './passwords.js';
import { toUser } from './user.mapper.js';

const wrongCredentials = 'The email or password is incorrect.';

/**
 * Signs in: the password check is reserved first against the limits (login-limits.ts: per account
 * and client address, and per account), one bcrypt comparison whether or not the account exists,
 * the same answer for an unknown email and a wrong password, and a new session whose refresh token
 * is stored hashed.
 */
export async function login(
  deps: AuthDeps,
  input: { email: string; password: string; clientIp: string; baseUrl: string },
): Promise<{ token: string; refreshToken: string; user: User }> {
  const reservation = await reservePasswordCheck(deps, input.email, input.clientIp);
  const user = await repo.findUserByEmail(deps.db, input.email);
  const valid = await deps.passwords.verify(input.password, user?.password_hash);
  if (!user || !valid) throw new AppError('bad_request', wrongCredentials, { field: 'password' });
  await releasePasswordCheck(deps, reservation);
  const now = deps.clock.now();
  const roles = await repo.rolesOf(deps.db, user.id);
  const sessionId = randomUUID();
  const refreshToken = newSecret();
  await repo.insertSession(deps.db, {
    id: sessionId,
    user_id: user.id,
    refresh_token_hash: hashSecret(refreshToken),
    created_at: now,
    expires_at: new Date(now.getTime() + days(deps.config.REFRESH_TOKEN_DAYS)),
  });
  const token = deps.tokens.sign({ sub: user.id, sid: sessionId, email: user.email, roles });
  return { token, refreshToken, user: toUser(user, roles, deps.blobs, input.baseUrl) };
}

/**
 * Issues a new access token for a live session. The refresh token comes back unchanged (the
 * storefront never stores a new one), so concurrent refreshes of one session all succeed. The
 * access token may be expired, but its signature must hold and it must belong to the same session.
 */
export async function refresh(
  deps: AuthDeps,
  input: { accessToken: string; refreshToken: string },
): Promise<{ token: string; refreshToken: string }> {
  const caller = deps.tokens.verify(input.accessToken, { allowExpired: true });
  const session = await repo.findSessionByRefreshHash(deps.db, hashSecret(input.refreshToken));
  const now = deps.clock.now();
  if (!session || session.id !== caller.sessionId || session.user_id !== caller.userId) {
    throw unauthorized('Your session is not valid. Please sign in again.');
  }
  if (session.revoked_at !== null) throw unauthorized('You have been signed out. Please sign in again.');
  if (session.expires_at.getTime() <= now.getTime())
    throw unauthorized('Your session has expired. Please sign in again.');
  const user = await repo.findUserById(deps.db, session.user_id);
  if (!user) throw unauthorized('Your account no longer exists.');
  const roles = await repo.rolesOf(deps.db, user.id);
  await repo.touchSession(deps.db, session.id, now);
  return {
    token: deps.tokens.sign({ sub: user.id, sid: session.id, email: user.email, roles }),
    refreshToken: input.refreshToken,
  };
}

/** Ends the caller's session only (other devices stay signed in). Without a token there is nothing to end. */
export async function logout(deps: AuthDeps, caller: Caller | null): Promise<void> {
  if (!caller) return;
  await repo.revokeSession(deps.db, caller.sessionId, caller.userId, deps.clock.now());
}
