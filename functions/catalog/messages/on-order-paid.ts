import { OrderPaid } from '../../../shared/events/catalogue.js';
import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import { catalogDeps } from '../catalog.deps.js';
import type { CatalogTables } from '../catalog.tables.js';
import { commitReservations } from '../stock.service.js';

/**
 * A paid order's reserved units leave the shelf and count as sold. Runs in the consumer's inbox
 * transaction. Only reserved lines move: a repeat commits nothing more, and an order whose
 * cancellation arrived first stays released.
 */
export const onOrderPaid: ConsumerDefinition<EventData<typeof OrderPaid>, CatalogTables> = {
  name: 'catalog-commit-stock',
  event: OrderPaid,
  database: () => catalogDeps().database,
  async handle({ orderId }, { trx, log, now }) {
    const { committed } = await commitReservations(trx, orderId, now);
    log.info('committed the stock of a paid order', { orderId, committed });
  },
};
