import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalMailbox, type StoredEmail } from '../../../shared/email/local-mailbox.js';
import { LocalPayments } from '../../../shared/payments/local-payments.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { aCartUpsert, Catalog } from '../../cart/tests/cart.builders.js';
import '../../index.js';
import { aCustomer, Storefront, type Customer } from '../../orders/tests/orders.builders.js';
import { LOCAL_SHOP_ADDRESS } from '../email.deps.js';

/** The emails a shopper and the shop get, end to end through the local host and the embedded bus. */

let host: TestHost;
let catalog: Catalog;
before(async () => {
  host = await startTestHost({ env: { SHOP_NAME: 'Journey Shop', SHOP_URL: 'https://shop.test' } });
  catalog = new Catalog(host);
});
after(() => host.close());

const mailbox = () => {
  assert.ok(host.platform.mailer instanceof LocalMailbox, 'the local mailbox is the embedded default');
  return host.platform.mailer;
};
/** The one email to `to` whose subject matches, after delivering everything pending. */
async function theEmail(to: string, subject: RegExp): Promise<StoredEmail> {
  await host.settle();
  const found = (await mailbox().list()).filter((m) => m.to === to && subject.test(m.subject));
  assert.equal(found.length, 1, `one "${String(subject)}" email to ${to}, found ${found.length}`);
  return found[0] as StoredEmail;
}

/** A paid order of `count` units of a new product called `name` at `price`. */
async function aPaidOrder(customer: Customer, name: string, price: string, count: number) {
  const product = await catalog.product({ price, quantity: 10, name });
  const storefront = new Storefront(host, customer);
  const order = await storefront.placeOrder([product, count]);
  const checkout = await storefront.checkout(order);
  const payments = host.platform.payments;
  assert.ok(payments instanceof LocalPayments);
  assert.equal((await payments.pay(checkout.stripeSessionId)).kind, 'paid');
  await payments.deliveriesSettled();
  await host.settle();
  return { storefront, order };
}

describe('emails through the local host', () => {
  it('register: a welcome email in the mailbox, listed on the /mailbox page', async () => {
    const customer = await aCustomer(host, 'Ada Lovelace');
    const welcome = await theEmail(customer.email, /^Welcome to Journey Shop$/);
    assert.match(welcome.text, /Hi Ada Lovelace,/);
    assert.match(welcome.text, /Start shopping: https:\/\/shop\.test\//);

    const page = await fetch(`${host.url}/mailbox`);
    assert.equal(page.status, 200);
    assert.ok((await page.text()).includes(customer.email));
  });

  it('forgot password: the reset email’s link resets the password, and a "password reset" email follows', async () => {
    const customer = await aCustomer(host, 'Grace Hopper');
    const forgot = await host.call('POST', '/api/auth/forgotpassword', { json: { email: customer.email } });
    assert.equal(forgot.status, 200);

    const reset = await theEmail(customer.email, /^Reset your Journey Shop password$/);
    const link = new URL(reset.text.match(/https:\/\/shop\.test\/reset-password\?\S+/)?.[0] ?? '');
    assert.equal(link.searchParams.get('email'), customer.email);
    const token = link.searchParams.get('token') ?? '';
    const res = await host.call('POST', '/api/auth/resetpassword', {
      json: { email: customer.email, token, newPassword: 'Reset#Pass789' },
    });
    assert.equal(res.status, 200, res.text);
    const login = await host.call('POST', '/api/auth/login', {
      json: { email: customer.email, password: 'Reset#Pass789' },
    });
    assert.equal(login.status, 200);
    const changed = await theEmail(customer.email, /^Your Journey Shop password was reset$/);
    assert.match(changed.text, /reset with an emailed link/);
  });

  it('order and pay: a confirmation to the customer, a notice to the shop and the points earned', async () => {
    const customer = await aCustomer(host, 'Alan Turing');
    const { order } = await aPaidOrder(customer, 'Ceramic teapot', '12.50', 2);
    const id = order.orderHeaderId;

    const confirmation = await theEmail(
      customer.email,
      new RegExp(`^Your Journey Shop order #${id} is confirmed$`),
    );
    assert.match(confirmation.text, /- Ceramic teapot: 2 x AUD 12\.50 = AUD 25\.00/);
    assert.match(confirmation.text, /Total: AUD 25\.00/);
    assert.match(confirmation.text, /See your orders: https:\/\/shop\.test\/orders/);

    const notice = await theEmail(LOCAL_SHOP_ADDRESS, new RegExp(`^New order #${id}: AUD 25\\.00$`));
    assert.ok(notice.text.includes(`paid by Alan Turing <${customer.email}>`));

    const points = await theEmail(customer.email, /^You earned \d+ points at Journey Shop$/);
    assert.ok(points.text.includes(`Order #${id} earned you`));
  });

  it('cancel after payment: a cancellation email, then "refund confirmed" once the refund is made', async () => {
    const customer = await aCustomer(host, 'Hedy Lamarr');
    const { storefront, order } = await aPaidOrder(customer, 'Cast-iron pan', '40.00', 1);
    const id = order.orderHeaderId;

    const cancel = await storefront.setStatus(id, 'Cancelled');
    assert.equal(cancel.status, 200, cancel.text);
    await host.settle();
    const payments = host.platform.payments as LocalPayments;
    await payments.deliveriesSettled();

    const cancelled = await theEmail(
      customer.email,
      new RegExp(`^Your Journey Shop order #${id} was cancelled$`),
    );
    assert.match(cancelled.text, /was cancelled: you cancelled it\./);
    assert.match(cancelled.text, /we are refunding AUD 40\.00/);
    assert.equal((await storefront.order(id)).status, 'Refunded');
    const refunded = await theEmail(
      customer.email,
      new RegExp(`^Your refund for Journey Shop order #${id}$`),
    );
    assert.match(refunded.text, new RegExp(`We have refunded AUD 40\\.00 for order #${id}\\.`));
  });

  it('email my cart: the lines, prices and total as they were when asked for', async () => {
    const customer = await aCustomer(host, 'Katherine Johnson');
    const kettle = await catalog.product({ price: '7.25', name: 'Kettle' });
    const upsert = await host.call('POST', '/api/cart/cartupsert', {
      json: aCartUpsert(customer.userId).line(kettle, 2).build(),
      token: customer.token,
    });
    assert.equal(upsert.status, 200, upsert.text);
    const asked = await host.call('POST', '/api/cart/emailcartrequest', {
      json: { cartHeader: { userId: customer.userId } },
      token: customer.token,
    });
    assert.equal(asked.status, 200, asked.text);
    await catalog.update(kettle.id, { price: '9.99' }); // later prices do not change the email

    const cart = await theEmail(customer.email, /^Your Journey Shop cart$/);
    assert.match(cart.text, /- Kettle: 2 x AUD 7\.25 = AUD 14\.50/);
    assert.match(cart.text, /Total: AUD 14\.50/);
    assert.match(cart.text, /Open your cart: https:\/\/shop\.test\/cart/);
  });

  it('escapes every user-supplied value: a customer named <script>alert(1)</script>', async () => {
    const customer = await aCustomer(host, '<script>alert(1)</script>');
    const { order } = await aPaidOrder(customer, 'Tea towel', '5.00', 1);

    const welcome = await theEmail(customer.email, /^Welcome to/);
    const confirmation = await theEmail(
      customer.email,
      new RegExp(`order #${order.orderHeaderId} is confirmed`),
    );
    const notice = await theEmail(LOCAL_SHOP_ADDRESS, new RegExp(`^New order #${order.orderHeaderId}:`));
    for (const email of [welcome, confirmation, notice]) {
      assert.doesNotMatch(email.html, /<script/i, email.subject);
      assert.ok(email.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), email.subject);
      assert.ok(email.text.includes('<script>alert(1)</script>'), 'plain text is not HTML-escaped');
    }
  });
});
