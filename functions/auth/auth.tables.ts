import type { Generated, Kysely, Selectable } from 'kysely';
import type { MessagingTables } from '../../shared/events/outbox.tables.js';

export interface UsersTable {
  id: string;
  /** Normalised: trimmed, lower case. */
  email: string;
  password_hash: string;
  name: string;
  phone_number: string;
  address: string;
  /** `YYYY-MM-DD` or null: a date without a zone. */
  date_of_birth: string | null;
  avatar_key: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  refresh_token_hash: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date;
}

export interface PasswordResetsTable {
  id: Generated<number>;
  user_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  email: string;
  client_ip: string;
  failed_at: Date;
}

export interface AuthTables extends MessagingTables {
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  login_failures: LoginFailuresTable;
}

export type AuthDb = Kysely<AuthTables>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
