import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { stripeEvent, stripeId, unixSeconds, type StripeEventJson } from '../payments/stripe-shapes.js';
import { signStripePayloadWith } from '../payments/stripe-webhooks.js';
import { systemClock, type Clock } from '../time/clock.js';
import { StripeApiError, StripeDoubleState } from './stripe-double-state.js';
import { parseStripeForm, type FormValue } from './stripe-form.js';

/** One request the double received, as the SDK sent it. */
export interface RecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The form body rebuilt into nested objects (arrays for numeric indexes), every leaf a string. */
  body: Record<string, FormValue>;
  idempotencyKey: string | undefined;
  /** The status the double answered. */
  status: number;
}

/** A webhook delivery as Stripe would make it: the exact body and its `Stripe-Signature` header. */
export interface SignedEvent {
  event: StripeEventJson;
  payload: string;
  header: string;
}

export interface StripeDouble {
  /** Base URL for `new Stripe(key, { host, port, protocol })` (the adapter's STRIPE_API_URL). */
  readonly url: string;
  /** The only API key the double accepts. */
  readonly secretKey: string;
  /** The webhook endpoint secret events are signed with. */
  readonly webhookSecret: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** The current state of a session / refund, as GET would answer it. */
  session(id: string): Stripe.Checkout.Session;
  /** Every coupon created so far. */
  coupons(): Stripe.Coupon[];
  refund(id: string): Stripe.Refund;
  /** The metadata the session will copy onto its payment intent. */
  paymentIntentMetadata(sessionId: string): Record<string, string>;
  /**
   * What Stripe does when the shopper pays: the session completes (with a payment intent) and a
   * signed `checkout.session.completed` is due. `unpaid` is a delayed payment (a bank debit) that
   * settles later through asyncPaymentEvent.
   */
  completeSession(id: string, options?: { paymentStatus?: 'paid' | 'unpaid' }): SignedEvent;
  /** `checkout.session.async_payment_succeeded` / `_failed` for a delayed payment. */
  asyncPaymentEvent(id: string, outcome: 'succeeded' | 'failed'): SignedEvent;
  /** The session times out (if still open): `checkout.session.expired`. */
  expiredEvent(id: string): SignedEvent;
  /** A refund moves on: `refund.updated`, or `refund.failed` when it fails. */
  refundEvent(refundId: string, status: 'pending' | 'succeeded' | 'failed' | 'canceled'): SignedEvent;
  /** Signs any event body (e.g. a type the shop ignores) as Stripe would. */
  sign(event: StripeEventJson | Record<string, unknown>): { payload: string; header: string };
  /** POSTs a signed event to a webhook URL, as Stripe delivers it. */
  deliver(signed: { payload: string; header: string }, webhookUrl: string): Promise<Response>;
  /** The next `count` requests fail with `status` (an outage), without any effect. */
  failNext(count: number, status?: number): void;
  /** What new refunds answer: `succeeded` (card refunds, the default) or `pending` (settles later). */
  refundsAnswer(status: 'succeeded' | 'pending'): void;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for the part of Stripe's REST API the payments adapter uses: coupons, Checkout
 * Sessions (create, retrieve, expire), refunds. It parses the SDK's form bodies, checks the API key,
 * honours Idempotency-Key (a replay answers the first response; another body under the same key is
 * an `idempotency_error`), answers errors in Stripe's JSON, records every request, and plays
 * Stripe's part after the API calls: the shopper paying, sessions expiring, refunds moving on, each
 * as a signed webhook event. Its clock decides "now" for expiry, so tests that move time agree.
 */
export async function startStripeDouble(
  options: { webhookSecret?: string; secretKey?: string; clock?: Clock } = {},
): Promise<StripeDouble> {
  const clock = options.clock ?? systemClock;
  const secretKey = options.secretKey ?? 'sk_test_double';
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(24).toString('hex')}`;
  const state = new StripeDoubleState(clock);
  const requests: RecordedRequest[] = [];
  const replays = new Map<string, { fingerprint: string; status: number; body: string }>();
  let failures: { count: number; status: number } = { count: 0, status: 500 };

  const routes: {
    method: string;
    pattern: RegExp;
    run: (m: RegExpExecArray, body: Record<string, FormValue>) => object;
  }[] = [
    { method: 'POST', pattern: /^\/v1\/coupons$/, run: (_m, body) => state.createCoupon(body) },
    { method: 'POST', pattern: /^\/v1\/checkout\/sessions$/, run: (_m, body) => state.createSession(body) },
    { method: 'GET', pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/, run: (m) => state.session(m[1] ?? '') },
    {
      method: 'POST',
      pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
      run: (m) => state.expireSession(m[1] ?? ''),
    },
    { method: 'POST', pattern: /^\/v1\/refunds$/, run: (_m, body) => state.createRefund(body) },
  ];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://double').pathname;
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      );
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        headers,
        body: {},
        idempotencyKey: headers['idempotency-key'],
        status: 0,
      };
      requests.push(recorded);
      const answer = (status: number, body: string, extra: Record<string, string> = {}) => {
        recorded.status = status;
        res
          .writeHead(status, {
            'content-type': 'application/json',
            'request-id': stripeId('req_', 14),
            'stripe-version': headers['stripe-version'] ?? '',
            ...extra,
          })
          .end(body);
      };
      const error = (e: StripeApiError) => answer(e.status, JSON.stringify({ error: e.body }, null, 2));

      if (failures.count > 0) {
        failures.count -= 1;
        return error(
          new StripeApiError(failures.status, { type: 'api_error', message: 'Something went wrong.' }),
        );
      }
      if (headers['authorization'] !== `Bearer ${secretKey}`)
        return error(
          new StripeApiError(401, {
            type: 'invalid_request_error',
            message: `Invalid API Key provided: ${(headers['authorization'] ?? '').replace(/^Bearer /, '').slice(0, 8)}****`,
          }),
        );
      try {
        recorded.body = parseStripeForm(recorded.method === 'GET' ? '' : raw);
      } catch (e) {
        return error(
          new StripeApiError(400, { type: 'invalid_request_error', message: `Malformed body: ${String(e)}` }),
        );
      }

      const key = recorded.method === 'POST' ? recorded.idempotencyKey : undefined;
      const fingerprint = `${recorded.method} ${path} ${canonical(recorded.body)}`;
      const previous = key ? replays.get(key) : undefined;
      if (key && previous) {
        if (previous.fingerprint !== fingerprint)
          return error(
            new StripeApiError(400, {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            }),
          );
        return answer(previous.status, previous.body, { 'idempotent-replayed': 'true' });
      }

      const route = routes.find((r) => r.pattern.test(path) && r.method === recorded.method);
      const match = route?.pattern.exec(path);
      if (!route || !match)
        return error(
          new StripeApiError(404, {
            type: 'invalid_request_error',
            message: `Unrecognized request URL (${recorded.method}: ${path}).`,
          }),
        );
      try {
        const body = JSON.stringify(route.run(match, recorded.body), null, 2);
        // Stripe saves the result of a request that ran, and replays it for the same key.
        if (key) replays.set(key, { fingerprint, status: 200, body });
        answer(200, body);
      } catch (e) {
        if (e instanceof StripeApiError) return error(e);
        answer(500, JSON.stringify({ error: { type: 'api_error', message: String(e) } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const sign = (event: object) => {
    // Stripe sends webhook bodies pretty-printed; the signature covers these exact bytes.
    const payload = JSON.stringify(event, null, 2);
    return { payload, header: signStripePayloadWith(Stripe, payload, webhookSecret, clock) };
  };
  const signed = (type: Stripe.Event['type'], object: StripeEventJson['data']['object']): SignedEvent => {
    const event = stripeEvent(type, object, { created: unixSeconds(clock.now()) });
    return { event, ...sign(event) };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    webhookSecret,
    requests,
    session: (id) => state.session(id),
    coupons: () => [...state.coupons.values()],
    refund: (id) => state.refund(id),
    paymentIntentMetadata: (id) => state.paymentIntentMetadata(id),
    completeSession: (id, o = {}) =>
      signed('checkout.session.completed', state.completeSession(id, o.paymentStatus ?? 'paid')),
    asyncPaymentEvent: (id, outcome) =>
      signed(`checkout.session.async_payment_${outcome}`, state.settleAsyncPayment(id, outcome)),
    expiredEvent(id) {
      const session = state.session(id);
      return signed(
        'checkout.session.expired',
        session.status === 'open' ? state.expireSession(id) : session,
      );
    },
    refundEvent: (refundId, status) =>
      signed(status === 'failed' ? 'refund.failed' : 'refund.updated', state.updateRefund(refundId, status)),
    sign,
    deliver: (event, webhookUrl) =>
      fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': event.header },
        body: event.payload,
      }),
    failNext(count, status = 500) {
      failures = { count, status };
    },
    refundsAnswer(status) {
      state.refundStatusOnCreate = status;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The same parameters give the same text, whatever order their keys came in. */
function canonical(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k] ?? '')}`)
    .join(',')}}`;
}
