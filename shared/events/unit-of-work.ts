import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { Clock } from '../time/clock.js';
import type { EventDefinition } from './define.js';
import { enqueueEvent, type EmitOptions } from './outbox.js';
import type { MessagingTables } from './outbox.tables.js';
import type { OutboxRelay } from './relay.js';

export type Emit = <T>(definition: EventDefinition<T>, data: T, options?: EmitOptions) => Promise<void>;

/**
 * Runs work in one transaction of the domain's database with an `emit` that writes events to the
 * same transaction's outbox; after the commit the relay is kicked to publish them at once.
 */
export function unitOfWork<DB>(database: Database<DB>, relay: OutboxRelay, clock: Clock) {
  return async <T>(work: (trx: Transaction<DB>, emit: Emit) => Promise<T>): Promise<T> => {
    let emitted = false;
    const result = await database.db.transaction().execute(async (trx) => {
      const emit: Emit = async (definition, data, options) => {
        await enqueueEvent(trx as unknown as Transaction<MessagingTables>, definition, data, clock, options);
        emitted = true;
      };
      return work(trx, emit);
    });
    if (emitted) relay.kick(database as unknown as Database<MessagingTables>);
    return result;
  };
}
