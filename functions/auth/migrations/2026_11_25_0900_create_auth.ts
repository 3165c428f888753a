import { sql } from 'kysely';
import { columnTypes, withIdColumn } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

export const createAuth: DomainMigration = {
  name: '2026_11_25_0900_create_auth',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    await db.schema
      .createTable('users')
      .addColumn('id', t.text(36), (c) => c.primaryKey())
      .addColumn('email', t.text(254), (c) => c.notNull())
      .addColumn('password_hash', t.text(100), (c) => c.notNull())
      .addColumn('name', t.text(100), (c) => c.notNull())
      .addColumn('phone_number', t.text(30), (c) => c.notNull())
      .addColumn('address', t.text(300), (c) => c.notNull())
      .addColumn('date_of_birth', t.text(10))
      .addColumn('avatar_key', t.text(300))
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ux_users_email').on('users').column('email').unique().execute();

    await db.schema
      .createTable('user_roles')
      .addColumn('user_id', t.text(36), (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', t.text(20), (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_user_roles', ['user_id', 'role'])
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', t.text(36), (c) => c.primaryKey())
      .addColumn('user_id', t.text(36), (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('refresh_token_hash', t.text(64), (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('expires_at', t.instant, (c) => c.notNull())
      .addColumn('revoked_at', t.instant)
      .addColumn('last_used_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ux_sessions_refresh')
      .on('sessions')
      .column('refresh_token_hash')
      .unique()
      .execute();
    await db.schema.createIndex('ix_sessions_user').on('sessions').column('user_id').execute();

    await withIdColumn(db, db.schema.createTable('password_resets'))
      .addColumn('user_id', t.text(36), (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('token_hash', t.text(64), (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('expires_at', t.instant, (c) => c.notNull())
      .addColumn('used_at', t.instant)
      .execute();
    await db.schema
      .createIndex('ux_password_resets_token')
      .on('password_resets')
      .column('token_hash')
      .unique()
      .execute();
    await db.schema
      .createIndex('ix_password_resets_open')
      .on('password_resets')
      .column('user_id')
      .where(sql.ref('used_at'), 'is', null)
      .execute();

    await withIdColumn(db, db.schema.createTable('login_failures'))
      .addColumn('email', t.text(254), (c) => c.notNull())
      .addColumn('client_ip', t.text(64), (c) => c.notNull())
      .addColumn('failed_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ix_login_failures_pair')
      .on('login_failures')
      .columns(['email', 'client_ip', 'failed_at'])
      .execute();
  },
};

export const authMigrations = [createAuth];
