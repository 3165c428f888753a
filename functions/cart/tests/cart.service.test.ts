import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Caller } from '../../../shared/http/types.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../../coupons/index.js';
import '../index.js';
import { getCartCouponCode } from '../cart.client.js';
import { createCartIfMissing, findCartByUser } from '../cart.repository.js';
import { cartDeps, type CartDeps, type ProductLookup, type ProductSnapshot } from '../cart.deps.js';
import { applyCoupon, getCart, upsertCart } from '../cart.service.js';
import { createCouponViaApi } from '../../coupons/tests/coupons.builders.js';
import { aSnapshot } from './cart.builders.js';

/** A catalog stand-in that records every look-up, so the tests can count them. */
class FakeCatalog implements ProductLookup {
  readonly products = new Map<number, ProductSnapshot>();
  readonly calls: number[][] = [];
  add(...snapshots: ProductSnapshot[]): this {
    for (const s of snapshots) this.products.set(s.product.id, s);
    return this;
  }
  async getProducts(ids: number[]): Promise<Map<number, ProductSnapshot>> {
    this.calls.push([...ids]);
    return new Map(
      ids.flatMap((id) => (this.products.has(id) ? [[id, this.products.get(id) as ProductSnapshot]] : [])),
    );
  }
}

let host: TestHost;
before(async () => {
  host = await startTestHost();
});
after(() => host.close());

const aCaller = (): Caller => ({
  userId: randomUUID(),
  sessionId: 's1',
  email: 'me@shop.test',
  roles: ['CUSTOMER'],
  isAdmin: false,
});
const withCatalog = (catalog: FakeCatalog): CartDeps => ({ ...cartDeps(host.platform), products: catalog });
const lines = (...pairs: [number, number][]) => pairs.map(([productId, count]) => ({ productId, count }));
const base = 'http://shop.test';

describe('cart service with a stand-in catalog', () => {
  it('looks products up once per response, batched, never once per line', async () => {
    const catalog = new FakeCatalog().add(
      aSnapshot(1),
      aSnapshot(2),
      aSnapshot(3),
      aSnapshot(4),
      aSnapshot(5),
    );
    const deps = withCatalog(catalog);
    const caller = aCaller();
    await upsertCart(deps, caller, { cartDetails: lines([1, 1], [2, 1], [3, 1], [4, 1], [5, 1]) }, base);
    assert.equal(catalog.calls.length, 1);
    catalog.calls.length = 0;
    const { cart } = await getCart(deps, caller, caller.userId, base);
    assert.equal(cart?.cartDetails.length, 5);
    assert.deepEqual(catalog.calls, [[5, 4, 3, 2, 1]]);
  });

  it('counts every line at the catalog’s price times its count', async () => {
    const catalog = new FakeCatalog().add(aSnapshot(11, 3_33), aSnapshot(12, 1, 99));
    const caller = aCaller();
    const { cart } = await upsertCart(
      withCatalog(catalog),
      caller,
      { cartDetails: lines([11, 3], [12, 99]) },
      base,
    );
    assert.equal(cart?.cartHeader.cartTotal, 10.98);
  });

  it('refuses a 51st product, counting the lines already in the cart', async () => {
    const catalog = new FakeCatalog().add(...Array.from({ length: 60 }, (_, i) => aSnapshot(100 + i)));
    const deps = withCatalog(catalog);
    const caller = aCaller();
    await upsertCart(
      deps,
      caller,
      { cartDetails: Array.from({ length: 30 }, (_, i) => ({ productId: 100 + i, count: 1 })) },
      base,
    );
    await assert.rejects(
      upsertCart(
        deps,
        caller,
        { cartDetails: Array.from({ length: 21 }, (_, i) => ({ productId: 130 + i, count: 1 })) },
        base,
      ),
      /at most 50/,
    );
    const { cart } = await getCart(deps, caller, caller.userId, base);
    assert.equal(cart?.cartDetails.length, 30);
  });

  it('lets a count of 0 remove a line of a product the catalog no longer knows', async () => {
    const catalog = new FakeCatalog().add(aSnapshot(201));
    const deps = withCatalog(catalog);
    const caller = aCaller();
    await upsertCart(deps, caller, { cartDetails: lines([201, 2]) }, base);
    catalog.products.delete(201);
    const { cart } = await upsertCart(deps, caller, { cartDetails: lines([201, 0]) }, base);
    assert.deepEqual(cart?.cartDetails, [
      {
        cartDetailsId: 0,
        cartHeaderId: cart?.cartHeader.cartHeaderId,
        productId: 201,
        count: 0,
        product: null,
      },
    ]);
  });

  it('lets orders read the caller’s coupon code through the cart client', async () => {
    const catalog = new FakeCatalog().add(aSnapshot(301));
    const deps = withCatalog(catalog);
    const caller = aCaller();
    assert.equal(await getCartCouponCode(caller.userId), null);
    await createCouponViaApi(host, {
      couponCode: 'CLIENT5',
      discountType: 'fixed',
      discountAmount: 5,
      minAmount: 0,
    });
    await upsertCart(deps, caller, { cartDetails: lines([301, 1]) }, base);
    await applyCoupon(deps, caller, { userId: caller.userId, couponCode: 'client5' }, base);
    assert.equal(await getCartCouponCode(caller.userId), 'CLIENT5');
  });

  it('keeps one cart per user when carts are created at the same time (unique index)', async () => {
    const { db } = cartDeps(host.platform);
    const userId = randomUUID();
    const at = host.clock.now();
    await Promise.all(Array.from({ length: 5 }, () => createCartIfMissing(db, userId, at)));
    await createCartIfMissing(db, userId, at);
    const rows = await db.selectFrom('cart_headers').selectAll().where('user_id', '=', userId).execute();
    assert.equal(rows.length, 1);
    assert.equal((await findCartByUser(db, userId))?.id, rows[0]?.id);
  });
});
