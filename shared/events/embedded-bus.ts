import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Logger } from '../telemetry/logger.js';
import { systemClock, type Clock } from '../time/clock.js';
import type { EventMessage } from './define.js';
import { PoisonMessageError } from './poison.js';
import { redactBody } from './redaction.js';
import type { EventTransport, PublishResult } from './transport.js';

/** One subscriber as the bus sees it: a name (its subscription) and what it does with a message. */
export interface Subscriber {
  name: string;
  topic: string;
  eventName: string;
  deliver(message: EventMessage): Promise<unknown>;
}

export interface DeliveryRow {
  id: number;
  message_id: string;
  subscription: string;
  event_name: string;
  status: 'pending' | 'done' | 'dead';
  delivery_count: number;
  last_error: string | null;
  /** Epoch ms before which a scheduled message is not delivered (0: at once). */
  not_before: number;
}

/**
 * The embedded event transport: what Service Bus does for us in Azure, persisted in SQLite under
 * DATA_DIR so nothing is lost across restarts. Publishing fans a message out to one delivery row per
 * subscriber (a unique (subscription, message id) index drops duplicates, like duplicate detection);
 * the dispatcher delivers due rows, retries failures with backoff, and after `maxDeliveryCount`
 * attempts marks the row dead with its last error (the dead-letter queue); a poison message (one
 * that does not parse: PoisonMessageError) is marked dead at once with the reason. A scheduled message
 * (`deliverAt`) waits until the injected clock reaches it, so tests move time to make it due;
 * retry backoff runs on the wall clock.
 */
export class EmbeddedBus implements EventTransport {
  readonly kind = 'embedded' as const;
  readonly #db: SQLite.Database;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #stopped = true;
  #pass: Promise<number> | undefined;

  constructor(
    file: string,
    private readonly subscribers: (topic: string) => Subscriber[],
    private readonly options: { maxDeliveryCount: number; log: Logger; pollMs?: number; clock?: Clock },
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.#db = new SQLite(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(`
      create table if not exists deliveries (
        id integer primary key autoincrement,
        message_id text not null,
        topic text not null,
        subscription text not null,
        event_name text not null,
        body text not null,
        status text not null default 'pending',
        delivery_count integer not null default 0,
        next_attempt_at integer not null,
        last_error text,
        created_at text not null
      );
      create unique index if not exists ux_deliveries on deliveries (subscription, message_id);
      create index if not exists ix_deliveries_due on deliveries (status, next_attempt_at);
    `);
    // Files made before scheduled messages existed get the column (0: due at once).
    const columns = this.#db.prepare(`select name from pragma_table_info('deliveries')`).all() as {
      name: string;
    }[];
    if (!columns.some((c) => c.name === 'not_before')) {
      this.#db.exec(`alter table deliveries add column not_before integer not null default 0`);
    }
  }

  get #clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  async publish(topic: string, messages: EventMessage[]): Promise<PublishResult> {
    const insert = this.#db.prepare(
      `insert or ignore into deliveries (message_id, topic, subscription, event_name, body, next_attempt_at, not_before, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const subscribers = this.subscribers(topic);
    const now = Date.now();
    this.#db.transaction(() => {
      for (const message of messages) {
        for (const s of subscribers) {
          if (s.eventName !== message.name) continue;
          insert.run(
            message.id,
            topic,
            s.name,
            message.name,
            JSON.stringify(message),
            now,
            message.deliverAt ? Date.parse(message.deliverAt) : 0,
            new Date(now).toISOString(),
          );
        }
      }
    })();
    this.#wake();
    return { sent: messages.map((m) => m.id), refused: [] };
  }

  async ping(): Promise<void> {
    this.#db.prepare('select 1').get();
  }

  /** Starts delivering in the background. */
  start(): void {
    this.#stopped = false;
    this.#wake();
  }

  async close(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#pass;
    this.#db.close();
  }

  /**
   * Delivers until nothing is due (tests). With `ignoreBackoff`, retries run at once, so a test can
   * watch a failing consumer reach the dead-letter state without waiting. Returns the number of
   * delivery attempts made.
   */
  async drain(options: { ignoreBackoff?: boolean; maxPasses?: number } = {}): Promise<number> {
    let attempts = 0;
    for (let pass = 0; pass < (options.maxPasses ?? 1000); pass++) {
      await this.#pass;
      const delivered = await this.#deliverDue(options.ignoreBackoff ?? false);
      if (delivered === 0) break;
      attempts += delivered;
    }
    return attempts;
  }

  deliveries(filter: { status?: DeliveryRow['status']; subscription?: string } = {}): DeliveryRow[] {
    return this.#db
      .prepare(
        `select id, message_id, subscription, event_name, status, delivery_count, last_error, not_before from deliveries
         where (? is null or status = ?) and (? is null or subscription = ?) order by id`,
      )
      .all(
        filter.status ?? null,
        filter.status ?? null,
        filter.subscription ?? null,
        filter.subscription ?? null,
      ) as DeliveryRow[];
  }

  /** A delivery with the message it carries (dead-letter tools). */
  delivery(id: number): (DeliveryRow & { topic: string; body: string; created_at: string }) | undefined {
    return this.#db
      .prepare(
        `select id, message_id, topic, subscription, event_name, status, delivery_count, last_error, not_before,
         body, created_at from deliveries where id = ?`,
      )
      .get(id) as (DeliveryRow & { topic: string; body: string; created_at: string }) | undefined;
  }

  /** Puts a dead delivery back in the queue, due now, with a fresh delivery count. False when it is not dead. */
  replay(id: number): boolean {
    const result = this.#db
      .prepare(
        `update deliveries set status = 'pending', delivery_count = 0, next_attempt_at = ?, last_error = null
         where id = ? and status = 'dead'`,
      )
      .run(Date.now(), id);
    if (result.changes === 1) this.#wake();
    return result.changes === 1;
  }

  #wake(): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), 0);
  }

  async #tick(): Promise<void> {
    if (this.#running || this.#stopped) return;
    this.#running = true;
    try {
      while (!this.#stopped && (await this.#deliverDue(false)) > 0);
    } catch (error) {
      this.options.log.error('embedded bus dispatch failed', { error });
    } finally {
      this.#running = false;
      if (!this.#stopped) this.#timer = setTimeout(() => void this.#tick(), this.options.pollMs ?? 500);
    }
  }

  #deliverDue(ignoreBackoff: boolean): Promise<number> {
    const pass = this.#deliverBatch(ignoreBackoff);
    this.#pass = pass.catch(() => 0);
    return pass;
  }

  async #deliverBatch(ignoreBackoff: boolean): Promise<number> {
    const due = this.#db
      .prepare(
        `select id, topic, subscription, body, delivery_count from deliveries
         where status = 'pending' and (? = 1 or next_attempt_at <= ?) and not_before <= ?
         order by id limit 50`,
      )
      .all(ignoreBackoff ? 1 : 0, Date.now(), this.#clock.now().getTime()) as {
      id: number;
      topic: string;
      subscription: string;
      body: string;
      delivery_count: number;
    }[];
    for (const row of due) {
      const subscriber = this.subscribers(row.topic).find((s) => s.name === row.subscription);
      const attempt = row.delivery_count + 1;
      try {
        if (!subscriber) throw new Error(`no subscriber named ${row.subscription}`);
        await subscriber.deliver(JSON.parse(row.body) as EventMessage);
        // A delivered message keeps no secret in transit (a reset token) on disk.
        this.#db
          .prepare(`update deliveries set status = 'done', delivery_count = ?, body = ? where id = ?`)
          .run(attempt, redactBody(row.body), row.id);
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        const poison = error instanceof PoisonMessageError;
        const dead = poison || attempt >= this.options.maxDeliveryCount;
        const backoff = Math.min(100 * 2 ** attempt, 60_000);
        this.#db
          .prepare(
            `update deliveries set status = ?, delivery_count = ?, next_attempt_at = ?, last_error = ? where id = ?`,
          )
          .run(dead ? 'dead' : 'pending', attempt, Date.now() + backoff, reason.slice(0, 2000), row.id);
        const log = dead ? this.options.log.error : this.options.log.warn;
        log(dead ? 'message dead-lettered' : 'message delivery failed; will retry', {
          subscription: row.subscription,
          attempt,
          error: reason,
          ...(poison ? { poison } : {}),
        });
      }
    }
    return due.length;
  }
}
