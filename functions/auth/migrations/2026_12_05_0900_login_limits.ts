import { columnTypes } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';
import { CLIENT_ADDRESS_MAX_LENGTH } from '../../../shared/http/client-address.js';

/**
 * Sign-in limits that hold under concurrency. `login_failures` counted failures after the password
 * check, so parallel guesses were all checked before any was counted; it goes (what it held only
 * throttled for a quarter of an hour). Instead:
 * - `login_attempts`: one row per (account, client), whose `attempts` a password check reserves
 *   beforehand with one conditional UPDATE; `client_ip` is the address as throttling counts it (an
 *   IPv6 client's /64), sized for the longest text form of an address;
 * - `account_login_delays`: one row per account, whatever the address: past LOGIN_MAX_FAILURES the
 *   next check waits (`not_before`), the wait doubling up to LOGIN_DELAY_MAX_SECONDS;
 * - `account_known_clients`: the clients (as throttling counts them) an account signed in from; they
 *   skip the per-account wait, so guesses from elsewhere cannot keep the owner out.
 * Rows of both that no longer matter (quiet delays, clients not seen for REFRESH_TOKEN_DAYS) are
 * deleted at each successful sign-in, through the indexes on their times.
 */
export const loginLimits: DomainMigration = {
  name: '2026_12_05_0900_login_limits',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    await db.schema.dropTable('login_failures').execute();

    await db.schema
      .createTable('login_attempts')
      .addColumn('email', t.text(254), (c) => c.notNull())
      .addColumn('client_ip', t.text(CLIENT_ADDRESS_MAX_LENGTH), (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('window_started_at', t.instant, (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_login_attempts', ['email', 'client_ip'])
      .execute();
    await db.schema
      .createIndex('ix_login_attempts_window')
      .on('login_attempts')
      .column('window_started_at')
      .execute();

    await db.schema
      .createTable('account_login_delays')
      .addColumn('email', t.text(254), (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('last_failed_at', t.instant, (c) => c.notNull())
      .addColumn('not_before_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ix_account_login_delays_last_failed')
      .on('account_login_delays')
      .column('last_failed_at')
      .execute();

    await db.schema
      .createTable('account_known_clients')
      .addColumn('email', t.text(254), (c) => c.notNull())
      .addColumn('client_ip', t.text(CLIENT_ADDRESS_MAX_LENGTH), (c) => c.notNull())
      .addColumn('signed_in_at', t.instant, (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_account_known_clients', ['email', 'client_ip'])
      .execute();
    await db.schema
      .createIndex('ix_account_known_clients_signed_in')
      .on('account_known_clients')
      .column('signed_in_at')
      .execute();
  },
};
