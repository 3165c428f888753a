import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import azureFunctions, { type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { CUSTOMER_ROLE } from '../auth/tokens.js';
import { defineHttp } from '../http/define.js';
import type { Envelope } from '../http/envelope.js';
import { ok, type AnyHttpFunction } from '../http/types.js';
import { startPlatform, stopPlatform } from '../platform/current.js';
import type { Platform } from '../platform/platform.js';
import { azureHttpHandler, clientIpOf } from './azure-host.js';

// The package is CommonJS: its classes come through the default export.
const { HttpRequest, InvocationContext } = azureFunctions;

const MAX_BODY_BYTES = 2048;

const anEndpoint = (overrides: Partial<AnyHttpFunction> = {}): AnyHttpFunction =>
  defineHttp({
    name: 'test-azure',
    route: 'things/{id:int}',
    methods: ['POST'],
    access: 'public',
    bodyKind: 'json',
    summary: 'echo',
    tags: ['test'],
    handler: async ({ body, params, caller, query }) => ok({ body, params, query, caller }),
    ...overrides,
  } as AnyHttpFunction);

function aRequest(
  init: {
    body?: string;
    headers?: Record<string, string>;
    params?: Record<string, string>;
    url?: string;
  } = {},
) {
  return new HttpRequest({
    method: 'POST',
    url: init.url ?? 'https://shop-func.azurewebsites.net/api/things/7',
    headers: { 'content-type': 'application/json', ...init.headers },
    params: init.params ?? { id: '7' },
    ...(init.body === undefined ? {} : { body: { string: init.body } }),
  });
}

async function invoke(fn: AnyHttpFunction, request: InstanceType<typeof HttpRequest>) {
  const response: HttpResponseInit = await azureHttpHandler(fn, () => startPlatform())(
    request,
    new InvocationContext({ functionName: fn.name }),
  );
  const headers = new Headers(response.headers);
  const text =
    response.jsonBody !== undefined ? JSON.stringify(response.jsonBody) : String(response.body ?? '');
  return {
    status: response.status,
    headers,
    envelope: JSON.parse(text) as Envelope<Record<string, unknown>>,
  };
}

let dataDir: string;
let platform: Platform;
before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-azure-test-'));
  platform = await startPlatform({
    env: { DATA_DIR: dataDir, MAX_BODY_BYTES: String(MAX_BODY_BYTES), MAX_JSON_BODY_BYTES: '1024' },
    logSinks: [() => {}],
  });
});
after(async () => {
  await stopPlatform();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('azureHttpHandler', () => {
  it('answers a JSON body with status, JSON headers and the envelope', async () => {
    const { status, headers, envelope } = await invoke(
      anEndpoint({ body: z.object({ name: z.string() }) }),
      aRequest({ body: '{"name":"Tea","extra":1}', headers: { 'x-correlation-id': 'az-1' } }),
    );
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(headers.get('x-correlation-id'), 'az-1');
    assert.equal(envelope.isSuccess, true);
    assert.deepEqual(envelope.data?.['body'], { name: 'Tea' });
  });

  it('answers a handler that returns its answer at hand (no promise), like the local host', async () => {
    const fn = anEndpoint({ methods: ['GET'], bodyKind: 'none', handler: () => ok({ ready: true }) });
    const { status, headers, envelope } = await invoke(
      fn,
      aRequest({ headers: { 'x-correlation-id': 'az-2' } }),
    );
    assert.equal(status, 200);
    assert.equal(headers.get('x-correlation-id'), 'az-2');
    assert.deepEqual(envelope.data, { ready: true });
  });

  it('parses a bare number body', async () => {
    const { status, envelope } = await invoke(anEndpoint({ body: z.number() }), aRequest({ body: '42' }));
    assert.equal(status, 200);
    assert.equal(envelope.data?.['body'], 42);
  });

  it('takes route parameters from request.params', async () => {
    const fn = anEndpoint({ params: z.object({ id: z.string().regex(/^\d+$/).transform(Number) }) });
    const { envelope } = await invoke(fn, aRequest({ body: '1', params: { id: '12' } }));
    assert.deepEqual(envelope.data?.['params'], { id: 12 });
  });

  it('reads the query string from the URL', async () => {
    const fn = anEndpoint({ query: z.object({ sort: z.string().optional() }) });
    const { envelope } = await invoke(fn, aRequest({ url: 'https://x.test/api/things/7?sort=name&empty=' }));
    assert.deepEqual(envelope.data?.['query'], { sort: 'name' });
  });

  it('answers 401 with a Bearer challenge for a user route without a token', async () => {
    const { status, headers, envelope } = await invoke(
      anEndpoint({ access: 'user' }),
      aRequest({ body: '1' }),
    );
    assert.equal(status, 401);
    assert.equal(headers.get('www-authenticate'), 'Bearer');
    assert.equal(envelope.code, 'unauthorized');
    assert.equal(envelope.isSuccess, false);
  });

  it('admits a user route with a token from the platform', async () => {
    const token = platform.tokens.sign({
      sub: 'user-1',
      sid: 's-1',
      email: 'a@shop.test',
      roles: [CUSTOMER_ROLE],
    });
    const { status, envelope } = await invoke(
      anEndpoint({ access: 'user' }),
      aRequest({ body: '1', headers: { authorization: `Bearer ${token}` } }),
    );
    assert.equal(status, 200);
    assert.equal((envelope.data?.['caller'] as { userId: string }).userId, 'user-1');
  });

  it('answers 400 validation_failed through the same envelope', async () => {
    const { status, envelope } = await invoke(
      anEndpoint({ body: z.object({ name: z.string() }) }),
      aRequest({ body: '{}' }),
    );
    assert.equal(status, 400);
    assert.equal(envelope.code, 'validation_failed');
    assert.equal(envelope.type, 'name');
  });

  it('refuses a declared body over MAX_BODY_BYTES with 413', async () => {
    const body = JSON.stringify('x'.repeat(MAX_BODY_BYTES));
    const { status, envelope } = await invoke(
      anEndpoint(),
      aRequest({ body, headers: { 'content-length': String(Buffer.byteLength(body)) } }),
    );
    assert.equal(status, 413);
    assert.equal(envelope.code, 'payload_too_large');
  });

  it('refuses an undeclared (chunked) body over MAX_BODY_BYTES with 413, like the local host', async () => {
    const { status, headers, envelope } = await invoke(
      anEndpoint(),
      aRequest({ body: JSON.stringify('x'.repeat(MAX_BODY_BYTES)) }),
    );
    assert.equal(status, 413);
    assert.equal(envelope.code, 'payload_too_large');
    assert.ok(headers.get('x-correlation-id'));
  });

  it('refuses a JSON body over MAX_JSON_BODY_BYTES with 413, while a raw body keeps MAX_BODY_BYTES', async () => {
    const body = JSON.stringify('x'.repeat(1500));
    const json = await invoke(anEndpoint(), aRequest({ body }));
    assert.equal(json.status, 413);
    assert.equal(json.envelope.code, 'payload_too_large');
    const raw = await invoke(
      anEndpoint({ bodyKind: 'raw', handler: async ({ rawBody }) => ok({ bytes: rawBody.length }) }),
      aRequest({ body }),
    );
    assert.equal(raw.status, 200);
  });

  it('answers a malformed percent-encoding in the address with 400, never a 500', async () => {
    for (const url of [
      'https://shop-func.azurewebsites.net/api/things/7%E0%A4%A',
      'https://shop-func.azurewebsites.net/api/things/7?q=%zz',
    ]) {
      const { status, envelope } = await invoke(anEndpoint(), aRequest({ url, body: '{}' }));
      assert.equal(status, 400, url);
      assert.equal(envelope.code, 'bad_request');
    }
  });
});

describe('clientIpOf', () => {
  it('reads the address APIM wrote, whole, in one form', () => {
    const apim = (value: string) => ({ 'x-shop-client-ip': value });
    assert.equal(clientIpOf(apim('[2001:db8:1:2:3:4:5:6]:443')), '2001:db8:1:2:3:4:5:6');
    assert.equal(clientIpOf(apim('2001:db8:1:2:3:4:5:6')), '2001:db8:1:2:3:4:5:6');
    assert.equal(clientIpOf(apim('::ffff:203.0.113.9')), '203.0.113.9');
    assert.equal(clientIpOf({ 'x-forwarded-for': '203.0.113.9' }), '');
  });

  it("never reads the headers App Service's front end writes with its peer's (APIM's) address", () => {
    // Behind APIM every request reaches App Service from the gateway: x-client-ip and client-ip
    // carry the gateway's address there, the same for every shopper.
    const fromFrontEnd = { 'x-client-ip': '20.1.2.3', 'client-ip': '20.1.2.3:50412' };
    assert.equal(clientIpOf(fromFrontEnd), '');
    assert.equal(clientIpOf({ ...fromFrontEnd, 'x-shop-client-ip': '203.0.113.9' }), '203.0.113.9');
  });
});
