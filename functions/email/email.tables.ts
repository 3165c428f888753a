import type { Generated, Insertable, Kysely, Selectable } from 'kysely';
import type { MessagingTables } from '../../shared/events/outbox.tables.js';

/**
 * The send log: one row per email sent, unique on (event_id, template), so an event redelivered
 * (or delivered again under the same id) never sends the same email twice.
 */
export interface SendLogTable {
  id: Generated<number>;
  /** The event's message id. */
  event_id: string;
  event_name: string;
  template: string;
  recipient: string;
  /** UUID v5 of event id + template: what the provider de-duplicates a retried send by. */
  operation_id: string;
  /** What the provider answered (ACS: its operation id; the local mailbox: the message's id). */
  provider_message_id: string;
  sent_at: Date;
}

export interface EmailTables extends MessagingTables {
  send_log: SendLogTable;
}

export type EmailDb = Kysely<EmailTables>;
export type SendLogRow = Selectable<SendLogTable>;
export type NewSendLogRow = Insertable<SendLogTable>;
