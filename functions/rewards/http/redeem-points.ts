import { defineHttp } from '../../../shared/http/define.js';
import { created } from '../../../shared/http/types.js';
import { redeemPoints } from '../redemption.service.js';
import { rewardsDeps } from '../rewards.deps.js';
import { redeemBody, redemptionSchema } from '../rewards.schemas.js';

export const redeemPointsHttp = defineHttp({
  name: 'rewards-redeem',
  route: 'reward/redeem',
  methods: ['POST'],
  access: 'user',
  session: 'live',
  bodyKind: 'json',
  body: redeemBody,
  response: redemptionSchema,
  summary:
    'Turn points into a single-use coupon only you can use ({ points }; each point is worth ' +
    'REWARD_POINT_VALUE_MINOR, the coupon expires after REWARD_COUPON_DAYS). 409 when the balance is short',
  tags: ['rewards'],
  async handler({ caller, body }) {
    const coupon = await redeemPoints(rewardsDeps(), caller, body.points);
    return created(coupon, `Your coupon ${coupon.couponCode} is ready.`);
  },
});
