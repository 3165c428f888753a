import { register } from '../../shared/functions/registry.js';
import { getRewardsHttp } from './http/get-rewards.js';
import { redeemPointsHttp } from './http/redeem-points.js';
import { reversePointsOnOrderCancelled } from './messages/on-order-cancelled.js';
import { grantPointsOnOrderPaid } from './messages/on-order-paid.js';
import { reversePointsOnOrderRefunded } from './messages/on-order-refunded.js';
import { finishRedemption } from './messages/on-redemption-due.js';
import { createRewards } from './migrations/2026_12_03_1200_create_rewards.js';
import { bigintPoints } from './migrations/2026_12_05_1000_bigint_points.js';

register.domain({ name: 'rewards', migrations: [createRewards, bigintPoints] });
register.http(getRewardsHttp, redeemPointsHttp);
register.consumer(
  grantPointsOnOrderPaid,
  reversePointsOnOrderRefunded,
  reversePointsOnOrderCancelled,
  finishRedemption,
);
