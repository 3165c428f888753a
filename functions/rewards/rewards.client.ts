import { currentPlatform } from '../../shared/platform/current.js';
import { rewardsDeps } from './rewards.deps.js';
import { findAccount } from './rewards.repository.js';

/** A customer's points as other domains may read them (the balance, and what is owed). */
export async function getPointBalance(userId: string): Promise<{ balance: number; owed: number }> {
  const account = await findAccount(rewardsDeps(currentPlatform()).db, userId);
  return { balance: account?.balance ?? 0, owed: account?.owed ?? 0 };
}
