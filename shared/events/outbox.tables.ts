import type { Generated } from 'kysely';

/** The outbox and inbox tables every domain database has (see outbox.migration.ts). */
export interface OutboxTable {
  id: Generated<number>;
  event_id: string;
  event_name: string;
  topic: string;
  body: string;
  created_at: Date;
  published_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** Set when the row stopped being retried (too large, or failing again and again): an operator replays it. */
  parked_at: Generated<Date | null>;
}

export interface InboxTable {
  consumer: string;
  message_id: string;
  processed_at: Date;
}

export interface MessagingTables {
  outbox: OutboxTable;
  inbox: InboxTable;
}
