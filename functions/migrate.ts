/**
 * `npm run db:migrate`: migrates every domain database with the current settings (Azure SQL when
 * SQL_SERVER is set), bootstraps the ADMIN from ADMIN_EMAIL / ADMIN_PASSWORD, and seeds the demo
 * shop when DEMO_DATA is on. `--create-databases` first creates missing databases (a SQL Server
 * container in CI; in Azure, Bicep creates them). `--after-deploy` also runs each domain's work for
 * once the new code is live (azd's postdeploy hook: the catalog rewrites its product cards).
 */
import './index.js';
import { ConfigError } from '../shared/config/config.js';
import { createSqlServerDatabases } from '../shared/db/sqlserver-admin.js';
import { assertRegistryValid, domainsWithDatabase, registeredParts } from '../shared/functions/registry.js';
import { startPlatform, stopPlatform } from '../shared/platform/current.js';
import type { Platform } from '../shared/platform/platform.js';
import { prepareDomains } from '../shared/functions/prepare.js';

try {
  assertRegistryValid();
  const platform = await startPlatform(registeredParts());
  const domains = domainsWithDatabase();
  if (process.argv.includes('--create-databases') && platform.config.usesSqlServer) {
    await createSqlServerDatabases(platform.config, domains);
  }
  await prepareDomains(platform, {
    demo: platform.config.DEMO_DATA,
    afterDeploy: process.argv.includes('--after-deploy'),
  });
  await publishOrWait(platform);
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

/**
 * The migrations' events (the bootstrapped ADMIN's, for one) are published before leaving. On a
 * first deployment the app identity's Service Bus role may not have propagated yet (it takes
 * minutes): wait with back-off, saying what for, rather than fail; whatever is left after that is
 * published by the app itself when it starts.
 */
async function publishOrWait(platform: Platform): Promise<void> {
  const giveUpAt = Date.now() + 10 * 60_000;
  for (let attempt = 1; ; attempt++) {
    await platform.relay.publishAll();
    const pending = await platform.relay.pending();
    if (pending === 0) return;
    if (Date.now() >= giveUpAt) {
      process.stdout.write(
        `db:migrate: ${pending} event(s) not published yet; the app publishes them when it starts\n`,
      );
      return;
    }
    const wait = Math.min(5_000 * 2 ** (attempt - 1), 60_000);
    process.stdout.write(
      `db:migrate: waiting for Service Bus to accept ${pending} event(s) (its role assignment can take minutes to propagate on a first deployment); trying again in ${wait / 1000} s\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
