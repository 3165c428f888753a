import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import azureFunctions from '@azure/functions';
import { UserRegistered } from '../events/catalogue.js';
import type { ConsumerDefinition } from '../events/consumer.js';
import type { EventData } from '../events/define.js';
import { startPlatform, stopPlatform } from '../platform/current.js';
import type { LogFields, LogLevel } from '../telemetry/logger.js';
import { azureMessageHandler } from './azure-host.js';

// The package is CommonJS: its classes come through the default export.
const { InvocationContext } = azureFunctions;

/** A consumer the poison checks stop before: its database and handle are never reached. */
const welcome: ConsumerDefinition<EventData<typeof UserRegistered>> = {
  name: 'test-welcome',
  event: UserRegistered,
  database: () => {
    throw new Error('a poison message must not reach the database');
  },
  async handle() {
    throw new Error('a poison message must not reach handle');
  },
};

const logs: { level: LogLevel; msg: string; fields: LogFields }[] = [];
let dataDir: string;
before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-azure-messages-'));
  await startPlatform({
    env: { DATA_DIR: dataDir },
    logSinks: [(level, msg, fields) => logs.push({ level, msg, fields })],
  });
});
after(async () => {
  await stopPlatform();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** What the Functions host passes a Service Bus trigger: the body and the message's metadata. */
function aDelivery(messageId: string, deliveryCount: number) {
  return new InvocationContext({
    functionName: welcome.name,
    invocationId: randomUUID(),
    triggerMetadata: { messageId, deliveryCount },
  });
}

describe('azureMessageHandler with a poison message', () => {
  it('fails the invocation (the host retries, then dead-letters) and logs the reason with the message id', async () => {
    const id = randomUUID();
    const body = {
      id,
      name: 'UserRegistered',
      version: 1,
      topic: 'auth',
      occurredAt: new Date().toISOString(),
      data: { userId: 7, email: 'ada@shop.test' },
    };
    await assert.rejects(azureMessageHandler(welcome, () => startPlatform())(body, aDelivery(id, 3)), {
      name: 'PoisonMessageError',
    });
    const line = logs.find((l) => l.fields['messageId'] === id);
    assert.equal(line?.level, 'error');
    assert.match(line?.msg ?? '', /poison message/);
    assert.equal(line?.fields['poison'], true);
    assert.equal(line?.fields['subscription'], 'test-welcome');
    assert.equal(line?.fields['deliveryCount'], 3);
    assert.match(String(line?.fields['reason']), /expected string, received number[\s\S]*userId/);
    assert.match(String(line?.fields['reason']), /expected string, received undefined[\s\S]*name/);
  });

  it('treats a body that is not an event message the same way', async () => {
    const id = randomUUID();
    await assert.rejects(
      azureMessageHandler(welcome, () => startPlatform())('{"hello":', aDelivery(id, 1)),
      /not JSON/,
    );
    const line = logs.find((l) => l.fields['messageId'] === id);
    assert.equal(line?.fields['poison'], true);
    assert.match(String(line?.fields['reason']), /not JSON/);
  });
});
