import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/config.js';
import { AcsMailer } from '../email/acs-mailer.js';
import { LocalMailbox } from '../email/local-mailbox.js';
import { createPlatform, logSinksFor } from './platform.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-platform-test-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function mailerFor(env: Record<string, string>) {
  const platform = await createPlatform(loadConfig({ DATA_DIR: dataDir, ...env }), { logSinks: [() => {}] });
  await platform.close();
  return platform.mailer;
}

describe('the platform’s mailer', () => {
  it('is the local mailbox without an ACS setting', async () => {
    assert.ok((await mailerFor({})) instanceof LocalMailbox);
  });

  it('is ACS with a connection string (access key) or an endpoint (managed identity)', async () => {
    const withKey = await mailerFor({
      ACS_CONNECTION_STRING: 'endpoint=https://shop.communication.azure.com/;accesskey=c2VjcmV0',
    });
    const withIdentity = await mailerFor({ ACS_ENDPOINT: 'https://shop.communication.azure.com' });
    assert.ok(withKey instanceof AcsMailer && withIdentity instanceof AcsMailer);
    assert.equal(withKey.kind, 'acs');
  });
});

describe('the platform’s log sinks', () => {
  const withInsights = {
    APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
  };

  it('write to the console locally, with or without Application Insights', () => {
    assert.equal(logSinksFor({}, {}).length, 1);
    assert.equal(logSinksFor(withInsights, {}).length, 1);
  });

  it('leave the console alone inside the Functions host with Application Insights: the host forwards it already', () => {
    assert.equal(logSinksFor(withInsights, { FUNCTIONS_WORKER_RUNTIME: 'node' }).length, 0);
    assert.equal(logSinksFor({}, { FUNCTIONS_WORKER_RUNTIME: 'node' }).length, 1);
  });
});
