import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalBlobStore } from '../../../shared/storage/local-blob-store.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../../index.js';

/** Blob storage that is down, with an internal detail that must not reach the public. */
class BrokenBlobStore extends LocalBlobStore {
  override async ping(): Promise<void> {
    throw new Error('getaddrinfo ENOTFOUND stmediaq3x.blob.core.windows.net (secret-internal-host)');
  }
}

let host: TestHost;
before(async () => {
  host = await startTestHost({
    platform: { blobs: new BrokenBlobStore(path.join(os.tmpdir(), 'health-blobs'), undefined) },
  });
});
after(() => host.close());

describe('GET /api/health (readiness)', () => {
  it('gives each dependency’s state only, and 503 when one is failing; the detail goes to the log', async () => {
    const res = await host.call('GET', '/api/health');
    assert.equal(res.status, 503);
    const data = res.body.data as { status: string; checks: Record<string, { status: string }> };
    assert.equal(data.status, 'unhealthy');
    assert.equal(data.checks['blobs:local']?.status, 'failing');
    assert.equal(data.checks['database:orders']?.status, 'ok');
    assert.doesNotMatch(res.text, /ENOTFOUND|secret-internal-host/);
    assert.ok(
      host.logs.some((l) => l.level === 'warn' && JSON.stringify(l.fields).includes('secret-internal-host')),
    );
  });
});

describe('GET /api/health probes', () => {
  it('at most once a second: the polls of that second get the same bytes without a probe', async () => {
    const statements: string[] = [];
    const stops = ['orders', 'catalog', 'auth'].map((d) =>
      host.platform.database(d).onQuery((q) => statements.push(q.sql)),
    );
    try {
      host.clock.advance(60_000);
      const first = await host.call('GET', '/api/health');
      assert.ok(statements.length >= 3, `each database is probed: ${statements.join('; ')}`);
      statements.length = 0;
      const again = await host.call('GET', '/api/health');
      assert.equal(again.text, first.text);
      assert.deepEqual(statements, []);

      host.clock.advance(1_000);
      await host.call('GET', '/api/health');
      assert.ok(statements.length >= 3, 'a new second probes again');
    } finally {
      stops.forEach((stop) => stop());
    }
  });
});

describe('GET /api/health/live (liveness)', () => {
  it('answers without touching any database', async () => {
    const statements: string[] = [];
    const stops = ['orders', 'catalog', 'auth'].map((d) =>
      host.platform.database(d).onQuery((q) => statements.push(q.sql)),
    );
    const res = await host.call('GET', '/api/health/live');
    stops.forEach((stop) => stop());
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, { status: 'alive' });
    assert.deepEqual(statements, []);
  });
});

describe('GET /api/ops/deadletters', () => {
  it('lists dead letters to an ADMIN, and to nobody else', async () => {
    const sign = (roles: string[]) =>
      host.platform.tokens.sign({ sub: randomUUID(), sid: randomUUID(), email: 'x@shop.test', roles });
    const res = await host.call('GET', '/api/ops/deadletters', { token: sign(['ADMIN']) });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.data, []);
    assert.equal((await host.call('GET', '/api/ops/deadletters', { token: sign(['CUSTOMER']) })).status, 403);
    assert.equal((await host.call('GET', '/api/ops/deadletters')).status, 401);
  });
});
