import { sql } from 'kysely';
import { columnTypes, withIdColumn } from '../db/columns.js';
import type { DomainMigration } from '../db/migrations.js';

/** Every domain database gets these first: its outbox (events it produces) and inbox (messages it consumed). */
export const messagingMigration: DomainMigration = {
  name: '2026_11_25_0000_create_outbox_and_inbox',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    await withIdColumn(db, db.schema.createTable('outbox'))
      .addColumn('event_id', t.text(64), (c) => c.notNull())
      .addColumn('event_name', t.text(100), (c) => c.notNull())
      .addColumn('topic', t.text(100), (c) => c.notNull())
      .addColumn('body', t.longText, (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('published_at', t.instant)
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', t.text(1000))
      .execute();
    await db.schema.createIndex('ux_outbox_event_id').on('outbox').column('event_id').unique().execute();
    await db.schema
      .createIndex('ix_outbox_unpublished')
      .on('outbox')
      .column('id')
      .where(sql.ref('published_at'), 'is', null)
      .execute();
    await db.schema
      .createTable('inbox')
      .addColumn('consumer', t.text(128), (c) => c.notNull())
      .addColumn('message_id', t.text(64), (c) => c.notNull())
      .addColumn('processed_at', t.instant, (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_inbox', ['consumer', 'message_id'])
      .execute();
  },
};

/** Outbox rows that keep failing are parked with their error instead of blocking the rows after them. */
export const outboxParkingMigration: DomainMigration = {
  name: '2026_12_03_0001_outbox_parking',
  async up(db, dialect) {
    await db.schema.alterTable('outbox').addColumn('parked_at', columnTypes(dialect).instant).execute();
  },
};
