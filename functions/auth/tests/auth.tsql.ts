import type { Kysely } from 'kysely';
import * as repo from '../auth.repository.js';
import type { AuthTables } from '../auth.tables.js';

/** Calls every repository function once, so the T-SQL check sees every query the domain can run. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function exercise(anyDb: Kysely<any>): Promise<string[]> {
  const db = anyDb as Kysely<AuthTables>;
  const at = new Date('2026-01-01T00:00:00Z');
  const id = '00000000-0000-4000-8000-000000000000';
  const calls: [string, () => Promise<unknown>][] = [
    ['findUserByEmail', () => repo.findUserByEmail(db, 'a@b.c')],
    ['findUserById', () => repo.findUserById(db, id)],
    ['findUsersByIds', () => repo.findUsersByIds(db, [id, id])],
    [
      'insertUser',
      () =>
        repo.insertUser(
          db,
          {
            id,
            email: 'a@b.c',
            password_hash: 'h',
            name: '',
            phone_number: '',
            address: '',
            date_of_birth: null,
            avatar_key: null,
            created_at: at,
            updated_at: at,
          },
          ['CUSTOMER'],
        ),
    ],
    ['rolesOf', () => repo.rolesOf(db, id)],
    ['addRole', () => repo.addRole(db, id, 'ADMIN')],
    [
      'updateProfile',
      () =>
        repo.updateProfile(db, id, {
          name: 'n',
          phone_number: '',
          address: '',
          date_of_birth: null,
          updated_at: at,
          avatar_key: 'k',
        }),
    ],
    ['updatePasswordHash', () => repo.updatePasswordHash(db, id, 'h', at)],
    [
      'insertSession',
      () =>
        repo.insertSession(db, { id, user_id: id, refresh_token_hash: 'h', created_at: at, expires_at: at }),
    ],
    ['findSessionByRefreshHash', () => repo.findSessionByRefreshHash(db, 'h')],
    ['touchSession', () => repo.touchSession(db, id, at)],
    ['revokeSession', () => repo.revokeSession(db, id, id, at)],
    ['revokeSessionsOf', () => repo.revokeSessionsOf(db, id, id, at)],
    [
      'insertPasswordReset',
      () => repo.insertPasswordReset(db, { user_id: id, token_hash: 'h', created_at: at, expires_at: at }),
    ],
    ['closeOpenResets', () => repo.closeOpenResets(db, id, at)],
    ['consumePasswordReset', () => repo.consumePasswordReset(db, id, 'h', at)],
    ['isSessionOpen', () => repo.isSessionOpen(db, id, id, at)],
    [
      'reserveLoginAttempt',
      () =>
        repo.reserveLoginAttempt(
          db,
          { email: 'a@b.c', clientIp: '2001:db8::/64' },
          { now: at, startedAfter: at, max: 10 },
        ),
    ],
    ['loginWindowStart', () => repo.loginWindowStart(db, { email: 'a@b.c', clientIp: '127.0.0.1' })],
    ['returnLoginAttempt', () => repo.returnLoginAttempt(db, { email: 'a@b.c', clientIp: '127.0.0.1' })],
    ['clearLoginAttempts', () => repo.clearLoginAttempts(db, 'a@b.c', '127.0.0.1', at)],
    ['findAccountLoginDelay', () => repo.findAccountLoginDelay(db, 'a@b.c')],
    [
      'insertAccountLoginDelay',
      () =>
        repo.insertAccountLoginDelay(db, {
          email: 'a@b.c',
          failures: 1,
          last_failed_at: at,
          not_before_at: at,
        }),
    ],
    [
      'advanceAccountLoginDelay',
      () =>
        repo.advanceAccountLoginDelay(
          db,
          'a@b.c',
          { failures: 1, last_failed_at: at },
          { failures: 2, last_failed_at: at, not_before_at: at },
          at,
        ),
    ],
    ['clearAccountLoginDelay', () => repo.clearAccountLoginDelay(db, 'a@b.c')],
    ['rememberKnownClient', () => repo.rememberKnownClient(db, { email: 'a@b.c', clientIp: '10.0.0.1' }, at)],
    [
      'forgetStaleLoginState',
      () => repo.forgetStaleLoginState(db, { now: at, quietBefore: at, knownSince: at }),
    ],
    ['isKnownClient', () => repo.isKnownClient(db, { email: 'a@b.c', clientIp: '10.0.0.1' }, at)],
  ];
  for (const [, call] of calls) await call().catch(() => undefined);
  await repo.revokeSessionsOf(db, id, null, at);
  await repo.clearLoginAttempts(db, 'a@b.c', null, at);
  return calls.map(([name]) => name);
}
