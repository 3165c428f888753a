import { ConfigError, loadConfig, settingNames } from '../shared/config/config.js';
import { loadEnvFile } from '../shared/local-host/env-file.js';
import { listenNotice, listensBeyondLoopback } from '../shared/local-host/loopback-guard.js';
import { assertPortAvailable, listenError, PortUnavailableError } from '../shared/local-host/port.js';

/** `npm start`: the whole shop on this machine, with embedded defaults for every Azure service. */
async function main(): Promise<void> {
  const envFile = loadEnvFile();
  const settings = loadConfig();
  // Before migrating and seeding: a second `npm start` says at once what to do instead.
  await assertPortAvailable(settings.HOST, settings.PORT);
  // Everything else is loaded only now, so a taken port is reported in a fraction of a second.
  const [
    { assertRegistryValid, registeredParts },
    { startPlatform, stopPlatform },
    { prepareDomains },
    { startLocalHost },
    { demoAccounts },
  ] = await Promise.all([
    import('../shared/functions/registry.js'),
    import('../shared/platform/current.js'),
    import('../shared/functions/prepare.js'),
    import('../shared/local-host/server.js'),
    import('./auth/demo-accounts.js'),
  ]);
  const platform = await startPlatform(registeredParts());
  if (envFile) {
    const unknown = envFile.applied.filter((name) => !(settingNames as string[]).includes(name));
    platform.log.info(`read ${envFile.applied.length} setting(s) from ${envFile.file}`, {
      settings: envFile.applied,
    });
    if (unknown.length > 0)
      platform.log.warn(
        `${envFile.file} sets variables that are not settings (typos?): ${unknown.join(', ')}`,
        {
          see: '.env.example',
        },
      );
  }
  await import('./index.js');
  assertRegistryValid();
  await prepareDomains(platform, { demo: platform.config.DEMO_DATA });
  const host = await startLocalHost(platform).catch((error: unknown) => {
    throw listenError(error, settings.HOST, settings.PORT);
  });
  const lines = [
    '',
    `  ${platform.config.SHOP_NAME} is running.`,
    `  API:      ${host.url}/api`,
    `  Docs:     ${host.url}/api/docs`,
    `  Health:   ${host.url}/api/health`,
    `  Mailbox:  ${host.url}/mailbox`,
    `  Data:     ${platform.config.dataDir}`,
    ...(envFile
      ? [`  Settings: ${envFile.file} (${envFile.applied.length} applied; the environment wins)`]
      : []),
  ];
  lines.push('', ...listenNotice(platform.config.HOST, platform.config.PORT));
  if (listensBeyondLoopback(platform.config.HOST))
    platform.log.warn('HOST opens the local host to the network', { host: platform.config.HOST });
  if (platform.config.DEMO_DATA) {
    lines.push('', '  Demo accounts:');
    for (const a of demoAccounts) lines.push(`    ${a.role.padEnd(8)} ${a.email} / ${a.password}`);
  }
  lines.push('', '  Press Ctrl+C to stop.', '');
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    platform.log.info(`received ${signal}; finishing requests in flight`);
    await host.close();
    await stopPlatform();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof PortUnavailableError)
    process.stderr.write(`${error.message}\n`);
  else
    process.stderr.write(
      `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  process.exit(1);
});
