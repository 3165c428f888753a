import { randomUUID } from 'node:crypto';
import type { TestHost } from '../../../shared/testing/test-host.js';
import type { Product } from '../../catalog/catalog.client.js';
import type { CheckoutDto, OrderHeaderDto } from '../orders.schemas.js';

/**
 * Test data for orders: real customers (registered through auth, because an order prints its
 * customer's contact), products in the real catalog, and the bodies the storefront posts.
 */

export interface Customer {
  userId: string;
  email: string;
  name: string;
  token: string;
}

let counter = 0;

/** Registers and signs in a customer through the auth routes. */
export async function aCustomer(host: TestHost, name = `Customer ${++counter}`): Promise<Customer> {
  const email = `buyer${counter}-${randomUUID().slice(0, 8)}@shop.test`;
  const password = 'Secret#123';
  const registered = await host.call('POST', '/api/auth/register', {
    json: { email, password, name, phoneNumber: '0400 000 000' },
  });
  if (registered.status !== 200) throw new Error(`register failed: ${registered.text}`);
  const res = await host.call('POST', '/api/auth/login', { json: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.text}`);
  const data = res.body.data as { token: string; user: { id: string } };
  return { userId: data.user.id, email, name, token: data.token };
}

/** A new access token for the customer (tests that move the clock past a token's lifetime). */
export function refreshToken(host: TestHost, customer: Customer): void {
  customer.token = host.mintToken({
    sub: customer.userId,
    sid: randomUUID(),
    email: customer.email,
    roles: ['CUSTOMER'],
  });
}

/** An ADMIN token (the role is what counts; the ADMIN needs no account to manage orders). */
export function anAdmin(host: TestHost): Customer {
  const userId = randomUUID();
  const email = 'admin@shop.test';
  return {
    userId,
    email,
    name: 'Admin',
    token: host.mintToken({ sub: userId, sid: randomUUID(), email, roles: ['ADMIN'] }),
  };
}

/**
 * The body the storefront posts to createorder: its cart header (with a client total the server
 * ignores) and each line carrying the whole product it shows.
 */
export function anOrderBody(userId: string | undefined) {
  const lines: Record<string, unknown>[] = [];
  const builder = {
    line(product: Product | { id: number }, count: number, extra: Record<string, unknown> = {}) {
      lines.push({
        cartDetailsId: 0,
        cartHeaderId: 7,
        productId: product.id,
        count,
        product,
        cartHeader: { cartHeaderId: 7, userId },
        ...extra,
      });
      return builder;
    },
    build() {
      return {
        cartHeader: { userId, cartHeaderId: 7, couponCode: '', discount: 0, cartTotal: 0.01 },
        cartDetails: lines.map((l) => ({ ...l })),
      };
    },
  };
  return builder;
}

/** The storefront's return URLs: built from its own origin (the Vite dev server by default). */
export function returnUrls(orderId: number, origin = 'http://localhost:3000') {
  return {
    approvedUrl: `${origin}/?status=Approved&success=true&orderId=${orderId}`,
    cancelUrl: `${origin}/?status=Cancelled&canceled=true&orderId=${orderId}`,
  };
}

/** Storefront calls of the order routes, asserting nothing: tests assert on what they return. */
export class Storefront {
  constructor(
    readonly host: TestHost,
    readonly customer: Customer,
  ) {}

  createOrder(body: unknown, headers: Record<string, string> = {}) {
    return this.host.call('POST', '/api/order/createorder', {
      json: body,
      token: this.customer.token,
      headers,
    });
  }

  /** Places an order for the products and counts given, and returns it (throws unless 201). */
  async placeOrder(...lines: [Product | { id: number }, number][]): Promise<OrderHeaderDto> {
    const body = anOrderBody(this.customer.userId);
    for (const [product, count] of lines) body.line(product, count);
    const res = await this.createOrder(body.build());
    if (res.status !== 201) throw new Error(`createorder failed: ${res.text}`);
    return res.body.data as OrderHeaderDto;
  }

  startCheckout(order: { orderHeaderId: number }, urls = returnUrls(order.orderHeaderId)) {
    return this.host.call('POST', '/api/order/createstripesession', {
      json: { ...urls, orderHeader: { ...order } },
      token: this.customer.token,
    });
  }

  async checkout(order: { orderHeaderId: number }): Promise<CheckoutDto> {
    const res = await this.startCheckout(order);
    if (res.status !== 200) throw new Error(`createstripesession failed: ${res.text}`);
    return res.body.data as CheckoutDto;
  }

  /** validatestripesession: the body is a bare JSON number (or whatever the return page sends). */
  validate(orderId: unknown) {
    return this.host.call('POST', '/api/order/validatestripesession', {
      body: JSON.stringify(orderId),
      contentType: 'application/json',
      token: this.customer.token,
    });
  }

  /** updateorderstatus: the body is a bare JSON string. */
  setStatus(orderId: number, status: unknown, token = this.customer.token) {
    return this.host.call('POST', `/api/order/updateorderstatus/${orderId}`, {
      body: JSON.stringify(status),
      contentType: 'application/json',
      token,
    });
  }

  async order(orderId: number): Promise<OrderHeaderDto> {
    const res = await this.host.call('GET', `/api/order/getorder/${orderId}`, { token: this.customer.token });
    if (res.status !== 200) throw new Error(`getorder failed: ${res.text}`);
    return res.body.data as OrderHeaderDto;
  }

  history(status = 'All') {
    return this.host.call('GET', `/api/order/getorderbystatus/${this.customer.userId}/${status}`, {
      token: this.customer.token,
    });
  }
}
