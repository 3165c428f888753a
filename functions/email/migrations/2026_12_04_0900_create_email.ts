import { columnTypes, withIdColumn } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

/** The send log of the email domain (its own database). */
export const createEmail: DomainMigration = {
  name: '2026_12_04_0900_create_email',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    await withIdColumn(db, db.schema.createTable('send_log'))
      .addColumn('event_id', t.text(64), (c) => c.notNull())
      .addColumn('event_name', t.text(100), (c) => c.notNull())
      .addColumn('template', t.text(50), (c) => c.notNull())
      .addColumn('recipient', t.text(254), (c) => c.notNull())
      .addColumn('operation_id', t.text(36), (c) => c.notNull())
      .addColumn('provider_message_id', t.text(200), (c) => c.notNull())
      .addColumn('sent_at', t.instant, (c) => c.notNull())
      .execute();
    // One send per (event, template): a redelivered event finds its row and sends nothing new.
    await db.schema
      .createIndex('ux_send_log_event_template')
      .on('send_log')
      .columns(['event_id', 'template'])
      .unique()
      .execute();
  },
};
