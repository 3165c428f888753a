import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';

/** The problems a configuration is refused with (fails the test when it is accepted). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('the configuration was accepted');
}

const names = (problems: string[]) => problems.map((p) => p.split(':')[0]).sort();

describe('loadConfig', () => {
  it('gives every setting a working default on a fresh machine', () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 7071);
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.SHOP_CURRENCY, 'AUD');
    assert.equal(config.BCRYPT_COST, 12);
    assert.equal(config.MAX_DELIVERY_COUNT, 10);
    assert.deepEqual(config.CORS_ORIGINS, []);
    assert.equal(config.dataDir, path.resolve('./.data'));
    assert.equal(config.usesSqlServer, false);
  });

  it('treats blank values as absent', () => {
    const config = loadConfig({ PORT: '  ', SHOP_NAME: '', SQL_SERVER: ' ' });
    assert.equal(config.PORT, 7071);
    assert.equal(config.SHOP_NAME, 'Demo Shop');
    assert.equal(config.usesSqlServer, false);
  });

  it('reads numbers, flags and lists', () => {
    const config = loadConfig({
      PORT: '8080',
      DEMO_DATA: 'no',
      CORS_ORIGINS: 'http://a.test, http://b.test,',
    });
    assert.equal(config.PORT, 8080);
    assert.equal(config.DEMO_DATA, false);
    assert.deepEqual(config.CORS_ORIGINS, ['http://a.test', 'http://b.test']);
  });

  it('names each bad setting at once', () => {
    const problems = problemsOf({ PORT: 'abc', BCRYPT_COST: '8', SHOP_CURRENCY: 'usd' });
    assert.deepEqual(names(problems), ['BCRYPT_COST', 'PORT', 'SHOP_CURRENCY']);
    assert.match(
      problems.find((p) => p.startsWith('PORT'))!,
      /whole number.*"abc"/,
    );
  });

  it('refuses ADMIN_EMAIL without ADMIN_PASSWORD', () => {
    assert.deepEqual(names(problemsOf({ ADMIN_EMAIL: 'admin@shop.test' })), ['ADMIN_PASSWORD']);
  });

  it('reports a missing companion setting together with malformed values', () => {
    const problems = problemsOf({ PORT: 'abc', ADMIN_EMAIL: 'admin@shop.test' });
    assert.deepEqual(names(problems), ['ADMIN_PASSWORD', 'PORT']);
  });

  it('puts the whole list in the error message', () => {
    assert.throws(
      () => loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' }),
      (error: unknown) =>
        error instanceof ConfigError && /PORT/.test(error.message) && /LOG_LEVEL/.test(error.message),
    );
  });

  it('seeds demo data by default locally', () => {
    assert.equal(loadConfig({}).DEMO_DATA, true);
  });

  it('does not seed demo data by default against SQL Server', () => {
    const config = loadConfig({ SQL_SERVER: 'sql.example.test' });
    assert.equal(config.usesSqlServer, true);
    assert.equal(config.DEMO_DATA, false);
  });

  it('lets DEMO_DATA be forced on against SQL Server', () => {
    assert.equal(loadConfig({ SQL_SERVER: 'sql.example.test', DEMO_DATA: 'true' }).DEMO_DATA, true);
  });
});
