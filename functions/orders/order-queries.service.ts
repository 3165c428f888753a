import type { Caller } from '../../shared/http/types.js';
import { findOrderFor, ownerOf } from './order-access.js';
import { present, presentOne } from './order-view.js';
import type { OrdersDeps } from './orders.deps.js';
import * as repo from './orders.repository.js';
import type { OrderHeaderDto, Paging, StatusFilter } from './orders.schemas.js';

const pageOf = (paging: Paging) => ({
  offset: (paging.pageIndex - 1) * paging.pageSize,
  limit: paging.pageSize,
});

/** getorder: one order of the caller's (any, for an ADMIN). */
export async function getOrder(deps: OrdersDeps, caller: Caller, orderId: number): Promise<OrderHeaderDto> {
  return presentOne(deps.db, await findOrderFor(deps.db, caller, orderId));
}

/** getorderbystatus: a user's orders, newest first, of one status or `All`. */
export async function getOrdersByStatus(
  deps: OrdersDeps,
  caller: Caller,
  userId: string,
  status: StatusFilter,
  paging: Paging,
): Promise<OrderHeaderDto[]> {
  const owner = ownerOf(caller, userId);
  const rows = await repo.listOrders(
    deps.db,
    { userId: owner, ...(status === 'All' ? {} : { status }) },
    pageOf(paging),
  );
  return present(deps.db, rows);
}

/** getorders: the caller's own orders; an ADMIN gets everyone's, or one user's with `?userId=`. */
export async function getOrders(
  deps: OrdersDeps,
  caller: Caller,
  query: Paging & { userId?: string | undefined },
): Promise<OrderHeaderDto[]> {
  const wanted = query.userId?.trim() || undefined;
  const userId = caller.isAdmin ? wanted : ownerOf(caller, wanted);
  const rows = await repo.listOrders(deps.db, userId === undefined ? {} : { userId }, pageOf(query));
  return present(deps.db, rows);
}
