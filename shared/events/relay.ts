import type { Database } from '../db/database.js';
import { paged } from '../db/dialect.js';
import type { Logger } from '../telemetry/logger.js';
import type { Clock } from '../time/clock.js';
import { eventMessageSchema, type EventMessage } from './define.js';
import type { MessagingTables } from './outbox.tables.js';
import { carriesSecrets, redactMessage } from './redaction.js';
import type { EventTransport } from './transport.js';

const rowsPerPass = 100;
/** Attempts before a row that keeps failing is parked with its error (and stops being retried). */
export const MAX_PUBLISH_ATTEMPTS = 20;
/** In-process retries after a failed publish: 1 s, doubling, at most 5 minutes. */
const retryDelayMs = (failures: number) => Math.min(1000 * 2 ** (failures - 1), 5 * 60_000);

/**
 * Publishes committed outbox rows. A commit that wrote events kicks the relay for its domain, which
 * publishes every pending row of that domain (so rows a crash left behind go out with the next
 * commit); a failed publish is retried in-process with back-off while the instance lives; what is
 * left after a crash is swept when an instance starts and by a rare timer (OUTBOX_SWEEP_SCHEDULE).
 * Nothing polls the databases otherwise, so an idle shop's serverless databases can pause.
 *
 * Each row counts its own attempts: a row the transport refuses (too large for a Service Bus
 * message, or failing again and again) is parked with its error after MAX_PUBLISH_ATTEMPTS, so it
 * never blocks the rows after it; every domain is published independently of the others. Two
 * relays racing may publish a row twice: duplicate detection and the consumers' inboxes make that
 * harmless.
 */
export class OutboxRelay {
  readonly #running = new Map<string, Promise<number>>();
  readonly #again = new Set<string>();
  readonly #retries = new Map<string, { failures: number; timer: NodeJS.Timeout | undefined }>();
  #closed = false;

  constructor(
    private readonly transport: EventTransport,
    private readonly databases: () => Database<MessagingTables>[],
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Publishes the domain's pending rows soon; never throws (it retries with back-off). */
  kick(database: Database<MessagingTables>): void {
    void this.publishPending(database).then(
      () => this.#succeeded(database),
      (error: unknown) => this.#failed(database, error),
    );
  }

  /** Publishes every domain's pending rows, each domain on its own: one failing never stops the others. */
  async publishAll(): Promise<number> {
    const results = await Promise.allSettled(this.databases().map((d) => this.publishPending(d)));
    let total = 0;
    results.forEach((result, i) => {
      const database = this.databases()[i];
      if (result.status === 'fulfilled') total += result.value;
      else if (database) this.#failed(database, result.reason);
    });
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

  /** How many rows wait to be published in every domain (parked rows not counted). */
  async pending(): Promise<number> {
    let total = 0;
    for (const database of this.databases()) {
      const row = await database.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('published_at', 'is', null)
        .where('parked_at', 'is', null)
        .executeTakeFirst();
      total += Number(row?.n ?? 0);
    }
    return total;
  }

  /** Stops the in-process retries (shutdown). */
  close(): void {
    this.#closed = true;
    for (const retry of this.#retries.values()) if (retry.timer) clearTimeout(retry.timer);
    this.#retries.clear();
  }

  #succeeded(database: Database<MessagingTables>): void {
    const retry = this.#retries.get(database.domain);
    if (retry?.timer) clearTimeout(retry.timer);
    this.#retries.delete(database.domain);
  }

  #failed(database: Database<MessagingTables>, error: unknown): void {
    if (this.#closed) return;
    const retry = this.#retries.get(database.domain) ?? { failures: 0, timer: undefined };
    if (retry.timer) return; // a retry is already scheduled
    retry.failures += 1;
    const delay = retryDelayMs(retry.failures);
    this.log.warn('outbox publish failed; retrying', { domain: database.domain, inMs: delay, error });
    retry.timer = setTimeout(() => {
      retry.timer = undefined;
      this.kick(database);
    }, delay);
    retry.timer.unref();
    this.#retries.set(database.domain, retry);
  }

  async #drain(database: Database<MessagingTables>): Promise<number> {
    let published = 0;
    for (;;) {
      const rows = await paged(
        database.db,
        database.db
          .selectFrom('outbox')
          .select(['id', 'topic', 'body', 'attempts'])
          .where('published_at', 'is', null)
          .where('parked_at', 'is', null)
          .orderBy('id'),
        { offset: 0, limit: rowsPerPass },
      ).execute();
      if (rows.length === 0) return published;
      let failure: unknown = undefined;
      const byTopic = new Map<string, typeof rows>();
      for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
      for (const [topic, topicRows] of byTopic) {
        const messages = new Map<string, { row: (typeof rows)[number]; message: EventMessage }>();
        for (const row of topicRows) {
          const parsed = eventMessageSchema.safeParse(safeJson(row.body));
          if (parsed.success) messages.set(parsed.data.id, { row, message: parsed.data });
          else await this.#park(database, row.id, `not an event message: ${parsed.error.message}`);
        }
        try {
          const result = await this.transport.publish(
            topic,
            [...messages.values()].map((m) => m.message),
          );
          const sent = result.sent.map((id) => messages.get(id)).filter((m) => m !== undefined);
          const publishedAt = this.clock.now();
          // Once published, a secret in transit (a password reset token) has no reason to stay here:
          // such a row is marked published and redacted in one statement, so no failure in between
          // leaves a published row (never read again) holding the secret.
          const plainIds = sent.filter((m) => !carriesSecrets(m.message.name)).map((m) => m.row.id);
          if (plainIds.length > 0) {
            await database.db
              .updateTable('outbox')
              .set({ published_at: publishedAt })
              .where('id', 'in', plainIds)
              .execute();
          }
          for (const secret of sent.filter((m) => carriesSecrets(m.message.name)))
            await database.db
              .updateTable('outbox')
              .set({ published_at: publishedAt, body: JSON.stringify(redactMessage(secret.message)) })
              .where('id', '=', secret.row.id)
              .execute();
          published += sent.length;
          for (const refused of result.refused) {
            const row = messages.get(refused.id)?.row;
            if (row) await this.#park(database, row.id, refused.reason);
          }
          if (messages.size > 0 && result.sent.length + result.refused.length === 0)
            throw new Error(`the ${this.transport.kind} transport took none of ${messages.size} messages`);
        } catch (error) {
          failure ??= error;
          await this.#countAttempt(
            database,
            [...messages.values()].map((m) => m.row),
            error,
          );
        }
      }
      // A failing topic stops this pass (retried with back-off); the other topics' rows went out.
      if (failure !== undefined) throw failure;
    }
  }

  async #countAttempt(
    database: Database<MessagingTables>,
    rows: { id: number; attempts: number }[],
    error: unknown,
  ): Promise<void> {
    const reason = String(error).slice(0, 1000);
    const ids = rows.map((r) => r.id);
    if (ids.length === 0) return;
    await database.db
      .updateTable('outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: reason }))
      .where('id', 'in', ids)
      .execute();
    for (const row of rows)
      if (row.attempts + 1 >= MAX_PUBLISH_ATTEMPTS)
        await this.#park(database, row.id, `failed ${row.attempts + 1} times: ${reason}`);
  }

  async #park(database: Database<MessagingTables>, rowId: number, reason: string): Promise<void> {
    await database.db
      .updateTable('outbox')
      .set({ parked_at: this.clock.now(), last_error: reason.slice(0, 1000) })
      .where('id', '=', rowId)
      .execute();
    this.log.error('outbox row parked: it will not be published until an operator replays it', {
      domain: database.domain,
      outboxId: rowId,
      reason,
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
