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

  it('uses the embedded payments by default, with Stripe’s webhook tolerance and the shortest checkout', () => {
    const config = loadConfig({});
    assert.equal(config.STRIPE_SECRET_KEY, undefined);
    assert.equal(config.STRIPE_WEBHOOK_SECRET, undefined);
    assert.equal(config.STRIPE_API_URL, undefined);
    assert.equal(config.STRIPE_WEBHOOK_TOLERANCE_SECONDS, 300);
    assert.equal(config.CHECKOUT_SESSION_MINUTES, 30);
    assert.deepEqual(config.STOREFRONT_ORIGINS, []);
  });

  it('reads the Stripe settings', () => {
    const config = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_123',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      STRIPE_API_URL: 'http://127.0.0.1:12111',
      STRIPE_WEBHOOK_TOLERANCE_SECONDS: '600',
      CHECKOUT_SESSION_MINUTES: '1440',
    });
    assert.equal(config.STRIPE_SECRET_KEY, 'sk_test_123');
    assert.equal(config.STRIPE_WEBHOOK_SECRET, 'whsec_abc');
    assert.equal(config.STRIPE_API_URL, 'http://127.0.0.1:12111');
    assert.equal(config.STRIPE_WEBHOOK_TOLERANCE_SECONDS, 600);
    assert.equal(config.CHECKOUT_SESSION_MINUTES, 1440);
  });

  it('refuses STRIPE_SECRET_KEY without STRIPE_WEBHOOK_SECRET, and STRIPE_API_URL without a key', () => {
    assert.deepEqual(names(problemsOf({ STRIPE_SECRET_KEY: 'sk_test_123' })), ['STRIPE_WEBHOOK_SECRET']);
    assert.deepEqual(names(problemsOf({ STRIPE_API_URL: 'http://127.0.0.1:12111' })), ['STRIPE_SECRET_KEY']);
  });

  it('refuses values that are not Stripe keys, and out-of-range windows', () => {
    const problems = problemsOf({
      STRIPE_SECRET_KEY: 'pk_test_123',
      STRIPE_WEBHOOK_SECRET: 'secret',
      STRIPE_WEBHOOK_TOLERANCE_SECONDS: '0',
      CHECKOUT_SESSION_MINUTES: '29',
      STRIPE_API_URL: 'api.stripe.com',
    });
    assert.deepEqual(names(problems), [
      'CHECKOUT_SESSION_MINUTES',
      'STRIPE_API_URL',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'STRIPE_WEBHOOK_TOLERANCE_SECONDS',
    ]);
    assert.deepEqual(names(problemsOf({ CHECKOUT_SESSION_MINUTES: '1441' })), ['CHECKOUT_SESSION_MINUTES']);
    assert.deepEqual(names(problemsOf({ STRIPE_WEBHOOK_TOLERANCE_SECONDS: '3601' })), [
      'STRIPE_WEBHOOK_TOLERANCE_SECONDS',
    ]);
  });

  it('reads STOREFRONT_ORIGINS as origins, dropping a trailing slash', () => {
    const config = loadConfig({ STOREFRONT_ORIGINS: 'https://Shop.Example.com/, http://localhost:3000' });
    assert.deepEqual(config.STOREFRONT_ORIGINS, ['https://shop.example.com', 'http://localhost:3000']);
  });

  it('refuses STOREFRONT_ORIGINS entries that are not bare origins', () => {
    for (const value of [
      'https://shop.example.com/checkout',
      'shop.example.com',
      'ftp://shop.example.com',
      '*',
    ]) {
      const problems = problemsOf({ STOREFRONT_ORIGINS: value });
      assert.deepEqual(names(problems), ['STOREFRONT_ORIGINS'], value);
      assert.match(problems[0] ?? '', /must be origins like https:\/\/shop\.example\.com/);
    }
  });

  it('names a Key Vault reference Azure could not resolve instead of calling it a bad value', () => {
    const problems = problemsOf({
      STRIPE_SECRET_KEY: '@Microsoft.KeyVault(VaultName=kv-shop;SecretName=stripe-secret-key)',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
    });
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? '',
      /^STRIPE_SECRET_KEY: its Key Vault reference was not resolved; store the secret it names/,
    );
  });

  it('uses the local mailbox by default and reads the ACS and shop email settings', () => {
    const local = loadConfig({});
    assert.deepEqual(
      [local.ACS_ENDPOINT, local.ACS_CONNECTION_STRING, local.SHOP_EMAIL, local.EMAIL_SENDER],
      [undefined, undefined, undefined, 'DoNotReply@shop.local'],
    );
    const acs = loadConfig({
      ACS_CONNECTION_STRING: 'endpoint=https://shop.communication.azure.com/;accesskey=c2VjcmV0',
      SHOP_EMAIL: 'orders@shop.example.com',
    });
    assert.equal(
      acs.ACS_CONNECTION_STRING,
      'endpoint=https://shop.communication.azure.com/;accesskey=c2VjcmV0',
    );
    assert.equal(acs.SHOP_EMAIL, 'orders@shop.example.com');
  });

  it('refuses ACS_ENDPOINT together with ACS_CONNECTION_STRING, a malformed connection string and a bad SHOP_EMAIL', () => {
    const both = problemsOf({
      ACS_ENDPOINT: 'https://shop.communication.azure.com',
      ACS_CONNECTION_STRING: 'endpoint=https://shop.communication.azure.com/;accesskey=c2VjcmV0',
    });
    assert.deepEqual(names(both), ['ACS_ENDPOINT']);
    assert.match(both[0] ?? '', /not both/);
    const bad = problemsOf({ ACS_CONNECTION_STRING: 'accesskey=abc', SHOP_EMAIL: 'the shop' });
    assert.deepEqual(names(bad), ['ACS_CONNECTION_STRING', 'SHOP_EMAIL']);
    assert.match(
      bad.find((p) => p.startsWith('ACS_CONNECTION_STRING')) ?? '',
      /endpoint=https:\/\/…;accesskey=…/,
    );
  });

  it('words out-of-range and unknown values as sentences, not library text', () => {
    const problems = problemsOf({ BCRYPT_COST: '9', LOG_LEVEL: 'loud', PORT: '70000' });
    assert.ok(problems.includes('BCRYPT_COST: must be at least 10'), problems.join('\n'));
    assert.ok(problems.includes('LOG_LEVEL: must be one of debug, info, warn, error'), problems.join('\n'));
    assert.ok(problems.includes('PORT: must be at most 65535'), problems.join('\n'));
    for (const p of problems) assert.doesNotMatch(p, /Too (small|big)|Invalid option|expected/);
  });

  it('lets DEMO_DATA be forced on against SQL Server', () => {
    assert.equal(loadConfig({ SQL_SERVER: 'sql.example.test', DEMO_DATA: 'true' }).DEMO_DATA, true);
  });
});
