import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { rewardsDeps } from '../rewards.deps.js';
import { rewardsParams, rewardsQuery, rewardsSchema } from '../rewards.schemas.js';
import { getRewards } from '../rewards.service.js';

export const getRewardsHttp = defineHttp({
  name: 'rewards-get',
  route: 'reward/{userId}',
  methods: ['GET'],
  access: 'user',
  bodyKind: 'none',
  params: rewardsParams,
  query: rewardsQuery,
  response: rewardsSchema,
  summary:
    'Your points (anyone’s for an ADMIN): the balance, what is owed from points taken back, and the ledger ' +
    'newest first (earned for a paid order, reversed for a refunded one, redeemed for a coupon, returned)',
  tags: ['rewards'],
  async handler({ caller, params, query }) {
    return ok(await getRewards(rewardsDeps(), caller, params.userId, query));
  },
});
