import { detached } from '../../shared/telemetry/context.js';
import type { Logger } from '../../shared/telemetry/logger.js';

/**
 * Product views, counted in memory and written in batches: one `view_count = view_count + n`
 * statement per viewed product every few seconds (VIEW_FLUSH_SECONDS) and on shutdown, never a
 * write per request. A view never bumps the catalog revision, so it never empties the read cache.
 *
 * What a crash may lose: the views counted since the last flush (at most VIEW_FLUSH_SECONDS of
 * them, on that instance). A flush that fails keeps its counts for the next one.
 */
export class ViewCounter {
  #pending = new Map<number, number>();
  readonly #timer: NodeJS.Timeout;
  #flushing: Promise<number> | undefined;

  constructor(
    private readonly write: (productId: number, views: number) => Promise<void>,
    private readonly log: Logger,
    intervalMs: number,
  ) {
    // Made on first use, often inside a request: the flushes belong to no request.
    this.#timer = detached(() => setInterval(() => void this.flush(), intervalMs));
    // The timer alone never keeps a process (a CLI, a test, a worker) alive; shutdown flushes.
    this.#timer.unref();
  }

  count(productId: number): void {
    this.#pending.set(productId, (this.#pending.get(productId) ?? 0) + 1);
  }

  /** Views counted and not yet written (tests, health). */
  pending(productId?: number): number {
    if (productId !== undefined) return this.#pending.get(productId) ?? 0;
    let total = 0;
    for (const n of this.#pending.values()) total += n;
    return total;
  }

  /** Writes what was counted, one statement per product; returns how many products were written. */
  flush(): Promise<number> {
    // One flush at a time; a flush asked for during one runs right after it.
    const previous = this.#flushing ?? Promise.resolve(0);
    const next = previous.then(() => this.#flushNow());
    this.#flushing = next;
    void next.finally(() => {
      if (this.#flushing === next) this.#flushing = undefined;
    });
    return next;
  }

  /** Stops the timer and writes what is left (shutdown). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  async #flushNow(): Promise<number> {
    if (this.#pending.size === 0) return 0;
    const batch = this.#pending;
    this.#pending = new Map();
    let written = 0;
    for (const [productId, views] of batch) {
      try {
        await this.write(productId, views);
        written += 1;
      } catch (error) {
        // Kept for the next flush: a database that is waking up loses nothing.
        this.#pending.set(productId, (this.#pending.get(productId) ?? 0) + views);
        this.log.warn('could not write product views; kept for the next flush', { productId, error });
      }
    }
    return written;
  }
}
