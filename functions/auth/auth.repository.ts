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

// Failed logins (throttling per account and client address)

export async function countRecentFailures(
  db: AuthDb,
  email: string,
  clientIp: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('failures'))
    .where('email', '=', email)
    .where('client_ip', '=', clientIp)
    .where('failed_at', '>', since)
    .executeTakeFirst();
  return Number(row?.failures ?? 0);
}

export async function oldestRecentFailure(db: AuthDb, email: string, clientIp: string, since: Date) {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.min('failed_at').as('first_at'))
    .where('email', '=', email)
    .where('client_ip', '=', clientIp)
    .where('failed_at', '>', since)
    .executeTakeFirst();
  return row?.first_at ?? null;
}

export async function recordLoginFailure(
  db: AuthDb,
  email: string,
  clientIp: string,
  at: Date,
): Promise<void> {
  await db.insertInto('login_failures').values({ email, client_ip: clientIp, failed_at: at }).execute();
}

/** Forgets the pair's failures (after a successful login) and any older than the window. */
export async function clearLoginFailures(
  db: AuthDb,
  email: string,
  clientIp: string,
  olderThan: Date,
): Promise<void> {
  await db
    .deleteFrom('login_failures')
    .where((eb) =>
      eb.or([
        eb.and([eb('email', '=', email), eb('client_ip', '=', clientIp)]),
        eb('failed_at', '<', olderThan),
      ]),
    )
    .execute();
}
