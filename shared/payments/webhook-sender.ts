import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../telemetry/logger.js';

/** Sends one signed event body; resolves when the endpoint answered 2xx, rejects otherwise. */
export type WebhookDelivery = (payload: string, signatureHeader: string) => Promise<void>;

/** The plain HTTP delivery Stripe makes: a POST of the raw JSON with its `Stripe-Signature` header. */
export function postWebhook(url: string, timeoutMs = 10_000): WebhookDelivery {
  return async (payload, signatureHeader) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signatureHeader },
      body: payload,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`the webhook answered ${res.status}: ${text.slice(0, 300)}`);
  };
}

/**
 * Delivers events the way Stripe does, on a small scale: each attempt is signed anew (a fresh
 * timestamp, so a late retry is not refused as stale), failures are retried after short waits and
 * logged, and nothing is ever thrown at the code that raised the event. Retries live in memory:
 * after a restart the shop learns the outcome by retrieving the session, as it must with Stripe too.
 */
export class WebhookSender {
  readonly #inFlight = new Set<Promise<void>>();
  readonly #stopping = new AbortController();

  constructor(
    private readonly log: Logger,
    /** Waits before the 2nd, 3rd, … attempt. */
    private readonly retryDelaysMs: readonly number[] = [250, 1_000, 4_000],
  ) {}

  /**
   * Starts delivering `payload`, signed by `sign()` per attempt. The returned promise settles after
   * the first attempt (whatever its outcome), for callers that wait for the shop's answer.
   */
  send(
    deliver: WebhookDelivery,
    payload: string,
    sign: () => string | Promise<string>,
    about: { eventId: string; type: string },
  ): Promise<void> {
    let firstAttemptDone = () => {};
    const firstAttempt = new Promise<void>((resolve) => (firstAttemptDone = resolve));
    const run = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await deliver(payload, await sign());
          this.log.debug('payment webhook delivered', { ...about, attempt });
          return;
        } catch (error) {
          const wait = this.retryDelaysMs[attempt - 1];
          if (wait === undefined || this.#stopping.signal.aborted) {
            this.log.error('payment webhook delivery failed; giving up', { ...about, attempt, error });
            return;
          }
          this.log.warn('payment webhook delivery failed; will retry', { ...about, attempt, error });
        } finally {
          firstAttemptDone();
        }
        try {
          await sleep(this.retryDelaysMs[attempt - 1], undefined, { signal: this.#stopping.signal });
        } catch {
          this.log.warn('payment webhook not retried: shutting down', about);
          return;
        }
      }
    })();
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
    return firstAttempt;
  }

  /** Every delivery started so far has finished (tests). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Cancels waiting retries and lets attempts in flight finish. */
  async close(): Promise<void> {
    this.#stopping.abort();
    await this.idle();
  }
}
