import { ConfigError } from '../config/config.js';
import { assertRegistryValid } from '../functions/registry.js';
import { startPlatform, stopPlatform } from '../platform/current.js';
import { prepareDomains } from '../platform/prepare.js';
import { startLocalHost } from './server.js';
import { demoAccounts } from '../../functions/demo-accounts.js';

/** `npm start`: the whole shop on this machine, with embedded defaults for every Azure service. */
async function main(): Promise<void> {
  const platform = await startPlatform();
  await import('../../functions/index.js');
  assertRegistryValid();
  await prepareDomains(platform, { demo: platform.config.DEMO_DATA });
  const host = await startLocalHost(platform);
  const lines = [
    '',
    `  ${platform.config.SHOP_NAME} is running.`,
    `  API:      ${host.url}/api`,
    `  Docs:     ${host.url}/api/docs`,
    `  Health:   ${host.url}/api/health`,
    `  Mailbox:  ${host.url}/mailbox`,
    `  Data:     ${platform.config.dataDir}`,
  ];
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
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else
    process.stderr.write(
      `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  process.exit(1);
});
