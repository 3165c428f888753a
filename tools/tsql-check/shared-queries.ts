import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../shared/db/database.js';
import { consumeMessage } from '../../shared/events/consumer.js';
import { defineEvent } from '../../shared/events/define.js';
import { enqueueEvent } from '../../shared/events/outbox.js';
import type { MessagingTables } from '../../shared/events/outbox.tables.js';
import { OutboxRelay } from '../../shared/events/relay.js';
import { memoryLogger } from '../../shared/telemetry/logger.js';
import { ManualClock } from '../../shared/time/clock.js';

/** Runs the kernel's own queries (outbox insert, relay sweep, inbox look-up and insert) against the compile-only handle. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function exerciseSharedQueries(db: Kysely<any>): Promise<void> {
  const clock = new ManualClock();
  const log = memoryLogger();
  const event = defineEvent({
    name: 'SomethingHappened',
    topic: 'auth',
    version: 1,
    schema: z.object({ n: z.number() }),
  });
  const database = { domain: 'check', dialect: 'mssql', db } as unknown as Database<MessagingTables>;
  await enqueueEvent(db as Kysely<MessagingTables>, event, { n: 1 }, clock);
  const relay = new OutboxRelay(
    {
      kind: 'embedded',
      publish: async (_topic, messages) => ({ sent: messages.map((m) => m.id), refused: [] }),
      ping: async () => {},
      close: async () => {},
    },
    () => [database],
    clock,
    log,
  );
  await relay.publishAll();
  await relay.pending();
  await consumeMessage(
    { name: 'check-consumer', event, database: () => database, handle: async () => {} },
    {
      id: 'm1',
      name: event.name,
      version: 1,
      topic: 'auth',
      occurredAt: clock.now().toISOString(),
      data: { n: 1 },
    },
    { clock, log },
  );
  // A consumer with an effect first looks its message up in the inbox.
  await consumeMessage(
    {
      name: 'check-effect-consumer',
      event,
      database: () => database,
      effect: async () => 'done',
      handle: async () => {},
    },
    {
      id: 'm2',
      name: event.name,
      version: 1,
      topic: 'auth',
      occurredAt: clock.now().toISOString(),
      data: { n: 1 },
    },
    { clock, log },
  );
}
