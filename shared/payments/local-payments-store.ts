import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { z } from 'zod';

/**
 * The embedded adapter's state in one SQLite file under DATA_DIR, so sessions, payments and refunds
 * survive a restart like they do at Stripe. Rows are parsed with zod on the way out.
 */

const sessionRow = z.object({
  id: z.string(),
  /** The CheckoutRequest as JSON: what the checkout page shows and where it sends the shopper. */
  request: z.string(),
  currency: z.string(),
  amount_subtotal: z.number().int(),
  amount_discount: z.number().int(),
  /** open | complete | expired, as last written: an open session past expires_at reads as expired. */
  status: z.enum(['open', 'complete', 'expired']),
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  payment_intent: z.string().nullable(),
  url: z.string(),
  expires_at: z.number().int(),
  created: z.number().int(),
});
export type SessionRow = z.infer<typeof sessionRow>;

export interface RefundRow {
  id: string;
  payment_intent: string;
  charge: string;
  amount: number;
  currency: string;
  /** JSON of the refund's metadata. */
  metadata: string;
  reason: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null;
  status: 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';
  created: number;
}

const replayRow = z.object({ fingerprint: z.string(), response: z.string() });

/** Stripe keeps idempotency keys for at least 24 hours; so do we, then forget them. */
const KEY_LIFETIME_SECONDS = 24 * 60 * 60;

export class LocalPaymentsStore {
  readonly #db: SQLite.Database;

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.#db = new SQLite(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(`
      create table if not exists checkout_sessions (
        id text primary key,
        request text not null,
        currency text not null,
        amount_subtotal integer not null,
        amount_discount integer not null,
        status text not null,
        payment_status text not null,
        payment_intent text unique,
        url text not null,
        expires_at integer not null,
        created integer not null
      );
      create index if not exists ix_checkout_sessions_open on checkout_sessions (status, expires_at);
      create table if not exists refunds (
        id text primary key,
        payment_intent text not null,
        charge text not null,
        amount integer not null,
        currency text not null,
        metadata text not null,
        reason text,
        status text not null,
        created integer not null
      );
      create index if not exists ix_refunds_payment_intent on refunds (payment_intent);
      create table if not exists idempotency_keys (
        key text primary key,
        fingerprint text not null,
        response text not null,
        created integer not null
      );
    `);
  }

  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)();
  }

  insertSession(row: SessionRow): void {
    this.#db
      .prepare(
        `insert into checkout_sessions (id, request, currency, amount_subtotal, amount_discount, status,
           payment_status, payment_intent, url, expires_at, created)
         values (@id, @request, @currency, @amount_subtotal, @amount_discount, @status,
           @payment_status, @payment_intent, @url, @expires_at, @created)`,
      )
      .run(row);
  }

  session(id: string): SessionRow | undefined {
    const row: unknown = this.#db.prepare('select * from checkout_sessions where id = ?').get(id);
    return row === undefined ? undefined : sessionRow.parse(row);
  }

  sessionByPaymentIntent(paymentIntent: string): SessionRow | undefined {
    const row: unknown = this.#db
      .prepare('select * from checkout_sessions where payment_intent = ?')
      .get(paymentIntent);
    return row === undefined ? undefined : sessionRow.parse(row);
  }

  /** Completes an open, unexpired session; false when it was not (any more) payable. */
  completeSession(
    id: string,
    now: number,
    paymentStatus: SessionRow['payment_status'],
    paymentIntent: string | null,
  ): boolean {
    return (
      this.#db
        .prepare(
          `update checkout_sessions set status = 'complete', payment_status = ?, payment_intent = ?
           where id = ? and status = 'open' and expires_at > ?`,
        )
        .run(paymentStatus, paymentIntent, id, now).changes === 1
    );
  }

  /** Marks a session expired unless it completed; false when it already was expired or complete. */
  expireSession(id: string): boolean {
    return (
      this.#db
        .prepare(`update checkout_sessions set status = 'expired' where id = ? and status = 'open'`)
        .run(id).changes === 1
    );
  }

  /** Open sessions whose time is up (the sweeper expires them and tells the shop). */
  openSessionsExpiredAt(now: number): string[] {
    const rows: unknown[] = this.#db
      .prepare(
        `select id from checkout_sessions where status = 'open' and expires_at <= ? order by expires_at`,
      )
      .all(now);
    return rows.map((r) => z.object({ id: z.string() }).parse(r).id);
  }

  insertRefund(row: RefundRow): void {
    this.#db
      .prepare(
        `insert into refunds (id, payment_intent, charge, amount, currency, metadata, reason, status, created)
         values (@id, @payment_intent, @charge, @amount, @currency, @metadata, @reason, @status, @created)`,
      )
      .run(row);
  }

  /** What has gone (or is going) back to the shopper from this payment. */
  refundedAmount(paymentIntent: string): number {
    const row: unknown = this.#db
      .prepare(
        `select coalesce(sum(amount), 0) as total from refunds
         where payment_intent = ? and status in ('pending', 'requires_action', 'succeeded')`,
      )
      .get(paymentIntent);
    return z.object({ total: z.number().int() }).parse(row).total;
  }

  /** The first answer given under an idempotency key (forgetting keys past their lifetime). */
  replay(key: string, now: number): { fingerprint: string; response: string } | undefined {
    this.#db.prepare('delete from idempotency_keys where created < ?').run(now - KEY_LIFETIME_SECONDS);
    const row: unknown = this.#db
      .prepare('select fingerprint, response from idempotency_keys where key = ?')
      .get(key);
    return row === undefined ? undefined : replayRow.parse(row);
  }

  remember(key: string, fingerprint: string, response: string, now: number): void {
    this.#db
      .prepare('insert into idempotency_keys (key, fingerprint, response, created) values (?, ?, ?, ?)')
      .run(key, fingerprint, response, now);
  }

  close(): void {
    this.#db.close();
  }
}
