import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { register } from '../functions/registry.js';
import { defineHttp } from '../http/define.js';
import { ok } from '../http/types.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { corsHeaders, preflightHeaders } from './cors.js';
import { startLocalHost } from './server.js';

// ---- test-only routes -------------------------------------------------------------------------

function aGate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

let slowGates = { entered: aGate(), release: aGate() };

register.http(
  defineHttp({
    name: 'test-ping',
    route: 'test/ping',
    methods: ['GET'],
    access: 'public',
    bodyKind: 'none',
    summary: 'answers pong',
    tags: ['test'],
    handler: async () => ok({ pong: true }),
  }),
  defineHttp({
    name: 'test-echo',
    route: 'test/echo',
    methods: ['POST'],
    access: 'public',
    bodyKind: 'json',
    body: z.unknown(),
    summary: 'echoes its body',
    tags: ['test'],
    handler: async ({ body }) => ok(body),
  }),
  defineHttp({
    name: 'test-slow',
    route: 'test/slow',
    methods: ['GET'],
    access: 'public',
    bodyKind: 'none',
    summary: 'answers when the test releases it',
    tags: ['test'],
    handler: async () => {
      slowGates.entered.open();
      await slowGates.release.opened;
      return ok({ done: true });
    },
  }),
);

const envelopeSchema = z.object({
  data: z.unknown(),
  isSuccess: z.boolean(),
  message: z.string(),
  code: z.string().optional(),
});

const MAX_BODY_BYTES = 2048;
const allowedOrigin = 'http://shop.test';

let host: TestHost;
before(async () => {
  host = await startTestHost({
    env: { MAX_BODY_BYTES: String(MAX_BODY_BYTES), CORS_ORIGINS: allowedOrigin },
  });
});
after(() => host.close());

// ---- specifications -----------------------------------------------------------------------------

describe('local host: bodies', () => {
  it('passes a body within the limit to the function', async () => {
    const res = await host.call('POST', '/api/test/echo', { json: { hello: 'world' } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, { hello: 'world' });
  });

  it('refuses a body over MAX_BODY_BYTES with a 413 envelope', async () => {
    const res = await host.call('POST', '/api/test/echo', { json: { text: 'x'.repeat(MAX_BODY_BYTES * 2) } });
    assert.equal(res.status, 413);
    assert.equal(res.body.code, 'payload_too_large');
    assert.equal(res.body.isSuccess, false);
    assert.ok(res.headers.get('x-correlation-id'));
  });

  it('reads and drops an oversized body so that the client gets the 413, and keeps the connection', async () => {
    const res = await fetch(`${host.url}/api/test/echo`, {
      method: 'POST',
      body: JSON.stringify({ text: 'x'.repeat(MAX_BODY_BYTES * 3) }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 413);
    assert.notEqual(res.headers.get('connection'), 'close');
    assert.match(envelopeSchema.parse(await res.json()).message, /larger than the 2 KB limit/);
  });

  it('closes the connection after refusing a body far over the limit', async () => {
    const res = await host.call('POST', '/api/test/echo', { json: { text: 'x'.repeat(MAX_BODY_BYTES * 8) } });
    assert.equal(res.status, 413);
    assert.equal(res.headers.get('connection'), 'close');
  });

  it('refuses a chunked body (no content-length) over MAX_BODY_BYTES', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(1024));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${host.url}/api/test/echo`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 413);
    assert.equal(envelopeSchema.parse(await res.json()).code, 'payload_too_large');
  });
});

describe('local host: CORS', () => {
  it('answers a preflight from an allowed origin with the allow headers', async () => {
    const res = await host.call('OPTIONS', '/api/test/echo', {
      headers: { origin: allowedOrigin, 'access-control-request-method': 'POST' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), allowedOrigin);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /authorization/);
  });

  it('gives a disallowed origin no CORS headers', async () => {
    const res = await host.call('OPTIONS', '/api/test/echo', {
      headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' },
    });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('access-control-allow-methods'), null);
  });

  it('logs each refused origin once, at warning level, with the setting that allows it', async () => {
    const refused = 'http://refused.test:3000';
    for (let i = 0; i < 3; i++) {
      await host.call('OPTIONS', '/api/test/echo', {
        headers: { origin: refused, 'access-control-request-method': 'POST' },
      });
      await host.call('GET', '/api/test/ping', { headers: { origin: refused } });
    }
    const warnings = host.logs.filter((l) => l.level === 'warn' && l.msg.includes(refused));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.msg ?? '', new RegExp(`CORS_ORIGINS=${allowedOrigin},${refused}`));
    assert.equal(
      host.logs.filter((l) => l.fields['origin'] === allowedOrigin && l.level === 'warn').length,
      0,
      'an allowed origin is not logged',
    );
  });

  it('adds the origin header to ordinary responses for an allowed origin', async () => {
    const res = await host.call('GET', '/api/test/ping', { headers: { origin: allowedOrigin } });
    assert.equal(res.headers.get('access-control-allow-origin'), allowedOrigin);
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /x-correlation-id/);
  });

  it('allows any origin on this machine when no origins are configured', () => {
    assert.equal(
      corsHeaders('http://localhost:5173', [])['access-control-allow-origin'],
      'http://localhost:5173',
    );
    assert.equal(
      corsHeaders('http://127.0.0.1:3000', [])['access-control-allow-origin'],
      'http://127.0.0.1:3000',
    );
    assert.deepEqual(preflightHeaders('http://shop.example.com', []), {});
  });

  it('allows every origin with *', () => {
    assert.equal(corsHeaders('http://anywhere.test', ['*'])['access-control-allow-origin'], '*');
  });
});

describe('local host: routes', () => {
  it('matches routes case-insensitively', async () => {
    const res = await host.call('GET', '/API/Test/Ping');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, { pong: true });
  });
});

describe('local host: misses', () => {
  it('answers an unknown /api path with a 404 envelope', async () => {
    const res = await host.call('GET', '/api/no/such/thing');
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
    assert.equal(res.body.isSuccess, false);
  });

  it('answers a path outside /api with a 404 envelope', async () => {
    const res = await host.call('GET', '/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
  });

  it('answers a wrong method with 405 and the allowed methods', async () => {
    const res = await host.call('DELETE', '/api/test/ping');
    assert.equal(res.status, 405);
    assert.equal(res.body.code, 'method_not_allowed');
    assert.equal(res.headers.get('allow'), 'GET');
  });
});

describe('local host: shutdown', () => {
  it('close() waits for a request in flight, which completes', async () => {
    slowGates = { entered: aGate(), release: aGate() };
    const local = await startLocalHost(host.platform, { port: 0, timers: false, deliverEvents: false });
    const response = fetch(`${local.url}/api/test/slow`);
    await slowGates.entered.opened;

    let closed = false;
    const closing = local.close().then(() => (closed = true));
    await delay(20);
    assert.equal(closed, false, 'close() resolved while a request was still in flight');

    slowGates.release.open();
    const res = await response;
    assert.equal(res.status, 200);
    assert.deepEqual(envelopeSchema.parse(await res.json()).data, { done: true });
    await closing;
    await assert.rejects(fetch(`${local.url}/api/test/ping`));
  });
});
