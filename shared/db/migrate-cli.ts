/**
 * `npm run db:migrate`: migrates every domain database with the current settings (Azure SQL when
 * SQL_SERVER is set), bootstraps the ADMIN from ADMIN_EMAIL / ADMIN_PASSWORD, and seeds the demo
 * shop when DEMO_DATA is on. `--create-databases` first creates missing databases (a SQL Server
 * container in CI; in Azure, Bicep creates them).
 */
import { ConfigError } from '../config/config.js';
import { assertRegistryValid, registry } from '../functions/registry.js';
import { startPlatform, stopPlatform } from '../platform/current.js';
import { prepareDomains } from '../platform/prepare.js';
import { createSqlServerDatabases } from './sqlserver-admin.js';

try {
  const platform = await startPlatform();
  await import('../../functions/index.js');
  assertRegistryValid();
  const domains = registry.domains.filter((d) => d.migrations.length > 0).map((d) => d.name);
  if (process.argv.includes('--create-databases') && platform.config.usesSqlServer) {
    await createSqlServerDatabases(platform.config, domains);
  }
  await prepareDomains(platform, { demo: platform.config.DEMO_DATA });
  process.stdout.write(
    `migrated ${domains.join(', ')}${platform.config.DEMO_DATA ? ' (with demo data)' : ''}\n`,
  );
  await stopPlatform();
} catch (error) {
  process.stderr.write(
    error instanceof ConfigError ? `${error.message}\n` : `db:migrate failed: ${String(error)}\n`,
  );
  process.exit(1);
}
