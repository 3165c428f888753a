import type { Caller } from '../../shared/http/types.js';
import { forbidden } from '../../shared/http/errors.js';
import type { RewardsDeps } from './rewards.deps.js';
import * as repo from './rewards.repository.js';
import type { RewardsDto } from './rewards.schemas.js';
import type { EntryRow } from './rewards.tables.js';

const sign: Record<EntryRow['kind'], 1 | -1> = { earned: 1, returned: 1, reversed: -1, redeemed: -1 };

/** GET /api/reward/{userId}: the balance and the ledger, newest first (own, or anyone's for an ADMIN). */
export async function getRewards(
  deps: RewardsDeps,
  caller: Caller,
  userId: string,
  page: { pageIndex: number; pageSize: number },
): Promise<RewardsDto> {
  if (userId !== caller.userId && !caller.isAdmin) throw forbidden('You can only see your own points.');
  const account = await repo.findAccount(deps.db, userId);
  const entries = await repo.listEntries(deps.db, userId, {
    offset: (page.pageIndex - 1) * page.pageSize,
    limit: page.pageSize,
  });
  return {
    balance: account?.balance ?? 0,
    owed: account?.owed ?? 0,
    entries: entries.map((e) => ({
      orderId: e.order_id,
      points: sign[e.kind] * e.points,
      type: e.kind,
      createdAt: e.created_at.toISOString(),
      redemptionId: e.redemption_id,
      owedChange: e.owed_change,
      balanceAfter: e.balance_after,
    })),
  };
}
