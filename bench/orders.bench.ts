import { z } from 'zod';
import { ratio } from './lib/load.js';
import { startBare, startShop } from './lib/processes.js';
import type { BenchRow } from './platform.bench.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
const workers = 10;

/** One step of a purchase: what to send, given what the previous step answered. */
interface Step {
  method: 'POST';
  path: (previous: unknown) => string;
  body: (previous: unknown) => string | undefined;
  headers: Record<string, string>;
  /** Where a 303 points instead of a JSON body (the checkout page's Pay). */
  redirect?: boolean;
}

interface PurchaseResult {
  orders: number;
  perSecond: number;
  createP99: number;
  failures: number;
}

const p99 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
};

/**
 * Runs whole purchases back to back on `workers` connections for `seconds`: each one the steps in
 * order, each step reading what the one before answered. Counts purchases finished and the
 * latency of the first step (createorder).
 */
async function purchases(url: string, steps: Step[]): Promise<PurchaseResult> {
  const deadline = performance.now() + seconds * 1000;
  const createMs: number[] = [];
  let orders = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        let previous: unknown = undefined;
        let ok = true;
        for (const [i, step] of steps.entries()) {
          const at = performance.now();
          const res = await fetch(url + step.path(previous), {
            method: step.method,
            headers: { 'content-type': 'application/json', ...step.headers },
            body: step.body(previous),
            redirect: 'manual',
          });
          const text = await res.text();
          if (i === 0) createMs.push(performance.now() - at);
          if (step.redirect ? res.status !== 303 : res.status >= 300) {
            ok = false;
            break;
          }
          previous = text === '' ? undefined : (JSON.parse(text) as unknown);
        }
        if (ok) orders++;
        else failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { orders, perSecond: Math.round(orders / elapsed), createP99: Math.round(p99(createMs)), failures };
}

const order = z.object({ data: z.object({ orderHeaderId: z.number() }) });
const session = z.object({ data: z.object({ stripeSessionId: z.string() }) });

/**
 * Orders placed per second end to end, on the embedded payments: createorder (stock and coupon
 * held), createstripesession (a checkout session), and Pay on the local checkout page, which sends
 * the signed checkout.session.completed webhook through the shop's own webhook and signature check
 * before answering. Against a bare node:http server answering the same three requests with the
 * same bytes, from the same client loop.
 */
export async function orders(): Promise<BenchRow[]> {
  const shop = await startShop({ DEMO_DATA: 'true', LOGIN_MAX_FAILURES: '1000' });
  const login = async (email: string, password: string) => {
    const res = await fetch(`${shop.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return z
      .object({ data: z.object({ token: z.string(), user: z.object({ id: z.string() }) }) })
      .parse(await res.json()).data;
  };
  const admin = await login('admin@demo.shop', 'Admin@12345');
  const customer = await login('customer@demo.shop', 'Customer@123');
  // Enough stock for every order the run can place.
  const productIds = [1, 2, 3, 4, 5];
  for (const id of productIds) {
    const form = new FormData();
    form.set('id', String(id));
    form.set('quantity', '1000000');
    const res = await fetch(`${shop.url}/api/product`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin.token}` },
      body: form,
    });
    if (!res.ok) throw new Error(`restocking product ${id} failed: ${await res.text()}`);
  }
  const headers = { authorization: `Bearer ${customer.token}` };
  let n = 0;
  const createBody = () =>
    JSON.stringify({
      cartHeader: { userId: customer.user.id },
      cartDetails: [{ productId: productIds[n++ % productIds.length], count: 1 }],
    });
  const checkoutBody = (previous: unknown) =>
    JSON.stringify({
      approvedUrl: 'http://localhost:3000/?status=Approved&success=true',
      cancelUrl: 'http://localhost:3000/?canceled=true',
      orderHeader: { orderHeaderId: order.parse(previous).data.orderHeaderId },
    });
  const shopSteps: Step[] = [
    { method: 'POST', path: () => '/api/order/createorder', body: createBody, headers },
    { method: 'POST', path: () => '/api/order/createstripesession', body: checkoutBody, headers },
    {
      method: 'POST',
      path: (previous) => `/checkout/${session.parse(previous).data.stripeSessionId}/pay`,
      body: () => undefined,
      headers: {},
      redirect: true,
    },
  ];

  // The bare baseline answers the same bytes: capture one purchase's answers first.
  const captured: Record<string, { status: number; body: string }> = {};
  let previous: unknown;
  for (const step of shopSteps.slice(0, 2)) {
    const path = step.path(previous);
    const res = await fetch(shop.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...step.headers },
      body: step.body(previous),
    });
    const text = await res.text();
    captured[path] = { status: res.status, body: text };
    previous = JSON.parse(text) as unknown;
  }
  // Pay the captured order, so the run starts with none waiting for payment (a customer may have at
  // most 10, and the run keeps up to `workers` of its own waiting at a time).
  await fetch(`${shop.url}/checkout/${session.parse(previous).data.stripeSessionId}/pay`, {
    method: 'POST',
    redirect: 'manual',
  });
  const bare = await startBare({ ...captured, '*': { status: 303, body: '' } });
  const bareSteps: Step[] = shopSteps.map((step, i) => ({
    ...step,
    path: i === 2 ? () => '/pay' : step.path,
  }));
  const baseline = await purchases(bare.url, bareSteps);
  const measured = await purchases(shop.url, shopSteps);
  await bare.stop();
  await shop.stop();

  return [
    {
      name: `orders placed end to end (createorder + createstripesession + Pay with its signed webhook), ${workers} at a time`,
      value: `${measured.perSecond} orders/s (${measured.orders} in ${seconds} s)`,
      baseline: `${baseline.perSecond} orders/s`,
      ratio: ratio(measured.perSecond, baseline.perSecond),
      note: measured.failures > 0 ? `${measured.failures} failed purchases` : undefined,
    },
    {
      name: 'POST /api/order/createorder latency during that run',
      value: `p99 ${measured.createP99} ms`,
      baseline: `p99 ${baseline.createP99} ms`,
      ratio: '',
    },
  ];
}
