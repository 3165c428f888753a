import { RewardRedemptionDue } from '../../../shared/events/catalogue.js';
import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import { AppError } from '../../../shared/http/errors.js';
import type { Coupon } from '../../coupons/coupons.client.js';
import { confirmRedemption, issueCoupon, releaseRedemption } from '../redemption.service.js';
import { rewardsDeps } from '../rewards.deps.js';
import * as repo from '../rewards.repository.js';
import type { RewardsTables } from '../rewards.tables.js';

/** The coupon of an unfinished redemption, issued (or found) again; undefined when it cannot be. */
type Issued = { coupon: Coupon | undefined };

/**
 * A redemption's scheduled check: one still `reserved` (the request crashed or failed between its
 * steps) is finished with its coupon, issued idempotently; if that coupon cannot be issued, or was
 * withdrawn, the points are returned instead.
 */
export const finishRedemption: ConsumerDefinition<
  EventData<typeof RewardRedemptionDue>,
  RewardsTables,
  Issued
> = {
  name: 'rewards-finish-redemption',
  event: RewardRedemptionDue,
  database: () => rewardsDeps().database,
  async effect({ redemptionId }) {
    const deps = rewardsDeps();
    const redemption = await repo.findRedemption(deps.db, redemptionId);
    if (redemption?.status !== 'reserved') return { coupon: undefined };
    try {
      return { coupon: await issueCoupon(deps, redemption) };
    } catch (error) {
      // A refusal is final (the points go back); anything else is retried by the bus.
      if (error instanceof AppError && error.status < 500) return { coupon: undefined };
      throw error;
    }
  },
  async handle({ redemptionId }, { trx, emit, now, log, effect }) {
    const redemption = await repo.findRedemption(trx, redemptionId);
    if (redemption?.status !== 'reserved') return;
    if (effect.coupon?.active) {
      await confirmRedemption({ trx, emit, now }, redemption, effect.coupon);
      log.warn('finished a redemption its request left unfinished', { redemptionId });
    } else {
      await releaseRedemption({ trx, now }, redemption);
      log.warn('returned the points of a redemption whose coupon could not be issued', { redemptionId });
    }
  },
};
