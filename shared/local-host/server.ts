import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Cron } from 'croner';
import { LocalMailbox } from '../email/local-mailbox.js';
import { AppError } from '../http/errors.js';
import { parseClientAddress } from '../http/client-address.js';
import { encodingProblem, bodyLimitOf, bodyTooLarge } from '../http/request-limits.js';
import { errorResponse } from '../http/error-mapper.js';
import { correlationIdOf, runHttpFunction } from '../http/pipeline.js';
import type { OutgoingHttp } from '../http/types.js';
import { isPromise } from '../platform/maybe-promise.js';
import { registry } from '../functions/registry.js';
import { LocalPayments } from '../payments/local-payments.js';
import type { Platform } from '../platform/platform.js';
import { serveCheckout } from './checkout-routes.js';
import { corsHeaders, corsRefusalLog, preflightHeaders } from './cors.js';
import { configuredHostsOf, isLoopbackRequest, isRebindingSafeHost } from './loopback-guard.js';
import { mailboxPage, mailPage } from './pages.js';
import { Router } from './router.js';

export interface LocalHost {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The local host: a plain node:http server that serves every registered HTTP function under /api
 * through the same pipeline as Azure, plus local blobs (/media), the mailbox page (/mailbox) and,
 * when payments are embedded, the local checkout page (/checkout). The two pages are served to this
 * machine only.
 * It adapts Node's request directly; it never builds @azure/functions request objects (costly).
 */
export async function startLocalHost(
  platform: Platform,
  options: { port?: number; host?: string; timers?: boolean; deliverEvents?: boolean } = {},
): Promise<LocalHost> {
  const { config, log } = platform;
  const router = new Router(registry.http);
  const localPayments = platform.payments instanceof LocalPayments ? platform.payments : undefined;
  const inFlight = new InFlight();
  const logRequests = config.LOG_LEVEL === 'debug';
  const localPageHosts = configuredHostsOf(config);
  // The API answers the names the shop is configured with, and the name HOST gives it.
  const apiHosts = [...localPageHosts, config.HOST.replace(/^\[|\]$/g, '').toLowerCase()];
  const noteRefusedOrigin = corsRefusalLog(config.CORS_ORIGINS, (message, fields) =>
    log.warn(message, fields),
  );

  const server = http.createServer((req, res) => {
    inFlight.begin();
    const failed = (error: unknown) => {
      if (error instanceof ClientGone) {
        log.debug('client went away before its request was read', { path: req.url });
        return;
      }
      log.error('local host failed to answer', { error });
      if (!res.headersSent) res.writeHead(500).end();
    };
    // Most answers are sent without a promise (see handle): one is made only when work was waited on.
    let pending: void | Promise<void> = undefined;
    try {
      pending = handle(req, res);
    } catch (error) {
      failed(error);
    }
    if (!pending) return inFlight.end();
    pending.then(
      () => inFlight.end(),
      (error: unknown) => {
        try {
          failed(error);
        } finally {
          inFlight.end();
        }
      },
    );
  });
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 60_000;

  /**
   * Answers one request; returns a promise only when it had to wait (a body, a database, a page),
   * so a request answered from memory makes none: each promise is a hook call of the trace
   * context's AsyncLocalStorage, a measurable part of a small request.
   */
  function handle(req: http.IncomingMessage, res: http.ServerResponse): void | Promise<void> {
    const started = logRequests ? performance.now() : 0;
    const url = parseTarget(req.url ?? '/');
    const origin = req.headers.origin;
    if (origin !== undefined) noteRefusedOrigin(origin);
    const headers = req.headers as Record<string, string | undefined>;
    const correlationId = correlationIdOf(headers);
    const send = (out: OutgoingHttp) => {
      const outHeaders: Record<string, string | number> =
        origin === undefined ? out.headers : { ...corsHeaders(origin, config.CORS_ORIGINS), ...out.headers };
      // A 304 has no body, and its length would describe the 200 it stands for.
      if (out.status !== 304) outHeaders['content-length'] = Buffer.byteLength(out.body);
      res.writeHead(out.status, outHeaders);
      res.end(req.method === 'HEAD' ? undefined : out.body);
      if (logRequests)
        log.debug('request', {
          method: req.method,
          path: url.pathname,
          status: out.status,
          ms: Math.round(performance.now() - started),
          correlationId: out.headers['x-correlation-id'] ?? correlationId,
        });
    };
    const fail = (error: AppError) => {
      const { status, envelope, headers } = errorResponse(error, correlationId, log);
      send({
        status,
        headers: {
          ...headers,
          'x-correlation-id': correlationId,
          'content-type': 'application/json; charset=utf-8',
        },
        body: JSON.stringify(envelope),
      });
    };

    const malformed = encodingProblem(req.url ?? '/');
    if (malformed) return fail(malformed);
    if (url.pathname === '/' || url.pathname === '/api' || url.pathname === '/api/') {
      res.writeHead(302, { location: '/api/docs' }).end();
      return;
    }
    if (url.pathname.startsWith('/media/')) return serveBlob(url.pathname.slice('/media/'.length), res);
    if (url.pathname === '/mailbox' || url.pathname.startsWith('/mailbox/')) {
      if (!isLoopbackRequest(req, localPageHosts)) return refuseNonLoopback(res);
      return serveMailbox(url.pathname, res);
    }
    if (localPayments && (url.pathname === '/checkout' || url.pathname.startsWith('/checkout/')))
      return serveCheckout(req, res, url.pathname, {
        payments: localPayments,
        config,
        now: () => platform.clock.now(),
        hosts: localPageHosts,
      });
    if (!/^\/api(\/|$)/i.test(url.pathname))
      return fail(new AppError('not_found', 'There is nothing at this address.'));
    if (!isRebindingSafeHost(req.headers.host, apiHosts))
      return fail(
        new AppError(
          'forbidden',
          `This shop answers at localhost, at an IP address or at its configured host names (PUBLIC_BASE_URL, SHOP_URL, STOREFRONT_ORIGINS, HOST), not at ${JSON.stringify(req.headers.host ?? '')}: a web page whose name was made to point here (DNS rebinding) must not use its API.`,
        ),
      );

    if (req.method === 'OPTIONS') {
      res.writeHead(204, preflightHeaders(origin, config.CORS_ORIGINS)).end();
      return;
    }
    const match = router.match(req.method ?? 'GET', url.pathname.replace(/^\/api/i, ''));
    if (match.kind === 'not-found')
      return fail(new AppError('not_found', `No API route matches ${url.pathname}.`));
    if (match.kind === 'method-not-allowed') {
      return fail(
        new AppError(
          'method_not_allowed',
          `${req.method} is not allowed here; use ${match.allowed.join(', ')}.`,
          {
            headers: { allow: match.allowed.join(', ') },
          },
        ),
      );
    }
    const run = (body: Buffer) => {
      const host = req.headers.host ?? `${config.HOST}:${config.PORT}`;
      const out = runHttpFunction(
        match.fn,
        {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers,
          body,
          params: match.params,
          clientIp: parseClientAddress(req.socket.remoteAddress),
          baseUrl: config.PUBLIC_BASE_URL ?? `http://${host}`,
          correlationId,
        },
        platform.pipelineEnv,
      );
      return isPromise(out) ? out.then(send) : send(out);
    };
    // A request that announces no body has none (RFC 9112 6.3): no stream to wait for. Node drops
    // anything unread when the answer ends, so the connection stays usable.
    if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined)
      return run(noBody);
    return readBody(req, bodyLimitOf(match.fn, config)).then(run, (error: unknown) => {
      if (error instanceof AppError) return fail(error);
      throw error;
    });
  }

  async function serveBlob(key: string, res: http.ServerResponse): Promise<void> {
    let blob: Awaited<ReturnType<typeof platform.blobs.get>> = null;
    try {
      blob = await platform.blobs.get(decodeURIComponent(key));
    } catch {
      blob = null;
    }
    if (!blob) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, {
        'content-type': blob.contentType,
        'content-length': blob.bytes.length,
        'cache-control': 'public, max-age=3600',
        'x-content-type-options': 'nosniff',
        'access-control-allow-origin': '*',
      })
      .end(blob.bytes);
  }

  async function serveMailbox(pathname: string, res: http.ServerResponse): Promise<void> {
    const mailbox = platform.mailer instanceof LocalMailbox ? platform.mailer : undefined;
    const mails = mailbox ? await mailbox.list() : [];
    const id = decodeURIComponent(pathname.slice('/mailbox/'.length));
    const mail = id ? mails.find((m) => m.id === id) : undefined;
    if (id && !mail) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such message');
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy':
          "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-src 'self'",
      })
      .end(mail ? mailPage(mail) : mailboxPage(mails));
  }

  const crons: Cron[] = [];
  if (options.timers ?? true) {
    for (const timer of registry.timers) {
      crons.push(
        new Cron(
          typeof timer.schedule === 'string' ? timer.schedule : config[timer.schedule.setting],
          { protect: true, catch: (error) => log.error(`timer ${timer.name} failed`, { error }) },
          () => timer.run(platform),
        ),
      );
    }
  }
  if ((options.deliverEvents ?? true) && platform.bus) platform.bus.start();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.PORT, options.host ?? config.HOST, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  // The checkout page's URL is given to the shopper's browser, and the webhook is called on it: a
  // wildcard listen address is reachable at loopback.
  localPayments?.attach({
    baseUrl: url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:'),
  });

  return {
    url,
    async close() {
      crons.forEach((c) => c.stop());
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await inFlight.drained();
      server.closeAllConnections();
      await closed;
    },
  };
}

function refuseNonLoopback(res: http.ServerResponse): void {
  res
    .writeHead(403, { 'content-type': 'text/plain; charset=utf-8' })
    .end('This page is only served to this machine (open it at http://127.0.0.1 or http://localhost).');
}

/**
 * The path and query of a request target. A plain target (no dot segments, no fragment, nothing a
 * URL parser would rewrite) is split by hand, which costs a fraction of `new URL`; anything else
 * goes through `new URL`, so both give the same answer.
 */
const segment = '[A-Za-z0-9_~-][A-Za-z0-9_.~-]*';
const plainTarget = new RegExp(`^/(?:${segment}(?:/${segment})*/?)?(?:\\?[^#\\s]*)?$`);

export function parseTarget(target: string): { pathname: string; searchParams: URLSearchParams } {
  if (!plainTarget.test(target)) {
    const url = new URL(target, 'http://local');
    return { pathname: url.pathname, searchParams: url.searchParams };
  }
  const q = target.indexOf('?');
  return q === -1
    ? { pathname: target, searchParams: new URLSearchParams() }
    : { pathname: target.slice(0, q), searchParams: new URLSearchParams(target.slice(q + 1)) };
}

const noBody = Buffer.alloc(0);

/** Requests being answered: a count, and a promise for when it is back to zero (close). */
class InFlight {
  #count = 0;
  #idle: (() => void)[] = [];

  begin(): void {
    this.#count += 1;
  }

  end(): void {
    this.#count -= 1;
    if (this.#count === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  drained(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }
}

/** The client went away before its request was read: nothing to answer, nothing to log as an error. */
class ClientGone extends Error {}

/**
 * Reads the whole body. Past the limit the rest is read and dropped, so the client receives the 413
 * instead of a reset connection; past four times the limit it is not worth reading, and the 413
 * closes the connection.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const drainLimit = limit * 4;
  const tooLarge = (closeConnection: boolean) => bodyTooLarge(limit, { closeConnection });
  if (Number(req.headers['content-length'] ?? '0') > drainLimit) {
    req.resume();
    return Promise.reject(tooLarge(true));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > drainLimit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(true));
      } else if (size > limit) {
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => (size > limit ? reject(tooLarge(false)) : resolve(Buffer.concat(chunks))));
    req.on('aborted', () => reject(new ClientGone()));
    req.on('error', () => reject(new ClientGone()));
  });
}
