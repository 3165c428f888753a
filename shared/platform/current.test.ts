import { after, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import azureFunctions from '@azure/functions';
import { ok } from '../http/types.js';
import { azureHttpHandler } from '../functions/azure-host.js';
import { anHttpFunction } from '../testing/builders.js';
import {
  currentPlatform,
  lastStartFailure,
  PlatformStartError,
  startPlatform,
  stopPlatform,
} from './current.js';

const { HttpRequest, InvocationContext } = azureFunctions;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-start-test-'));
// A key that does not parse fails the start, the way an unreadable Key Vault secret would.
const broken = { DATA_DIR: dataDir, JWT_PRIVATE_KEY: 'not a PEM', JWT_KEY_ID: 'k1' };
const sound = { DATA_DIR: dataDir };
const quiet = { logSinks: [() => {}] };

after(async () => {
  mock.timers.reset();
  await stopPlatform();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('starting the platform in a worker', () => {
  it('does not keep a failed start: it tries again after a back-off that grows, then succeeds', async () => {
    mock.timers.enable({ apis: ['Date'], now: new Date('2026-12-01T10:00:00Z') });
    await assert.rejects(
      startPlatform({ env: broken, ...quiet }),
      (e: unknown) => !(e instanceof PlatformStartError),
    );
    assert.equal(lastStartFailure()?.attempts, 1);

    // Within the back-off the start is not attempted again: the answer is immediate.
    await assert.rejects(startPlatform({ env: sound, ...quiet }), PlatformStartError);
    mock.timers.tick(1_000);
    await assert.rejects(startPlatform({ env: broken, ...quiet }));
    assert.equal(lastStartFailure()?.attempts, 2);
    mock.timers.tick(1_000);
    await assert.rejects(
      startPlatform({ env: sound, ...quiet }),
      PlatformStartError,
      'the second back-off is 2 s',
    );
    mock.timers.tick(1_000);

    const platform = await startPlatform({ env: sound, ...quiet });
    assert.ok(platform.config);
    assert.equal(lastStartFailure(), undefined);
    await stopPlatform();
    mock.timers.reset();
  });

  it('answers 503 in the envelope, with Retry-After, while the platform cannot start', async () => {
    await assert.rejects(startPlatform({ env: broken, ...quiet }));
    const fn = { ...anHttpFunction('worker-health', 'health'), handler: async () => ok('fine') };
    const response = await azureHttpHandler(fn, () => startPlatform({ env: sound, ...quiet }))(
      new HttpRequest({ method: 'GET', url: 'https://shop.example/api/health' }),
      new InvocationContext({ functionName: fn.name, logHandler: () => {} }),
    );
    assert.equal(response.status, 503);
    const headers = new Headers(response.headers);
    assert.ok(Number(headers.get('retry-after')) >= 1);
    const body = JSON.parse(String(response.body)) as { isSuccess: boolean; code: string; data: unknown };
    assert.deepEqual([body.isSuccess, body.code], [false, 'unavailable']);
    assert.deepEqual(body.data, { status: 'unhealthy', checks: { startup: { status: 'failing', ms: 0 } } });
    await stopPlatform();
  });
});

describe('stopping the platform', () => {
  it('keeps it current while it closes (for the deliveries still finishing), and not after', async () => {
    const platform = await startPlatform({ env: sound, ...quiet });
    let seenWhileClosing: unknown;
    platform.onClose(async () => {
      seenWhileClosing = currentPlatform();
    });
    await stopPlatform();
    assert.equal(seenWhileClosing, platform);
    assert.throws(() => currentPlatform(), /not started/);
  });
});
