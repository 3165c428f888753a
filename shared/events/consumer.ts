import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { isUniqueViolation } from '../db/dialect.js';
import { withContext } from '../telemetry/context.js';
import type { Logger } from '../telemetry/logger.js';
import type { Clock } from '../time/clock.js';
import { eventMessageSchema, type EventDefinition, type EventMessage } from './define.js';
import { enqueueEvent } from './outbox.js';
import type { MessagingTables } from './outbox.tables.js';
import { PoisonMessageError } from './poison.js';
import type { OutboxRelay } from './relay.js';
import type { Emit } from './unit-of-work.js';

export interface ConsumerContext<DB, E = undefined> {
  trx: Transaction<DB>;
  message: EventMessage;
  log: Logger;
  /** Writes an event to the consuming domain's outbox in the same transaction; published after the commit. */
  emit: Emit;
  /** What the consumer's `effect` returned (undefined when it has none). */
  effect: E;
  /** The platform clock's now, for the rows the consumer writes. */
  now: Date;
}

/** A Service Bus topic subscriber: one consumer per file in a domain's `messages/` folder. */
export interface ConsumerDefinition<T = unknown, DB = unknown, E = undefined> {
  /** Function name, and the name of its subscription (at most 50 characters). */
  name: string;
  event: EventDefinition<T>;
  /** The consuming domain's database, where its inbox and effects live. */
  database: () => Database<DB>;
  /**
   * Work outside the database (a call to Stripe, an email) that must not hold a transaction open.
   * It runs before the transaction, and only for a message not processed yet; it must be
   * idempotent (keyed by the message or the entity it acts on), because a failure after it, or a
   * crash, runs it again on the next delivery.
   */
  effect?(data: T, context: { message: EventMessage; log: Logger }): Promise<E>;
  handle(data: T, context: ConsumerContext<DB, E>): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConsumer = ConsumerDefinition<any, any, any>;

export type ConsumeOutcome = 'processed' | 'duplicate' | 'ignored';

/**
 * Runs a consumer for one delivered message, idempotently: the inbox row and the effect commit in
 * one transaction in the consumer's database, so a redelivery finds the row and does nothing. A
 * failure throws, so the transport retries and finally dead-letters the message with the error; a
 * body or payload that does not parse throws PoisonMessageError, which no retry can cure.
 */
export async function consumeMessage(
  consumer: AnyConsumer,
  body: unknown,
  env: { clock: Clock; log: Logger; relay?: OutboxRelay },
): Promise<ConsumeOutcome> {
  const message = parseMessage(body);
  if (message.name !== consumer.event.name) return 'ignored';
  const parsed = consumer.event.schema.safeParse(message.data);
  if (!parsed.success) {
    throw new PoisonMessageError(
      `${message.name} ${message.id}: the payload does not match the event's schema: ${z.prettifyError(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  const data = parsed.data;
  const log = env.log.child({
    consumer: consumer.name,
    messageId: message.id,
    correlationId: message.correlationId,
  });
  const database = consumer.database() as Database<MessagingTables>;
  return withContext(
    { correlationId: message.correlationId ?? message.id, traceparent: message.traceparent },
    async () => {
      let effect: unknown = undefined;
      if (consumer.effect) {
        if (await alreadyProcessed(database, consumer.name, message.id)) {
          log.debug('message duplicate');
          return 'duplicate' as const;
        }
        effect = await consumer.effect(data, { message, log });
      }
      let emitted = false;
      const outcome = await database.db.transaction().execute(async (trx) => {
        try {
          await (trx as Kysely<MessagingTables>)
            .insertInto('inbox')
            .values({ consumer: consumer.name, message_id: message.id, processed_at: env.clock.now() })
            .execute();
        } catch (error) {
          if (isUniqueViolation(error)) return 'duplicate' as const;
          throw error;
        }
        const emit: Emit = async (definition, payload, options) => {
          await enqueueEvent(trx as Kysely<MessagingTables>, definition, payload, env.clock, options);
          emitted = true;
        };
        await consumer.handle(data, { trx, message, log, emit, effect, now: env.clock.now() });
        return 'processed' as const;
      });
      if (emitted) env.relay?.kick(database);
      log.debug(`message ${outcome}`);
      return outcome;
    },
  );
}

function parseMessage(body: unknown): EventMessage {
  let json: unknown = body;
  if (typeof body === 'string') {
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new PoisonMessageError(`the message body is not JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const parsed = eventMessageSchema.safeParse(json);
  if (!parsed.success)
    throw new PoisonMessageError(`the message is not an event message: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  return parsed.data;
}

async function alreadyProcessed(
  database: Database<MessagingTables>,
  consumer: string,
  messageId: string,
): Promise<boolean> {
  const row = await database.db
    .selectFrom('inbox')
    .select('message_id')
    .where('consumer', '=', consumer)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return row !== undefined;
}
