import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../../catalog/index.js';
import '../../coupons/index.js';
import '../index.js';
import type { Product } from '../../catalog/catalog.client.js';
import type { CartDto } from '../cart.schemas.js';
import { aCartUpsert, aShopper, anAdmin, Catalog, type Shopper } from './cart.builders.js';

let host: TestHost;
let catalog: Catalog;

before(async () => {
  host = await startTestHost();
  catalog = new Catalog(host);
});
after(() => host.close());

const upsert = (shopper: Shopper, json: unknown) =>
  host.call('POST', '/api/cart/cartupsert', { json, token: shopper.token });
const getCart = (shopper: Shopper, userId = shopper.userId) =>
  host.call('GET', `/api/cart/getcart/${userId}`, { token: shopper.token });
const cartOf = async (shopper: Shopper) => (await getCart(shopper)).body.data as CartDto | null;

describe('POST /api/cart/cartupsert', () => {
  it('creates the cart from the storefront’s exact body and echoes the line with ids and current product data', async () => {
    const shopper = aShopper(host);
    const product = await catalog.product({ price: '19.95' });
    const tampered = { ...product, price: 0.01, priceBeforeDiscount: 0.01, name: 'Client says free' };
    const res = await upsert(
      shopper,
      aCartUpsert(shopper.userId).line(tampered, 2, { price: 0.01, total: 0 }).build(),
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.isSuccess, true);
    const cart = res.body.data as CartDto;
    assert.ok(cart.cartHeader.cartHeaderId > 0);
    assert.deepEqual(cart.cartHeader, {
      cartHeaderId: cart.cartHeader.cartHeaderId,
      userId: shopper.userId,
      couponCode: '',
      discount: 0,
      cartTotal: 39.9,
    });
    assert.equal(cart.cartDetails.length, 1);
    const line = cart.cartDetails[0];
    assert.ok(line && line.cartDetailsId > 0);
    assert.equal(line.cartHeaderId, cart.cartHeader.cartHeaderId);
    assert.equal(line.productId, product.id);
    assert.equal(line.count, 2);
    assert.deepEqual(line.product, product);
  });

  it('sets the count rather than adding to it', async () => {
    const shopper = aShopper(host);
    const product = await catalog.product();
    await upsert(shopper, aCartUpsert(shopper.userId).line(product, 2).build());
    const res = await upsert(shopper, aCartUpsert(shopper.userId).line(product, 5).build());
    assert.equal((res.body.data as CartDto).cartDetails[0]?.count, 5);
    const cart = await cartOf(shopper);
    assert.equal(cart?.cartDetails.length, 1);
    assert.equal(cart?.cartDetails[0]?.count, 5);
    assert.equal(cart?.cartHeader.cartTotal, 50);
  });

  it('echoes several posted lines in posted order (Buy now reads cartDetails[0].productId)', async () => {
    const shopper = aShopper(host);
    const [a, b, c] = [await catalog.product(), await catalog.product(), await catalog.product()];
    await upsert(shopper, aCartUpsert(shopper.userId).line(b, 1).build());
    const res = await upsert(shopper, aCartUpsert(shopper.userId).line(c, 3).line(a, 1).line(b, 2).build());
    assert.equal(res.status, 200, res.text);
    const echoed = (res.body.data as CartDto).cartDetails;
    assert.deepEqual(
      echoed.map((l) => [l.productId, l.count]),
      [
        [c.id, 3],
        [a.id, 1],
        [b.id, 2],
      ],
    );
    assert.ok(echoed.every((l) => l.cartDetailsId > 0));
  });

  it('takes the caller from the token when the body has no userId, and ignores unknown fields', async () => {
    const shopper = aShopper(host);
    const product = await catalog.product();
    const res = await upsert(shopper, {
      cartDetails: [
        { productId: product.id, count: 1, product: { whatever: true }, cartHeader: { junk: 1 } },
      ],
      extra: 'ignored',
    });
    assert.equal(res.status, 200, res.text);
    assert.equal((res.body.data as CartDto).cartHeader.userId, shopper.userId);
  });

  it('removes a line with a count of 0, keeping the header and its coupon', async () => {
    const shopper = aShopper(host);
    const product = await catalog.product();
    await upsert(shopper, aCartUpsert(shopper.userId).line(product, 2).build());
    const res = await upsert(shopper, aCartUpsert(shopper.userId).line(product, 0).build());
    assert.equal(res.status, 200, res.text);
    const echoed = (res.body.data as CartDto).cartDetails[0];
    assert.equal(echoed?.cartDetailsId, 0);
    assert.equal(echoed?.count, 0);
    const cart = await cartOf(shopper);
    assert.ok(cart);
    assert.deepEqual(cart.cartDetails, []);
    assert.equal(cart.cartHeader.cartTotal, 0);
  });

  it('refuses an unknown or deleted product with 404 and writes nothing', async () => {
    const shopper = aShopper(host);
    const gone = await catalog.product();
    await catalog.remove(gone.id);
    for (const productId of [999_999, gone.id]) {
      const res = await upsert(shopper, aCartUpsert(shopper.userId).line({ id: productId }, 1).build());
      assert.equal(res.status, 404, res.text);
      assert.match(res.body.message, new RegExp(`Product ${productId} does not exist or is no longer sold`));
    }
    assert.equal((await getCart(shopper)).body.data, null);
  });

  it('refuses more than the stock, and writes nothing of a partly valid request', async () => {
    const shopper = aShopper(host);
    const plenty = await catalog.product({ quantity: 10 });
    const scarce = await catalog.product({ quantity: 3, name: `Scarce ${Date.now()}` });
    const res = await upsert(shopper, aCartUpsert(shopper.userId).line(plenty, 1).line(scarce, 4).build());
    assert.equal(res.status, 400);
    assert.equal(res.body.type, 'count');
    assert.match(res.body.message, /Only 3 of Scarce .* are in stock/);
    assert.equal((await getCart(shopper)).body.data, null);
    assert.equal((await upsert(shopper, aCartUpsert(shopper.userId).line(scarce, 3).build())).status, 200);
  });

  const badBodies: [string, (p: Product, userId: string) => unknown][] = [
    ['a count of 100', (p, u) => aCartUpsert(u).line(p, 100).build()],
    ['a negative count', (p, u) => aCartUpsert(u).line(p, -1).build()],
    ['a fractional count', (p, u) => aCartUpsert(u).line(p, 1.5).build()],
    ['a count as a string', (p, u) => aCartUpsert(u).line(p, 1, { count: '2' }).build()],
    [
      'a productId as a string',
      (p, u) =>
        aCartUpsert(u)
          .line(p, 1, { productId: String(p.id) })
          .build(),
    ],
    ['a missing productId', (p, u) => aCartUpsert(u).line(p, 1, { productId: undefined }).build()],
    [
      'cartDetails as an object',
      (p, u) => ({ cartHeader: { userId: u }, cartDetails: { productId: p.id, count: 1 } }),
    ],
    ['no cartDetails', (_p, u) => ({ cartHeader: { userId: u } })],
    ['an empty cartDetails', (_p, u) => ({ cartHeader: { userId: u }, cartDetails: [] })],
    ['the same product twice', (p, u) => aCartUpsert(u).line(p, 1).line(p, 2).build()],
    ['a bare array', (p) => [p.id]],
    [
      'a userId that is a number',
      (p) => ({ cartHeader: { userId: 42 }, cartDetails: [{ productId: p.id, count: 1 }] }),
    ],
  ];
  for (const [name, body] of badBodies) {
    it(`answers 400 for ${name}, with a message, and writes nothing`, async () => {
      const shopper = aShopper(host);
      const product = await catalog.product();
      const res = await upsert(shopper, body(product, shopper.userId));
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.isSuccess, false);
      assert.ok(res.body.message.length > 0);
      assert.equal((await getCart(shopper)).body.data, null);
    });
  }

  it('answers 400 for a body that is not JSON', async () => {
    const shopper = aShopper(host);
    const res = await host.call('POST', '/api/cart/cartupsert', {
      body: '{"cartDetails": [',
      contentType: 'application/json',
      token: shopper.token,
    });
    assert.equal(res.status, 400);
  });

  it('refuses another user’s cart (403) unless the caller is an ADMIN', async () => {
    const owner = aShopper(host);
    const other = aShopper(host);
    const product = await catalog.product();
    const refused = await upsert(other, aCartUpsert(owner.userId).line(product, 1).build());
    assert.equal(refused.status, 403);
    assert.equal((await getCart(owner)).body.data, null);
    const byAdmin = await upsert(anAdmin(host), aCartUpsert(owner.userId).line(product, 1).build());
    assert.equal(byAdmin.status, 200, byAdmin.text);
    assert.equal((await cartOf(owner))?.cartDetails.length, 1);
  });

  it('needs a token (401)', async () => {
    const res = await host.call('POST', '/api/cart/cartupsert', {
      json: aCartUpsert(undefined).line({ id: 1 }, 1).build(),
    });
    assert.equal(res.status, 401);
  });

  it('holds at most 50 products', async () => {
    const shopper = aShopper(host);
    const products = await Promise.all(Array.from({ length: 51 }, () => catalog.product()));
    const first50 = aCartUpsert(shopper.userId);
    for (const p of products.slice(0, 50)) first50.line(p, 1);
    assert.equal((await upsert(shopper, first50.build())).status, 200);
    const oneMore = await upsert(
      shopper,
      aCartUpsert(shopper.userId)
        .line(products[50] as Product, 1)
        .build(),
    );
    assert.equal(oneMore.status, 400);
    assert.match(oneMore.body.message, /at most 50/);
    // Swapping one product for another in the same request stays within the limit.
    const swap = await upsert(
      shopper,
      aCartUpsert(shopper.userId)
        .line(products[0] as Product, 0)
        .line(products[50] as Product, 1)
        .build(),
    );
    assert.equal(swap.status, 200, swap.text);
    assert.equal((await cartOf(shopper))?.cartDetails.length, 50);
  });

  it('20 simultaneous upserts of the same product by the same user leave one line with a valid count', async () => {
    const shopper = aShopper(host);
    const product = await catalog.product({ quantity: 99 });
    const counts = Array.from({ length: 20 }, (_, i) => i + 1);
    const responses = await Promise.all(
      counts.map((count) => upsert(shopper, aCartUpsert(shopper.userId).line(product, count).build())),
    );
    assert.deepEqual(
      responses.map((r) => r.status),
      counts.map(() => 200),
    );
    const cart = await cartOf(shopper);
    assert.equal(cart?.cartDetails.length, 1);
    const count = cart?.cartDetails[0]?.count ?? 0;
    assert.ok(counts.includes(count), `count ${count}`);
    const headers = await host.platform
      .database<{ cart_headers: { user_id: string } }>('cart')
      .db.selectFrom('cart_headers')
      .selectAll()
      .where('user_id', '=', shopper.userId)
      .execute();
    assert.equal(headers.length, 1);
  });
});

describe('GET /api/cart/getcart/{userId}', () => {
  it('answers null for a user without a cart', async () => {
    const shopper = aShopper(host);
    const res = await getCart(shopper);
    assert.equal(res.status, 200);
    assert.equal(res.body.data, null);
  });

  it('orders lines by cartDetailsId descending, with current prices', async () => {
    const shopper = aShopper(host);
    const [a, b, c] = [
      await catalog.product({ price: '1.10' }),
      await catalog.product({ price: '2.20' }),
      await catalog.product({ price: '3.30' }),
    ];
    await upsert(shopper, aCartUpsert(shopper.userId).line(b, 1).build());
    await upsert(shopper, aCartUpsert(shopper.userId).line(a, 1).line(c, 2).build());
    await catalog.update(a.id, { price: '5.00' });
    const res = await host.call('GET', `/api/cart/GetCart/${shopper.userId}`, { token: shopper.token });
    assert.equal(res.status, 200);
    const cart = res.body.data as CartDto;
    const ids = cart.cartDetails.map((l) => l.cartDetailsId);
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => y - x),
    );
    assert.deepEqual(
      cart.cartDetails.map((l) => l.productId),
      [c.id, a.id, b.id],
    );
    assert.equal(cart.cartDetails.find((l) => l.productId === a.id)?.product?.price, 5);
    assert.equal(cart.cartHeader.cartTotal, 13.8); // 5.00 + 2.20 + 2 × 3.30
  });

  it('drops deleted products, with a message, and notes short stock', async () => {
    const shopper = aShopper(host);
    const kept = await catalog.product({ price: '4.00', quantity: 5 });
    const gone = await catalog.product({ price: '6.00' });
    await upsert(shopper, aCartUpsert(shopper.userId).line(kept, 4).line(gone, 1).build());
    await catalog.remove(gone.id);
    await catalog.update(kept.id, { quantity: 2 });
    const res = await getCart(shopper);
    const cart = res.body.data as CartDto;
    assert.deepEqual(
      cart.cartDetails.map((l) => l.productId),
      [kept.id],
    );
    assert.equal(cart.cartHeader.cartTotal, 16);
    assert.match(res.body.message, /1 product in your cart is no longer sold and was left out/);
    assert.match(res.body.message, /Only 2 of .* are in stock/);
  });

  it('shows another user’s cart to an ADMIN only', async () => {
    const owner = aShopper(host);
    await upsert(
      owner,
      aCartUpsert(owner.userId)
        .line(await catalog.product(), 1)
        .build(),
    );
    assert.equal((await getCart(aShopper(host), owner.userId)).status, 403);
    const byAdmin = await getCart(anAdmin(host), owner.userId);
    assert.equal(byAdmin.status, 200);
    assert.equal((byAdmin.body.data as CartDto).cartHeader.userId, owner.userId);
    assert.equal((await host.call('GET', `/api/cart/getcart/${owner.userId}`)).status, 401);
  });
});

describe('POST /api/cart/removecart', () => {
  it('removes lines given as a bare JSON array of ids', async () => {
    const shopper = aShopper(host);
    const [a, b, c] = [await catalog.product(), await catalog.product(), await catalog.product()];
    const cart = (await upsert(shopper, aCartUpsert(shopper.userId).line(a, 1).line(b, 1).line(c, 1).build()))
      .body.data as CartDto;
    const [la, lb, lc] = cart.cartDetails.map((l) => l.cartDetailsId);
    const res = await host.call('POST', '/api/cart/removecart', { json: [la, lc], token: shopper.token });
    assert.equal(res.status, 200, res.text);
    const after = res.body.data as CartDto;
    assert.deepEqual(
      after.cartDetails.map((l) => l.cartDetailsId),
      [lb],
    );
    assert.equal(after.cartHeader.cartTotal, 10);
  });

  it('resolves ids only within the caller’s own cart: 404, nothing changed', async () => {
    const owner = aShopper(host);
    const thief = aShopper(host);
    const product = await catalog.product();
    const ownerCart = (await upsert(owner, aCartUpsert(owner.userId).line(product, 1).build())).body
      .data as CartDto;
    const thiefCart = (await upsert(thief, aCartUpsert(thief.userId).line(product, 1).build())).body
      .data as CartDto;
    const ownerLine = ownerCart.cartDetails[0]?.cartDetailsId;
    const thiefLine = thiefCart.cartDetails[0]?.cartDetailsId;
    const res = await host.call('POST', '/api/cart/removecart', {
      json: [thiefLine, ownerLine],
      token: thief.token,
    });
    assert.equal(res.status, 404);
    assert.match(res.body.message, new RegExp(`Cart line ${ownerLine} is not in your cart`));
    assert.equal((await cartOf(owner))?.cartDetails.length, 1);
    assert.equal((await cartOf(thief))?.cartDetails.length, 1);
  });

  it('keeps the header and its coupon after the last line goes', async () => {
    const shopper = aShopper(host);
    await createCoupon({ couponCode: `KEEP${Date.now()}`, discountAmount: 1 });
    const code = lastCoupon;
    const cart = (
      await upsert(
        shopper,
        aCartUpsert(shopper.userId)
          .line(await catalog.product(), 1)
          .build(),
      )
    ).body.data as CartDto;
    await host.call('POST', '/api/cart/applycoupon', {
      json: { cartHeader: { userId: shopper.userId, couponCode: code } },
      token: shopper.token,
    });
    const res = await host.call('POST', '/api/cart/removecart', {
      json: [cart.cartDetails[0]?.cartDetailsId],
      token: shopper.token,
    });
    assert.equal(res.status, 200, res.text);
    const after = (await cartOf(shopper)) as CartDto;
    assert.equal(after.cartHeader.cartHeaderId, cart.cartHeader.cartHeaderId);
    assert.equal(after.cartHeader.couponCode, code);
    assert.deepEqual(after.cartDetails, []);
  });

  const badBodies: [string, unknown][] = [
    ['an object', { cartDetailsId: 1 }],
    ['an array of strings', ['4058']],
    ['a bare number', 4058],
    ['an empty array', []],
    ['negative ids', [-1]],
  ];
  for (const [name, json] of badBodies) {
    it(`answers 400 for ${name}`, async () => {
      const res = await host.call('POST', '/api/cart/removecart', { json, token: aShopper(host).token });
      assert.equal(res.status, 400, res.text);
      assert.ok(res.body.message.length > 0);
    });
  }

  it('answers 404 when the caller has no cart, and 401 without a token', async () => {
    assert.equal(
      (await host.call('POST', '/api/cart/removecart', { json: [1], token: aShopper(host).token })).status,
      404,
    );
    assert.equal((await host.call('POST', '/api/cart/removecart', { json: [1] })).status, 401);
  });
});

let lastCoupon = '';
async function createCoupon(body: Record<string, unknown>): Promise<void> {
  const res = await host.call('POST', '/api/coupon', { json: body, token: anAdmin(host).token });
  if (res.status !== 200) throw new Error(`creating a coupon failed: ${res.text}`);
  lastCoupon = (res.body.data as { couponCode: string }).couponCode;
}
const applyCoupon = (shopper: Shopper, couponCode: unknown, userId: unknown = shopper.userId) =>
  host.call('POST', '/api/cart/applycoupon', {
    json: { cartHeader: { userId, couponCode } },
    token: shopper.token,
  });

describe('POST /api/cart/applycoupon and removecoupon', () => {
  it('applies a coupon whatever its case and deducts it from the total', async () => {
    const shopper = aShopper(host);
    await createCoupon({
      couponCode: `TENPC${Date.now()}`,
      discountType: 'percent',
      discountAmount: 10,
      minAmount: 20,
    });
    await upsert(
      shopper,
      aCartUpsert(shopper.userId)
        .line(await catalog.product({ price: '12.35' }), 2)
        .build(),
    );
    const res = await applyCoupon(shopper, lastCoupon.toLowerCase());
    assert.equal(res.status, 200, res.text);
    const cart = res.body.data as CartDto;
    assert.equal(cart.cartHeader.couponCode, lastCoupon);
    assert.equal(cart.cartHeader.discount, 2.47); // 10% of 24.70 = 2.47
    assert.equal(cart.cartHeader.cartTotal, 22.23);
    assert.match(res.body.message, /applied/);
  });

  it('keeps a coupon the cart is below the minimum for, says so, and deducts it once the cart reaches it', async () => {
    const shopper = aShopper(host);
    await createCoupon({ couponCode: `MIN50${Date.now()}`, discountAmount: 5, minAmount: 50 });
    const product = await catalog.product({ price: '20.00' });
    await upsert(shopper, aCartUpsert(shopper.userId).line(product, 2).build());
    const res = await applyCoupon(shopper, lastCoupon);
    assert.equal(res.status, 200, res.text);
    assert.equal((res.body.data as CartDto).cartHeader.discount, 0);
    assert.equal((res.body.data as CartDto).cartHeader.cartTotal, 40);
    assert.match(res.body.message, /at least 50.00: add 10.00 more/);
    const more = await upsert(shopper, aCartUpsert(shopper.userId).line(product, 3).build());
    assert.equal((more.body.data as CartDto).cartHeader.discount, 5);
    assert.equal((more.body.data as CartDto).cartHeader.cartTotal, 55);
  });

  it('reports a coupon that expired since it was applied, and does not deduct it', async () => {
    const shopper = aShopper(host);
    const endsAt = new Date(host.clock.now().getTime() + 60 * 60_000);
    await createCoupon({ couponCode: `HOUR${Date.now()}`, discountAmount: 3, endsAt: endsAt.toISOString() });
    await upsert(
      shopper,
      aCartUpsert(shopper.userId)
        .line(await catalog.product(), 1)
        .build(),
    );
    assert.equal(((await applyCoupon(shopper, lastCoupon)).body.data as CartDto).cartHeader.discount, 3);
    host.clock.set(endsAt);
    const res = await getCart(shopper);
    const cart = res.body.data as CartDto;
    assert.equal(cart.cartHeader.couponCode, lastCoupon);
    assert.equal(cart.cartHeader.discount, 0);
    assert.equal(cart.cartHeader.cartTotal, 10);
    assert.match(res.body.message, /has expired\. It was not deducted\./);
  });

  it('refuses an unknown, expired or inactive code with 400 and a clear message, changing nothing', async () => {
    const shopper = aShopper(host);
    await upsert(
      shopper,
      aCartUpsert(shopper.userId)
        .line(await catalog.product(), 1)
        .build(),
    );
    const unknown = await applyCoupon(shopper, 'NO-SUCH-CODE');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.type, 'couponCode');
    assert.equal(unknown.body.message, 'Coupon NO-SUCH-CODE does not exist.');
    await createCoupon({ couponCode: `OFF${Date.now()}`, discountAmount: 1, active: false });
    const inactive = await applyCoupon(shopper, lastCoupon);
    assert.equal(inactive.status, 400);
    assert.match(inactive.body.message, /no longer available/);
    await createCoupon({
      couponCode: `OLD${Date.now()}`,
      discountAmount: 1,
      endsAt: host.clock.now().toISOString(),
    });
    assert.match((await applyCoupon(shopper, lastCoupon)).body.message, /has expired/);
    assert.equal((await cartOf(shopper))?.cartHeader.couponCode, '');
  });

  it('creates no cart for a shopper who has none when the code is refused', async () => {
    const shopper = aShopper(host);
    const refused = await applyCoupon(shopper, 'NO-SUCH-CODE');
    assert.equal(refused.status, 400);
    const carts = await host.platform
      .database<{ cart_headers: { user_id: string } }>('cart')
      .db.selectFrom('cart_headers')
      .select('user_id')
      .where('user_id', '=', shopper.userId)
      .execute();
    assert.deepEqual(carts, [], 'a refused request writes nothing');
  });

  it('answers 400 for wrong shapes and 403 for another user', async () => {
    const shopper = aShopper(host);
    assert.equal(
      (await host.call('POST', '/api/cart/applycoupon', { json: { couponCode: 'X' }, token: shopper.token }))
        .status,
      400,
    );
    assert.equal((await applyCoupon(shopper, 42)).status, 400);
    assert.equal((await applyCoupon(shopper, 'X', aShopper(host).userId)).status, 403);
  });

  it('removes the coupon with removecoupon, or with an empty code', async () => {
    const shopper = aShopper(host);
    await createCoupon({ couponCode: `GONE${Date.now()}`, discountAmount: 2 });
    await upsert(
      shopper,
      aCartUpsert(shopper.userId)
        .line(await catalog.product(), 1)
        .build(),
    );
    await applyCoupon(shopper, lastCoupon);
    const res = await host.call('POST', '/api/cart/removecoupon', {
      json: { cartHeader: { userId: shopper.userId } },
      token: shopper.token,
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual((res.body.data as CartDto).cartHeader.couponCode, '');
    assert.equal((res.body.data as CartDto).cartHeader.cartTotal, 10);
    await applyCoupon(shopper, lastCoupon);
    const viaEmpty = await applyCoupon(shopper, '');
    assert.equal(viaEmpty.status, 200);
    assert.equal((viaEmpty.body.data as CartDto).cartHeader.couponCode, '');
    const other = await host.call('POST', '/api/cart/removecoupon', {
      json: { cartHeader: { userId: shopper.userId } },
      token: aShopper(host).token,
    });
    assert.equal(other.status, 403);
  });
});

describe('POST /api/cart/emailcartrequest', () => {
  const outbox = () =>
    host.platform
      .database<{ outbox: { event_name: string; body: string } }>('cart')
      .db.selectFrom('outbox')
      .selectAll()
      .where('event_name', '=', 'CartEmailRequested')
      .execute();
  const emailRequest = (shopper: Shopper, cartHeader: Record<string, unknown> = { userId: shopper.userId }) =>
    host.call('POST', '/api/cart/emailcartrequest', { json: { cartHeader }, token: shopper.token });

  it('emits CartEmailRequested through the outbox with the cart priced on the server', async () => {
    const shopper = aShopper(host);
    await createCoupon({ couponCode: `MAIL${Date.now()}`, discountAmount: 1.5 });
    const product = await catalog.product({ price: '7.25' });
    await upsert(shopper, aCartUpsert(shopper.userId).line(product, 2).build());
    await applyCoupon(shopper, lastCoupon);
    const before = (await outbox()).length;
    const res = await emailRequest(shopper);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.data, null);
    assert.equal(res.body.message, `We have your request to email this cart to ${shopper.email}.`);
    const rows = await outbox();
    assert.equal(rows.length, before + 1);
    const event = JSON.parse(rows.at(-1)?.body ?? '{}') as { topic: string; data: Record<string, unknown> };
    assert.equal(event.topic, 'cart');
    assert.deepEqual(event.data, {
      userId: shopper.userId,
      email: shopper.email,
      cartHeaderId: (await cartOf(shopper))?.cartHeader.cartHeaderId,
      couponCode: lastCoupon,
      currency: 'AUD',
      subtotalMinor: 14_50,
      discountMinor: 1_50,
      totalMinor: 13_00,
      lines: [
        {
          productId: product.id,
          name: product.name,
          imageUrl: product.images[0]?.url,
          count: 2,
          unitPriceMinor: 7_25,
          lineTotalMinor: 14_50,
        },
      ],
    });
    await host.settle();
  });

  it('accepts at most one request a minute per cart (429), then again', async () => {
    const shopper = aShopper(host);
    await upsert(
      shopper,
      aCartUpsert(shopper.userId)
        .line(await catalog.product(), 1)
        .build(),
    );
    assert.equal((await emailRequest(shopper)).status, 200);
    const again = await emailRequest(shopper);
    assert.equal(again.status, 429);
    assert.equal(again.headers.get('retry-after'), '60');
    host.clock.advance(60_000);
    assert.equal((await emailRequest(shopper)).status, 200);
  });

  it('refuses an empty cart (400), another user (403), another email (403) and no token (401)', async () => {
    const shopper = aShopper(host);
    assert.equal((await emailRequest(shopper)).status, 400);
    await upsert(
      shopper,
      aCartUpsert(shopper.userId)
        .line(await catalog.product(), 1)
        .build(),
    );
    assert.equal((await emailRequest(aShopper(host), { userId: shopper.userId })).status, 403);
    assert.equal(
      (await emailRequest(shopper, { userId: shopper.userId, email: 'someone@else.test' })).status,
      403,
    );
    assert.equal(
      (await emailRequest(shopper, { userId: shopper.userId, email: shopper.email.toUpperCase() })).status,
      200,
    );
    assert.equal(
      (await host.call('POST', '/api/cart/emailcartrequest', { json: { cartHeader: {} } })).status,
      401,
    );
  });

  it('lets an ADMIN ask for a customer’s cart; the email is left for the consumer to find', async () => {
    const owner = aShopper(host);
    await upsert(
      owner,
      aCartUpsert(owner.userId)
        .line(await catalog.product(), 1)
        .build(),
    );
    const res = await emailRequest(anAdmin(host), { userId: owner.userId });
    assert.equal(res.status, 200, res.text);
    const event = JSON.parse((await outbox()).at(-1)?.body ?? '{}') as {
      data: { userId: string; email: string };
    };
    assert.equal(event.data.userId, owner.userId);
    assert.equal(event.data.email, '');
  });
});
