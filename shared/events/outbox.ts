import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { currentCorrelationId, currentTraceparent } from '../telemetry/context.js';
import type { Clock } from '../time/clock.js';
import type { EventDefinition, EventMessage } from './define.js';
import type { MessagingTables } from './outbox.tables.js';

export interface EmitOptions {
  /**
   * Schedules the message: consumers get it at this instant, not before. The outbox row is
   * published at once either way; the transport holds it (no timer polls for due work).
   */
  deliverAt?: Date;
}

/**
 * Writes an event into the producing domain's outbox, inside the caller's transaction, so the state
 * change and its event commit together or not at all. The relay publishes it after the commit.
 */
export async function enqueueEvent<T>(
  trx: Kysely<MessagingTables>,
  definition: EventDefinition<T>,
  data: T,
  clock: Clock,
  options: EmitOptions = {},
): Promise<EventMessage> {
  const parsed = definition.schema.safeParse(data);
  if (!parsed.success) {
    throw new Error(`event ${definition.name} payload does not match its schema: ${parsed.error.message}`);
  }
  const now = clock.now();
  const message: EventMessage = {
    id: randomUUID(),
    name: definition.name,
    version: definition.version,
    topic: definition.topic,
    occurredAt: now.toISOString(),
    correlationId: currentCorrelationId(),
    traceparent: currentTraceparent(),
    ...(options.deliverAt ? { deliverAt: options.deliverAt.toISOString() } : {}),
    data: parsed.data,
  };
  await trx
    .insertInto('outbox')
    .values({
      event_id: message.id,
      event_name: message.name,
      topic: message.topic,
      body: JSON.stringify(message),
      created_at: now,
      published_at: null,
      last_error: null,
    })
    .execute();
  return message;
}
