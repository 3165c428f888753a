import type { EmailDb, NewSendLogRow, SendLogRow } from './email.tables.js';

/** Kysely only: every function takes the database or a transaction first and returns rows. */

export function findSend(db: EmailDb, eventId: string, template: string): Promise<SendLogRow | undefined> {
  return db
    .selectFrom('send_log')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('template', '=', template)
    .executeTakeFirst();
}

/** Throws a unique violation when this (event, template) was logged already. */
export async function recordSend(db: EmailDb, row: NewSendLogRow): Promise<void> {
  await db.insertInto('send_log').values(row).execute();
}
