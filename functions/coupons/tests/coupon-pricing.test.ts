import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { priceCoupon, refusalMessage, type CouponPrice, type CouponTerms } from '../coupon-pricing.js';
import { couponTerms } from './coupons.builders.js';

const now = new Date('2026-06-15T12:00:00.000Z');
const at = (iso: string) => new Date(iso);
const applies = (discountMinor: number): CouponPrice => ({ applies: true, discountMinor, reason: null });
const refused = (reason: NonNullable<CouponPrice['reason']>): CouponPrice => ({
  applies: false,
  discountMinor: 0,
  reason,
});

interface Case {
  name: string;
  terms: Partial<CouponTerms>;
  amount: number;
  customerUses?: number;
  now?: Date;
  userId?: string;
  expect: CouponPrice;
}

const cases: Case[] = [
  // Fixed discounts
  {
    name: 'fixed: takes its amount off',
    terms: { discountValue: 10_00 },
    amount: 50_00,
    expect: applies(10_00),
  },
  {
    name: 'fixed: never more than the amount',
    terms: { discountValue: 10_00 },
    amount: 7_50,
    expect: applies(7_50),
  },
  {
    name: 'fixed: exactly the amount',
    terms: { discountValue: 10_00 },
    amount: 10_00,
    expect: applies(10_00),
  },
  {
    name: 'fixed: capped by maxDiscount',
    terms: { discountValue: 10_00, maxDiscountMinor: 6_00 },
    amount: 50_00,
    expect: applies(6_00),
  },
  {
    name: 'fixed: zero amount takes nothing',
    terms: { discountValue: 10_00 },
    amount: 0,
    expect: applies(0),
  },
  {
    name: 'fixed: a negative amount takes nothing',
    terms: { discountValue: 10_00 },
    amount: -5_00,
    expect: applies(0),
  },

  // Percent discounts and rounding (half away from zero at the cent)
  {
    name: 'percent: 10% of 50.00',
    terms: { discountType: 'percent', discountValue: 10_00 },
    amount: 50_00,
    expect: applies(5_00),
  },
  {
    name: 'percent: 12.5% of 10.00',
    terms: { discountType: 'percent', discountValue: 12_50 },
    amount: 10_00,
    expect: applies(1_25),
  },
  {
    name: 'percent: 12.5% of 0.01 rounds to 0',
    terms: { discountType: 'percent', discountValue: 12_50 },
    amount: 1,
    expect: applies(0),
  },
  {
    name: 'percent: 50% of 0.01 rounds half up to 0.01',
    terms: { discountType: 'percent', discountValue: 50_00 },
    amount: 1,
    expect: applies(1),
  },
  {
    name: 'percent: 15% of 0.10 = 0.015 rounds up to 0.02',
    terms: { discountType: 'percent', discountValue: 15_00 },
    amount: 10,
    expect: applies(2),
  },
  {
    name: 'percent: 15% of 0.30 = 0.045 rounds up to 0.05',
    terms: { discountType: 'percent', discountValue: 15_00 },
    amount: 30,
    expect: applies(5),
  },
  {
    name: 'percent: 10% of 0.14 = 0.014 rounds down to 0.01',
    terms: { discountType: 'percent', discountValue: 10_00 },
    amount: 14,
    expect: applies(1),
  },
  {
    name: 'percent: 33.33% of 100.00',
    terms: { discountType: 'percent', discountValue: 33_33 },
    amount: 100_00,
    expect: applies(33_33),
  },
  {
    name: 'percent: 33.33% of 0.50 = 0.16665 rounds up',
    terms: { discountType: 'percent', discountValue: 33_33 },
    amount: 50,
    expect: applies(17),
  },
  {
    name: 'percent: 0.01% of 49.99 rounds to 0',
    terms: { discountType: 'percent', discountValue: 1 },
    amount: 49_99,
    expect: applies(0),
  },
  {
    name: 'percent: 0.01% of 50.00 rounds half up to 0.01',
    terms: { discountType: 'percent', discountValue: 1 },
    amount: 50_00,
    expect: applies(1),
  },
  {
    name: 'percent: 100% takes the whole amount',
    terms: { discountType: 'percent', discountValue: 100_00 },
    amount: 123_45,
    expect: applies(123_45),
  },
  {
    name: 'percent: capped by maxDiscount',
    terms: { discountType: 'percent', discountValue: 20_00, maxDiscountMinor: 15_00 },
    amount: 100_00,
    expect: applies(15_00),
  },
  {
    name: 'percent: below the cap is not capped',
    terms: { discountType: 'percent', discountValue: 20_00, maxDiscountMinor: 15_00 },
    amount: 50_00,
    expect: applies(10_00),
  },
  {
    name: 'percent: the cap applies after rounding',
    terms: { discountType: 'percent', discountValue: 15_00, maxDiscountMinor: 4 },
    amount: 30,
    expect: applies(4),
  },
  {
    name: 'percent: a zero cap takes nothing',
    terms: { discountType: 'percent', discountValue: 15_00, maxDiscountMinor: 0 },
    amount: 100_00,
    expect: applies(0),
  },
  {
    name: 'percent: a large amount stays exact',
    terms: { discountType: 'percent', discountValue: 12_50 },
    amount: 2_000_000_000_00,
    expect: applies(250_000_000_00),
  },

  // Minimum order amount
  {
    name: 'minimum: below is refused',
    terms: { minAmountMinor: 50_00 },
    amount: 49_99,
    expect: refused('below_minimum'),
  },
  {
    name: 'minimum: exactly the minimum applies',
    terms: { minAmountMinor: 50_00 },
    amount: 50_00,
    expect: applies(10_00),
  },

  // Validity window: start inclusive, end exclusive (UTC instants)
  {
    name: 'window: before the start',
    terms: { startsAt: at('2026-06-15T12:00:00.001Z') },
    amount: 50_00,
    expect: refused('not_started'),
  },
  {
    name: 'window: at the start (inclusive)',
    terms: { startsAt: at('2026-06-15T12:00:00.000Z') },
    amount: 50_00,
    expect: applies(10_00),
  },
  {
    name: 'window: just before the end',
    terms: { endsAt: at('2026-06-15T12:00:00.001Z') },
    amount: 50_00,
    expect: applies(10_00),
  },
  {
    name: 'window: at the end (exclusive)',
    terms: { endsAt: at('2026-06-15T12:00:00.000Z') },
    amount: 50_00,
    expect: refused('expired'),
  },
  {
    name: 'window: after the end',
    terms: { endsAt: at('2026-06-01T00:00:00.000Z') },
    amount: 50_00,
    expect: refused('expired'),
  },
  {
    name: 'window: inside both bounds',
    terms: { startsAt: at('2026-06-01T00:00:00Z'), endsAt: at('2026-07-01T00:00:00Z') },
    amount: 50_00,
    expect: applies(10_00),
  },
  {
    name: 'window: a zone offset is the same instant',
    terms: { endsAt: at('2026-06-15T22:00:00+10:00') },
    amount: 50_00,
    expect: refused('expired'),
  },

  // Limits
  {
    name: 'usage limit: one left',
    terms: { usageLimit: 5, timesUsed: 4 },
    amount: 50_00,
    expect: applies(10_00),
  },
  {
    name: 'usage limit: used up',
    terms: { usageLimit: 5, timesUsed: 5 },
    amount: 50_00,
    expect: refused('usage_limit_reached'),
  },
  {
    name: 'per customer: one left',
    terms: { perCustomerLimit: 2 },
    customerUses: 1,
    amount: 50_00,
    expect: applies(10_00),
  },
  {
    name: 'per customer: used up',
    terms: { perCustomerLimit: 2 },
    customerUses: 2,
    amount: 50_00,
    expect: refused('customer_limit_reached'),
  },
  {
    name: 'per customer: no limit',
    terms: { perCustomerLimit: null },
    customerUses: 99,
    amount: 50_00,
    expect: applies(10_00),
  },

  // Deactivated, and the order in which refusals are reported
  { name: 'inactive', terms: { active: false }, amount: 50_00, expect: refused('inactive') },
  {
    name: 'inactive wins over expired',
    terms: { active: false, endsAt: at('2026-01-01T00:00:00Z') },
    amount: 50_00,
    expect: refused('inactive'),
  },
  {
    name: 'expired wins over below minimum',
    terms: { endsAt: at('2026-01-01T00:00:00Z'), minAmountMinor: 100_00 },
    amount: 50_00,
    expect: refused('expired'),
  },
  {
    name: 'used up wins over below minimum',
    terms: { usageLimit: 1, timesUsed: 1, minAmountMinor: 100_00 },
    amount: 50_00,
    expect: refused('usage_limit_reached'),
  },
  // Personal coupons
  {
    name: 'personal: applies for its owner',
    terms: { ownerUserId: 'ada', discountValue: 5_00 },
    amount: 20_00,
    userId: 'ada',
    expect: applies(5_00),
  },
  {
    name: 'personal: refused for anyone else, before any other rule',
    terms: { ownerUserId: 'ada', active: false },
    amount: 20_00,
    userId: 'bob',
    expect: refused('not_yours'),
  },
];

describe('priceCoupon', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(
        priceCoupon(couponTerms(c.terms), c.amount, c.customerUses ?? 0, c.now ?? now, c.userId ?? 'ada'),
        c.expect,
      );
    });
  }

  it('never returns a negative or non-integer discount, nor one above the amount', () => {
    for (let amount = 0; amount <= 300; amount += 7) {
      for (const value of [1, 33, 12_50, 33_33, 50_00, 99_99, 100_00]) {
        for (const cap of [null, 0, 3, 1_00]) {
          const { discountMinor } = priceCoupon(
            couponTerms({ discountType: 'percent', discountValue: value, maxDiscountMinor: cap }),
            amount,
            0,
            now,
            'ada',
          );
          assert.ok(Number.isInteger(discountMinor) && discountMinor >= 0 && discountMinor <= amount);
          if (cap !== null) assert.ok(discountMinor <= cap);
        }
      }
    }
  });

  it('refuses amounts that are not whole minor units', () => {
    assert.throws(() => priceCoupon(couponTerms(), 10.5, 0, now, 'ada'), RangeError);
  });
});

describe('refusalMessage', () => {
  it('says how much more a below-minimum order needs', () => {
    assert.equal(
      refusalMessage('SAVE10', 'below_minimum', couponTerms({ minAmountMinor: 50_00 }), 42_50),
      'Coupon SAVE10 needs an order of at least 50.00: add 7.50 more to use it.',
    );
  });

  it('names the coupon when it has expired', () => {
    assert.equal(refusalMessage('SAVE10', 'expired', couponTerms(), 0), 'Coupon SAVE10 has expired.');
  });
});
