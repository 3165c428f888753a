import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DefaultAzureCredential } from '@azure/identity';
import type sql from 'mssql';
import { loadConfig } from '../config/config.js';
import { POOL_MAX, sqlServerDatabaseName, sqlServerPool } from './sqlserver.js';

const configOf = (pool: sql.ConnectionPool) => (pool as unknown as { config: sql.config }).config;
const azure = loadConfig({
  SQL_SERVER: 'shop.database.windows.net',
  SQL_DATABASE_PREFIX: 'shop_',
  AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
});

describe('the SQL Server pool', () => {
  it('keeps no idle session, so a serverless database can pause, and lends at most POOL_MAX', () => {
    const config = configOf(sqlServerPool('shop_catalog', azure));
    assert.deepEqual(config.pool, { min: 0, max: POOL_MAX, idleTimeoutMillis: 30_000 });
    assert.equal(POOL_MAX, 16);
    assert.equal(config.connectionTimeout, 30_000);
    assert.equal(config.validateConnection, 'socket');
  });

  it('signs in with an Entra ID token of the managed identity, one credential for every pool', () => {
    const catalog = configOf(sqlServerPool('shop_catalog', azure));
    const cart = configOf(sqlServerPool('shop_cart', azure));
    assert.equal(catalog.authentication?.type, 'token-credential');
    const credentialOf = (c: sql.config) =>
      (c.authentication?.options as { credential?: unknown } | undefined)?.credential;
    assert.ok(credentialOf(catalog) instanceof DefaultAzureCredential);
    assert.equal(credentialOf(catalog), credentialOf(cart));
    assert.equal(catalog.user, undefined);
  });

  it('signs in with SQL authentication when SQL_USER is set (a SQL Server container)', () => {
    const config = configOf(
      sqlServerPool(
        'master',
        loadConfig({
          SQL_SERVER: 'localhost',
          SQL_USER: 'sa',
          SQL_PASSWORD: 'secret',
          SQL_TRUST_SERVER_CERTIFICATE: 'true',
        }),
        { max: 1 },
      ),
    );
    assert.equal(config.user, 'sa');
    assert.equal(config.password, 'secret');
    assert.equal(config.authentication, undefined);
    assert.equal(config.pool?.max, 1);
    assert.equal(config.options?.encrypt, true);
    assert.equal(config.options?.trustServerCertificate, true);
  });

  it('names a domain database with the prefix', () => {
    assert.equal(sqlServerDatabaseName('catalog', azure), 'shop_catalog');
    assert.equal(configOf(sqlServerPool('shop_catalog', azure)).database, 'shop_catalog');
  });
});
