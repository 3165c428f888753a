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

/** Password checks reserved per (account, client) in the current window. */
export interface LoginAttemptsTable {
  email: string;
  /** The client as throttling counts it: an IPv4 address, an IPv6 client's /64, '' when unknown. */
  client_ip: string;
  attempts: number;
  window_started_at: Date;
}

/** Per account, whatever the address: checks reserved and not yet given back by a success. */
export interface AccountLoginDelaysTable {
  email: string;
  failures: number;
  last_failed_at: Date;
  /** No password check of the account before this instant. */
  not_before_at: Date;
}

/** A client an account signed in from (it skips the per-account wait while recent). */
export interface AccountKnownClientsTable {
  email: string;
  client_ip: string;
  signed_in_at: Date;
}

export interface AuthTables extends MessagingTables {
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  login_attempts: LoginAttemptsTable;
  account_login_delays: AccountLoginDelaysTable;
  account_known_clients: AccountKnownClientsTable;
}

export type AuthDb = Kysely<AuthTables>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AccountLoginDelayRow = Selectable<AccountLoginDelaysTable>;
