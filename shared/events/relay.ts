import type { Database } from '../db/database.js';
import { paged } from '../db/dialect.js';
import type { Logger } from '../telemetry/logger.js';
import type { Clock } from '../time/clock.js';
import { eventMessageSchema } from './define.js';
import type { MessagingTables } from './outbox.tables.js';
import type { EventTransport } from './transport.js';

const batchSize = 100;

/**
 * Publishes committed outbox rows. `kick` runs right after a commit (coalescing bursts); the
 * `outbox-relay` timer calls `publishAll` for whatever a crash or an outage left behind. Two relays
 * racing may publish a row twice: the transport and the consumers' inboxes make that harmless.
 */
export class OutboxRelay {
  readonly #running = new Map<string, Promise<number>>();
  readonly #again = new Set<string>();

  constructor(
    private readonly transport: EventTransport,
    private readonly databases: () => Database<MessagingTables>[],
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Publishes the domain's pending rows soon; never throws (the timer retries). */
  kick(database: Database<MessagingTables>): void {
    void this.publishPending(database).catch((error: unknown) =>
      this.log.warn('outbox publish failed; the relay timer will retry', { domain: database.domain, error }),
    );
  }

  async publishAll(): Promise<number> {
    let total = 0;
    for (const database of this.databases()) total += await this.publishPending(database);
    return total;
  }

  /** Runs one pass per domain at a time; a kick during a pass schedules one more pass. */
  publishPending(database: Database<MessagingTables>): Promise<number> {
    const running = this.#running.get(database.domain);
    if (running) {
      this.#again.add(database.domain);
      return running;
    }
    const pass = (async () => {
      let published = 0;
      do {
        this.#again.delete(database.domain);
        published += await this.#drain(database);
      } while (this.#again.has(database.domain));
      return published;
    })().finally(() => this.#running.delete(database.domain));
    this.#running.set(database.domain, pass);
    return pass;
  }

  async #drain(database: Database<MessagingTables>): Promise<number> {
    let published = 0;
    for (;;) {
      const rows = await paged(
        database.db,
        database.db
          .selectFrom('outbox')
          .select(['id', 'topic', 'body'])
          .where('published_at', 'is', null)
          .orderBy('id'),
        { offset: 0, limit: batchSize },
      ).execute();
      if (rows.length === 0) return published;
      const byTopic = new Map<string, typeof rows>();
      for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
      for (const [topic, topicRows] of byTopic) {
        const ids = topicRows.map((r) => r.id);
        try {
          await this.transport.publish(
            topic,
            topicRows.map((r) => eventMessageSchema.parse(JSON.parse(r.body))),
          );
        } catch (error) {
          await database.db
            .updateTable('outbox')
            .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: String(error).slice(0, 1000) }))
            .where('id', 'in', ids)
            .execute();
          throw error;
        }
        await database.db
          .updateTable('outbox')
          .set({ published_at: this.clock.now() })
          .where('id', 'in', ids)
          .execute();
        published += ids.length;
      }
    }
  }
}
