import { randomUUID } from 'node:crypto';
import type { TestHost } from '../../../shared/testing/test-host.js';
import type { CouponTerms } from '../coupon-pricing.js';

/** Pricing terms with harmless defaults: a fixed 10.00 off, no minimum, no window, no limits. */
export function couponTerms(overrides: Partial<CouponTerms> = {}): CouponTerms {
  return {
    discountType: 'fixed',
    discountValue: 10_00,
    minAmountMinor: 0,
    maxDiscountMinor: null,
    startsAt: null,
    endsAt: null,
    usageLimit: null,
    perCustomerLimit: null,
    timesUsed: 0,
    active: true,
    ownerUserId: null,
    ...overrides,
  };
}

type CouponBody = Record<string, unknown>;

let sequence = 0;

/** The JSON an ADMIN posts to create a coupon: `aCoupon().percent(12.5).withMinAmount(50).build()`. */
export function aCoupon(code = `TEST${++sequence}${randomUUID().slice(0, 4).toUpperCase()}`) {
  const body: CouponBody = { couponCode: code, discountAmount: 10, minAmount: 0 };
  const builder = {
    fixed(amount: number) {
      Object.assign(body, { discountType: 'fixed', discountAmount: amount });
      return builder;
    },
    percent(percentage: number) {
      Object.assign(body, { discountType: 'percent', discountAmount: percentage });
      return builder;
    },
    withMinAmount(amount: number) {
      body['minAmount'] = amount;
      return builder;
    },
    withMaxDiscount(amount: number) {
      body['maxDiscount'] = amount;
      return builder;
    },
    validBetween(startsAt: Date | null, endsAt: Date | null) {
      Object.assign(body, {
        startsAt: startsAt?.toISOString() ?? null,
        endsAt: endsAt?.toISOString() ?? null,
      });
      return builder;
    },
    withUsageLimit(limit: number) {
      body['usageLimit'] = limit;
      return builder;
    },
    withPerCustomerLimit(limit: number) {
      body['perCustomerLimit'] = limit;
      return builder;
    },
    inactive() {
      body['active'] = false;
      return builder;
    },
    with(fields: CouponBody) {
      Object.assign(body, fields);
      return builder;
    },
    build(): CouponBody {
      return { ...body };
    },
  };
  return builder;
}

/** Access tokens minted by the platform (no auth domain needed). */
export function tokens(host: TestHost) {
  const mint = (userId: string, roles: string[]) =>
    host.mintToken({ sub: userId, sid: 's1', email: `${userId.slice(0, 8)}@test.shop`, roles });
  return {
    admin: (userId: string = randomUUID()) => mint(userId, ['ADMIN']),
    customer: (userId: string = randomUUID()) => mint(userId, ['CUSTOMER']),
  };
}

/** Creates a coupon through the API as an ADMIN and returns it (the response's data). */
export async function createCouponViaApi(
  host: TestHost,
  body: CouponBody,
): Promise<{ couponId: number } & CouponBody> {
  const res = await host.call('POST', '/api/coupon', { json: body, token: tokens(host).admin() });
  if (res.status !== 200) throw new Error(`creating coupon failed: ${res.status} ${res.text}`);
  return res.body.data as { couponId: number } & CouponBody;
}
