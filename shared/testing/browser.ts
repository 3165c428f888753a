import fs from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's Chromium; browser tests never download a browser of their own. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can (.ci/run installs Chromium). */
export function browserUnavailable(): string | undefined {
  return fs.existsSync(chromiumPath)
    ? undefined
    : `no Chromium at ${chromiumPath} (apt-get install chromium)`;
}

/** `extraArgs`: more Chromium switches, e.g. `--host-resolver-rules=…` to play a DNS rebinding. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--headless',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}
