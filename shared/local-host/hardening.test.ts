import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { register } from '../functions/registry.js';
import { defineHttp } from '../http/define.js';
import { ok } from '../http/types.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { rawRequest } from '../testing/raw-request.js';

register.http(
  defineHttp({
    name: 'test-hardening-json',
    route: 'test/hardening/json',
    methods: ['POST'],
    access: 'public',
    bodyKind: 'json',
    body: z.unknown(),
    summary: 'takes any JSON',
    tags: ['test'],
    handler: async () => ok(null),
  }),
  defineHttp({
    name: 'test-hardening-raw',
    route: 'test/hardening/raw',
    methods: ['POST'],
    access: 'public',
    bodyKind: 'raw',
    summary: 'takes any bytes',
    tags: ['test'],
    handler: async ({ rawBody }) => ok({ bytes: rawBody.length }),
  }),
);

let host: TestHost;
before(async () => {
  host = await startTestHost({ env: { PUBLIC_BASE_URL: 'http://shop.test:7071' } });
});
after(() => host.close());

describe('local host: JSON bodies are capped before parsing', () => {
  it('refuses a JSON body over 64 KiB (MAX_JSON_BODY_BYTES) with a 413 envelope', async () => {
    const res = await host.call('POST', '/api/test/hardening/json', {
      json: { text: 'x'.repeat(64 * 1024) },
    });
    assert.equal(res.status, 413);
    assert.equal(res.body.code, 'payload_too_large');
    assert.match(res.body.message, /64 KB limit/);
  });

  it('keeps the general limit (MAX_BODY_BYTES) for bodies that are not JSON', async () => {
    const res = await host.call('POST', '/api/test/hardening/raw', {
      body: 'x'.repeat(200 * 1024),
      contentType: 'application/octet-stream',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, { bytes: 200 * 1024 });
  });
});

describe('local host: malformed addresses', () => {
  for (const target of [
    '/mailbox/%E0%A4%A',
    '/api/test/hardening/json%zz',
    '/api/test/hardening/json?x=%E0%A4%A',
    '/media/%ff',
  ]) {
    it(`answers ${target} with a 400 envelope, never a 500`, async () => {
      const res = await rawRequest(host.url, target);
      assert.equal(res.status, 400, res.body);
      assert.equal((JSON.parse(res.body) as { code: string }).code, 'bad_request');
    });
  }
});

describe('local host: the mailbox page', () => {
  it('answers a loopback client that names the configured public host (PUBLIC_BASE_URL)', async () => {
    const { port } = new URL(host.url);
    const res = await rawRequest(host.url, '/mailbox', { host: `shop.test:${port}` });
    assert.equal(res.status, 200);
  });

  it('refuses any other host name, even from loopback (DNS rebinding)', async () => {
    const res = await rawRequest(host.url, '/mailbox', { host: 'rebind.attacker.example:7071' });
    assert.equal(res.status, 403);
  });
});

describe('local host: the API and DNS rebinding', () => {
  // A rebinding page's requests carry its own name as Host; its answers are same-origin to it. The
  // demo ADMIN's password is public, so the API must not answer that name at all.
  it('refuses the API under a host name the shop was not configured with (403 envelope)', async () => {
    const res = await rawRequest(host.url, '/api/product', { host: 'rebind.attacker.example:7071' });
    assert.equal(res.status, 403, res.body);
    assert.equal((JSON.parse(res.body) as { code: string }).code, 'forbidden');
  });

  it('answers at an address, localhost and the configured names', async () => {
    const { port } = new URL(host.url);
    for (const name of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `shop.test:${port}`,
      '192.168.1.20:7071',
      '[::1]',
    ])
      assert.notEqual((await rawRequest(host.url, '/api/product', { host: name })).status, 403, name);
  });
});
