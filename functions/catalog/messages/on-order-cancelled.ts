import { OrderCancelled } from '../../../shared/events/catalogue.js';
import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import { catalogDeps } from '../catalog.deps.js';
import type { CatalogTables } from '../catalog.tables.js';
import { releaseReservations } from '../stock.service.js';

/**
 * A cancelled order's stock comes back: reserved units become available again, and units of an
 * order that had been paid go back on hand and no longer count as sold. Runs in the consumer's
 * inbox transaction; each line moves once, so a repeat releases nothing more.
 */
export const onOrderCancelled: ConsumerDefinition<EventData<typeof OrderCancelled>, CatalogTables> = {
  name: 'catalog-release-stock',
  event: OrderCancelled,
  database: () => catalogDeps().database,
  async handle({ orderId }, { trx, log, now }) {
    const { released } = await releaseReservations(trx, orderId, now);
    log.info('released the stock of a cancelled order', { orderId, released });
  },
};
