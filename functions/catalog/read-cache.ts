import { createHash } from 'node:crypto';
import { successJson } from '../../shared/http/envelope.js';
import type { MaybePromise } from '../../shared/platform/maybe-promise.js';

/**
 * The catalog's read cache: encoded answers of the public GETs (list, detail, brands, categories),
 * each with the catalog revision it was built at and a strong ETag of its bytes. An answer is served
 * only while its revision is still the current one, which the caller reads from the database first
 * (one tiny query), so an instance never serves a page older than the last commit, whichever
 * instance made it. Bounded by bytes and entries; the least recently used answers go first.
 */
export interface CachedAnswer {
  revision: number;
  /**
   * The whole envelope, encoded once. Kept as a string: Node writes a string answer together with
   * its headers in one write, where a Buffer takes a second, slower path through the socket.
   */
  body: string;
  /** A strong validator of exactly these bytes. */
  etag: string;
}

export class ReadCache {
  readonly #entries = new Map<string, CachedAnswer>();
  /** Builds in progress, so a burst of misses for one key runs its queries once. */
  readonly #building = new Map<string, Promise<CachedAnswer>>();
  #bytes = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxEntries = 20_000,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The answer for `key` built at `revision`, or builds it (once, however many ask at the same time)
   * and keeps it. `build` gives the data's JSON. A hit is answered as it is, without a promise.
   */
  answer(key: string, revision: number, build: () => Promise<string>): MaybePromise<CachedAnswer> {
    const hit = this.#entries.get(key);
    if (hit && hit.revision === revision) {
      // Most recently used goes last: the Map's order is the eviction order.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const buildKey = `${revision}\n${key}`;
    let building = this.#building.get(buildKey);
    if (!building) {
      building = build().then((dataJson) => {
        const answer = encode(dataJson, revision);
        this.#store(key, answer);
        return answer;
      });
      this.#building.set(buildKey, building);
      const forget = () => this.#building.delete(buildKey);
      building.then(forget, forget);
    }
    return building;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #store(key: string, answer: CachedAnswer): void {
    const size = costOf(key, answer);
    if (size > this.maxBytes) return;
    const old = this.#entries.get(key);
    // A build for an older revision that finished late never replaces a newer answer.
    if (old && old.revision > answer.revision) return;
    if (old) {
      this.#entries.delete(key);
      this.#bytes -= costOf(key, old);
    }
    this.#entries.set(key, answer);
    this.#bytes += size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes && this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
      this.#bytes -= costOf(oldest, entry);
    }
  }
}

/** The envelope `ok(data)` would produce, from the data's JSON, with a strong ETag of its bytes. */
export function encode(dataJson: string, revision: number): CachedAnswer {
  const body = successJson(dataJson);
  return { revision, body, etag: etagOf(body) };
}

export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

// UTF-16 in memory: two bytes a character, plus the key and the entry itself.
const costOf = (key: string, answer: CachedAnswer) => (answer.body.length + key.length) * 2 + 100;

/**
 * The current revision for requests that arrive together: the first asks for a read at the end of
 * this turn of the event loop (setImmediate, after every request the poll phase delivered), and all
 * that asked before it runs share its answer. Each shares a read made after it arrived, so none is
 * answered from a revision older than the last commit before its arrival; under load a burst of
 * requests costs one statement instead of one each.
 */
export class RevisionReader {
  #next: Promise<number> | undefined;

  constructor(private readonly read: () => Promise<number>) {}

  current(): Promise<number> {
    if (!this.#next) {
      this.#next = new Promise<number>((resolve, reject) => {
        setImmediate(() => {
          this.#next = undefined;
          this.read().then(resolve, reject);
        });
      });
    }
    return this.#next;
  }
}
