import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { rawRequest } from '../../../shared/testing/raw-request.js';
import '../index.js';

let host: TestHost;
before(async () => (host = await startTestHost()));
after(() => host.close());

describe('GET /api/health on the local host', () => {
  it('answers 200 with each check', async () => {
    const res = await host.call('GET', '/api/health');
    assert.equal(res.status, 200);
    const data = res.body.data as { status: string; checks: Record<string, { status: string }> };
    assert.equal(data.status, 'healthy');
    assert.deepEqual(Object.keys(data.checks).sort(), ['blobs:local', 'email:mailbox', 'events:embedded']);
    for (const check of Object.values(data.checks)) assert.equal(check.status, 'ok');
  });
});

describe('the API docs on the local host', () => {
  it('GET /api/openapi.json is an OpenAPI 3.1 document with the paths', async () => {
    const res = await host.call('GET', '/api/openapi.json');
    assert.equal(res.status, 200);
    const doc = JSON.parse(res.text) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/api/health']?.['get']);
  });

  for (const docsPath of ['/api/docs', '/api/docs/']) {
    it(`GET ${docsPath} is an HTML page whose assets all load`, async () => {
      const res = await fetch(`${host.url}${docsPath}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const html = await res.text();
      const assets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => new URL(m[1]!, res.url).href);
      assert.ok(assets.length >= 3, `expected the page to load its assets, found ${assets.length}`);
      for (const asset of assets) {
        const loaded = await fetch(asset);
        assert.equal(loaded.status, 200, asset);
        await loaded.arrayBuffer();
      }
    });
  }

  it('answers a malformed asset address with a 400 envelope, never a 500', async () => {
    const res = await rawRequest(host.url, '/api/docs/assets/%E0%A4%A');
    assert.equal(res.status, 400, res.body);
    assert.equal((JSON.parse(res.body) as { code: string }).code, 'bad_request');
  });

  for (const file of ['__proto__', 'constructor', 'hasOwnProperty', 'toString']) {
    it(`answers /api/docs/assets/${file} with a 404 (no lookup on Object.prototype)`, async () => {
      const res = await host.call('GET', `/api/docs/assets/${file}`);
      assert.equal(res.status, 404);
    });
  }
});
