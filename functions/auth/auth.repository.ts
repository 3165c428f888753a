import type { Insertable } from 'kysely';
import { isUniqueViolation } from '../../shared/db/dialect.js';
import type { AuthDb, UsersTable } from './auth.tables.js';

/** Kysely only: every function takes the database or a transaction first and returns rows. */

export function findUserByEmail(db: AuthDb, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUserById(db: AuthDb, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUsersByIds(db: AuthDb, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'phone_number'])
    .where('id', 'in', ids)
    .execute();
}

export async function insertUser(db: AuthDb, user: Insertable<UsersTable>, roles: string[]): Promise<void> {
  await db.insertInto('users').values(user).execute();
  if (roles.length > 0) {
    await db
      .insertInto('user_roles')
      .values(roles.map((role) => ({ user_id: user.id, role })))
      .execute();
  }
}

export async function rolesOf(db: AuthDb, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_roles')
    .select('role')
    .where('user_id', '=', userId)
    .orderBy('role')
    .execute();
  return rows.map((r) => r.role);
}

/** Adds a role unless the user has it (the primary key keeps it single under races). */
export async function addRole(db: AuthDb, userId: string, role: string): Promise<void> {
  try {
    await db.insertInto('user_roles').values({ user_id: userId, role }).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

export async function updateProfile(
  db: AuthDb,
  userId: string,
  profile: Pick<UsersTable, 'name' | 'phone_number' | 'address' | 'date_of_birth' | 'updated_at'> & {
    avatar_key?: string | null;
  },
): Promise<void> {
  await db.updateTable('users').set(profile).where('id', '=', userId).execute();
}

export async function updatePasswordHash(
  db: AuthDb,
  userId: string,
  passwordHash: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: at })
    .where('id', '=', userId)
    .execute();
}

// Sessions

export async function insertSession(
  db: AuthDb,
  session: { id: string; user_id: string; refresh_token_hash: string; created_at: Date; expires_at: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ ...session, revoked_at: null, last_used_at: session.created_at })
    .execute();
}

export function findSessionByRefreshHash(db: AuthDb, refreshTokenHash: string) {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('refresh_token_hash', '=', refreshTokenHash)
    .executeTakeFirst();
}

/** True when the user's session is neither revoked nor past its absolute limit. */
export async function isSessionOpen(
  db: AuthDb,
  sessionId: string,
  userId: string,
  at: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('sessions')
    .select('id')
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return row !== undefined;
}

export async function touchSession(db: AuthDb, sessionId: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_used_at: at }).where('id', '=', sessionId).execute();
}

export async function revokeSession(db: AuthDb, sessionId: string, userId: string, at: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes every open session of the user except `keep` (pass null to revoke them all). */
export async function revokeSessionsOf(
  db: AuthDb,
  userId: string,
  keep: string | null,
  at: Date,
): Promise<void> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep !== null) query = query.where('id', '!=', keep);
  await query.execute();
}

// Password resets

export async function insertPasswordReset(
  db: AuthDb,
  reset: { user_id: string; token_hash: string; created_at: Date; expires_at: Date },
): Promise<void> {
  await db
    .insertInto('password_resets')
    .values({ ...reset, used_at: null })
    .execute();
}

/** Marks the user's unused reset tokens as used, so only the newest link works. */
export async function closeOpenResets(db: AuthDb, userId: string, at: Date): Promise<void> {
  await db
    .updateTable('password_resets')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

/**
 * Uses a reset token once: one conditional update that only an unused, unexpired token of that user
 * passes. Returns true when this call consumed it (false for unknown, used, expired or raced tokens).
 */
export async function consumePasswordReset(
  db: AuthDb,
  userId: string,
  tokenHash: string,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('password_resets')
    .set({ used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// Sign-in limits (see login-limits.ts)

/**
 * Reserves one password check for (email, client) in one conditional UPDATE: it passes only while
 * fewer than `max` checks were reserved in the window (or the window is over, which starts a new one),
 * so concurrent guesses cannot all pass a count read before any of them is recorded. A pair without
 * a row gets one (a lost race to create it tries the UPDATE once more). True when reserved.
 */
export async function reserveLoginAttempt(
  db: AuthDb,
  key: { email: string; clientIp: string },
  window: { now: Date; startedAfter: Date; max: number },
): Promise<boolean> {
  const reserve = async () => {
    const result = await db
      .updateTable('login_attempts')
      .set((eb) => {
        const over = eb('window_started_at', '<=', window.startedAfter);
        return {
          attempts: eb
            .case()
            .when(over)
            .then(1)
            .else(eb('attempts', '+', 1))
            .end(),
          window_started_at: eb.case().when(over).then(window.now).else(eb.ref('window_started_at')).end(),
        };
      })
      .where('email', '=', key.email)
      .where('client_ip', '=', key.clientIp)
      .where((eb) =>
        eb.or([eb('attempts', '<', window.max), eb('window_started_at', '<=', window.startedAfter)]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  };
  if (await reserve()) return true;
  try {
    await db
      .insertInto('login_attempts')
      .values({ email: key.email, client_ip: key.clientIp, attempts: 1, window_started_at: window.now })
      .execute();
    return true;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return reserve();
  }
}

/** When the pair's current window began (for the Retry-After of a refusal). */
export async function loginWindowStart(db: AuthDb, key: { email: string; clientIp: string }) {
  const row = await db
    .selectFrom('login_attempts')
    .select('window_started_at')
    .where('email', '=', key.email)
    .where('client_ip', '=', key.clientIp)
    .executeTakeFirst();
  return row?.window_started_at ?? null;
}

/** Gives one reserved check back (it never ran: the account's own limit refused it). */
export async function returnLoginAttempt(
  db: AuthDb,
  key: { email: string; clientIp: string },
): Promise<void> {
  await db
    .updateTable('login_attempts')
    .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
    .where('email', '=', key.email)
    .where('client_ip', '=', key.clientIp)
    .where('attempts', '>', 0)
    .execute();
}

/**
 * Forgets the account's reserved checks after a success: the pair's (or, with no client, every
 * pair of the account: a password reset), and any pair whose window ended before `staleBefore`.
 */
export async function clearLoginAttempts(
  db: AuthDb,
  email: string,
  clientIp: string | null,
  staleBefore: Date,
): Promise<void> {
  await db
    .deleteFrom('login_attempts')
    .where((eb) =>
      eb.or([
        clientIp === null
          ? eb('email', '=', email)
          : eb.and([eb('email', '=', email), eb('client_ip', '=', clientIp)]),
        eb('window_started_at', '<', staleBefore),
      ]),
    )
    .execute();
}

export function findAccountLoginDelay(db: AuthDb, email: string) {
  return db.selectFrom('account_login_delays').selectAll().where('email', '=', email).executeTakeFirst();
}

/** The account's first reserved check; false when another request created the row first. */
export async function insertAccountLoginDelay(
  db: AuthDb,
  row: { email: string; failures: number; last_failed_at: Date; not_before_at: Date },
): Promise<boolean> {
  try {
    await db.insertInto('account_login_delays').values(row).execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Moves the account's delay on from the state the caller read (compare and set, one statement):
 * false when another check changed it meanwhile, or when its wait is not over at `now`.
 */
export async function advanceAccountLoginDelay(
  db: AuthDb,
  email: string,
  read: { failures: number; last_failed_at: Date },
  next: { failures: number; last_failed_at: Date; not_before_at: Date },
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('account_login_delays')
    .set(next)
    .where('email', '=', email)
    .where('failures', '=', read.failures)
    .where('last_failed_at', '=', read.last_failed_at)
    .where('not_before_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A success (or a password reset) ends the account's delay. */
export async function clearAccountLoginDelay(db: AuthDb, email: string): Promise<void> {
  await db.deleteFrom('account_login_delays').where('email', '=', email).execute();
}

/** Records that the account signed in from this client (insert, or move the time on). */
export async function rememberKnownClient(
  db: AuthDb,
  key: { email: string; clientIp: string },
  at: Date,
): Promise<void> {
  const moved = await db
    .updateTable('account_known_clients')
    .set({ signed_in_at: at })
    .where('email', '=', key.email)
    .where('client_ip', '=', key.clientIp)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 1) return;
  try {
    await db
      .insertInto('account_known_clients')
      .values({ email: key.email, client_ip: key.clientIp, signed_in_at: at })
      .execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

/** Whether the account signed in from this client after `since`. */
export async function isKnownClient(
  db: AuthDb,
  key: { email: string; clientIp: string },
  since: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('account_known_clients')
    .select('email')
    .where('email', '=', key.email)
    .where('client_ip', '=', key.clientIp)
    .where('signed_in_at', '>', since)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Forgets what no longer limits anyone: account delays whose wait is over and whose last failure is
 * older than `quietBefore` (guesses at emails without an account leave such rows too), and known
 * clients not seen since `knownSince`.
 */
export async function forgetStaleLoginState(
  db: AuthDb,
  at: { now: Date; quietBefore: Date; knownSince: Date },
): Promise<void> {
  await db
    .deleteFrom('account_login_delays')
    .where('last_failed_at', '<', at.quietBefore)
    .where('not_before_at', '<=', at.now)
    .execute();
  await db.deleteFrom('account_known_clients').where('signed_in_at', '<', at.knownSince).execute();
}
