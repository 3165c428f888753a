import { randomBytes, randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../shared/db/dialect.js';
import { UserRegistered } from '../../shared/events/catalogue.js';
import { AppError, forbidden, notFound } from '../../shared/http/errors.js';
import type { Caller, UploadedFile } from '../../shared/http/types.js';
import type { AuthDeps } from './auth.deps.js';
import * as repo from './auth.repository.js';
import type { Role, User } from './auth.schemas.js';
import { toUser } from './user.mapper.js';

const emailTaken = () =>
  new AppError('bad_request', 'An account with this email already exists.', { field: 'email' });

/** Creates a customer account and announces it (UserRegistered) in the same transaction. */
export async function register(
  deps: AuthDeps,
  input: { email: string; password: string; name?: string; phoneNumber?: string; address?: string },
  roles: Role[] = ['CUSTOMER'],
): Promise<string> {
  if (await repo.findUserByEmail(deps.db, input.email)) throw emailTaken();
  const { password, ...rest } = input;
  return createAccount(deps, { ...rest, passwordHash: await deps.passwords.hash(password) }, roles);
}

/** Creates an account whose password is already hashed, and announces it (UserRegistered). */
async function createAccount(
  deps: AuthDeps,
  input: { email: string; passwordHash: string; name?: string; phoneNumber?: string; address?: string },
  roles: Role[],
): Promise<string> {
  const { passwordHash } = input;
  const now = deps.clock.now();
  const id = randomUUID();
  const name = input.name ?? '';
  try {
    await deps.transaction(async (trx, emit) => {
      await repo.insertUser(
        trx,
        {
          id,
          email: input.email,
          password_hash: passwordHash,
          name,
          phone_number: input.phoneNumber ?? '',
          address: input.address ?? '',
          date_of_birth: null,
          avatar_key: null,
          created_at: now,
          updated_at: now,
        },
        roles,
      );
      await emit(UserRegistered, { userId: id, email: input.email, name });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  return id;
}

/** The caller may act on their own account; an ADMIN on anyone's. */
export function assertSelfOrAdmin(caller: Caller, userId: string): void {
  if (caller.userId !== userId && !caller.isAdmin)
    throw forbidden('You can only see or change your own account.');
}

export async function getUser(
  deps: AuthDeps,
  caller: Caller,
  userId: string,
  baseUrl: string,
): Promise<User> {
  assertSelfOrAdmin(caller, userId);
  const row = await repo.findUserById(deps.db, userId);
  if (!row) throw notFound('No user has that id.');
  return toUser(row, await repo.rolesOf(deps.db, row.id), deps.blobs, baseUrl);
}

/** Resolves the account an `email` field names: the caller's own, or (ADMIN only) another user's. */
export async function accountNamedBy(deps: AuthDeps, caller: Caller, email: string | undefined) {
  if (email !== undefined && email !== caller.email && !caller.isAdmin) {
    throw forbidden('You can only change your own account.');
  }
  const row =
    email === undefined || email === caller.email
      ? await repo.findUserById(deps.db, caller.userId)
      : await repo.findUserByEmail(deps.db, email);
  if (!row) throw notFound('No account has that email.');
  return row;
}

/**
 * Updates the profile from the storefront's form. A new avatar is stored through the blob port
 * first (under a fresh key, so a failed update never points at a half-written file); the old one is
 * removed after the update commits.
 */
export async function editUser(
  deps: AuthDeps,
  caller: Caller,
  input: {
    email?: string;
    name?: string;
    phoneNumber?: string;
    address?: string;
    /** YYYY-MM-DD, null to clear, undefined to keep. */
    dateOfBirth?: string | null;
    avatar?: UploadedFile;
  },
  baseUrl: string,
): Promise<User> {
  const row = await accountNamedBy(deps, caller, input.email);
  let avatarKey: string | undefined;
  if (input.avatar) {
    avatarKey = `avatars/${row.id}/${randomBytes(8).toString('hex')}.${input.avatar.extension}`;
    await deps.blobs.put(avatarKey, input.avatar.bytes, input.avatar.contentType);
  }
  await repo.updateProfile(deps.db, row.id, {
    name: input.name ?? row.name,
    phone_number: input.phoneNumber ?? row.phone_number,
    address: input.address ?? row.address,
    date_of_birth: input.dateOfBirth === undefined ? row.date_of_birth : input.dateOfBirth,
    updated_at: deps.clock.now(),
    ...(avatarKey ? { avatar_key: avatarKey } : {}),
  });
  if (avatarKey && row.avatar_key) {
    await deps.blobs
      .delete(row.avatar_key)
      .catch((error: unknown) => deps.log.warn('old avatar not removed', { error }));
  }
  const updated = await repo.findUserById(deps.db, row.id);
  if (!updated) throw notFound('No user has that id.');
  return toUser(updated, await repo.rolesOf(deps.db, row.id), deps.blobs, baseUrl);
}

export async function assignRole(deps: AuthDeps, input: { email: string; role: Role }): Promise<void> {
  const user = await repo.findUserByEmail(deps.db, input.email);
  if (!user) throw notFound('No account has that email.');
  await repo.addRole(deps.db, user.id, input.role);
}

/**
 * Makes sure an account exists with the given roles: the ADMIN from settings, and the demo
 * accounts. An existing account keeps its password; missing roles are added.
 */
export async function ensureAccount(
  deps: AuthDeps,
  account: { email: string; name: string; roles: Role[] } & (
    | { password: string }
    | { passwordHash: string } // a hash made earlier (the demo accounts ship theirs)
  ),
): Promise<void> {
  const existing = await repo.findUserByEmail(deps.db, account.email);
  if (!existing) {
    const { email, name, roles } = account;
    try {
      if ('passwordHash' in account)
        await createAccount(deps, { email, name, passwordHash: account.passwordHash }, roles);
      else await register(deps, { email, name, password: account.password }, roles);
    } catch (error) {
      // Another instance created it at the same moment: fall through and add the roles.
      if (!(error instanceof AppError && error.field === 'email')) throw error;
    }
  }
  const user = existing ?? (await repo.findUserByEmail(deps.db, account.email));
  if (user) for (const role of account.roles) await repo.addRole(deps.db, user.id, role);
}
