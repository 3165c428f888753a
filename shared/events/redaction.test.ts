import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { memoryLogger } from '../telemetry/logger.js';
import { PasswordResetRequested } from './catalogue.js';
import { embeddedDeadLetters } from './dead-letters.js';
import type { EventMessage } from './define.js';
import { EmbeddedBus } from './embedded-bus.js';
import { carriesSecrets, REDACTED, redactBody, redactMessage, redactShown } from './redaction.js';

const resetMessage = (token: string): EventMessage => ({
  id: 'm-1',
  name: PasswordResetRequested.name,
  version: 1,
  topic: PasswordResetRequested.topic,
  occurredAt: '2026-01-01T00:00:00.000Z',
  data: { userId: 'u', email: 'a@b.c', name: 'A', token, expiresAt: '2026-01-01T00:30:00.000Z' },
});

describe('secrets in transit', () => {
  it('are declared by the event: the reset token, and nothing else', () => {
    assert.deepEqual(PasswordResetRequested.secrets, ['token']);
    assert.equal(carriesSecrets('PasswordResetRequested'), true);
    assert.equal(carriesSecrets('OrderPaid'), false);
  });

  it('read [redacted] in a message, a stored body and a shown body; other fields stay', () => {
    const message = resetMessage('s3cret-token');
    const redacted = redactMessage(message);
    assert.deepEqual(redacted.data, { ...(message.data as object), token: REDACTED });
    assert.equal((message.data as { token: string }).token, 's3cret-token', 'the original is untouched');
    assert.ok(!redactBody(JSON.stringify(message)).includes('s3cret-token'));
    assert.ok(!JSON.stringify(redactShown(message)).includes('s3cret-token'));
    const other = JSON.stringify({ ...message, name: 'OrderPaid' });
    assert.equal(redactBody(other), other);
    assert.equal(redactBody('not json'), 'not json');
  });

  it('are redacted when a dead letter is shown to an operator', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redaction-'));
    const bus = new EmbeddedBus(
      path.join(dir, 'bus.sqlite'),
      () => [
        {
          name: 'email-password-reset',
          topic: 'auth',
          eventName: PasswordResetRequested.name,
          deliver: async () => {
            throw new Error('the mail service is down');
          },
        },
      ],
      { maxDeliveryCount: 1, log: memoryLogger() },
    );
    try {
      await bus.publish('auth', [resetMessage('s3cret-token')]);
      await bus.drain({ ignoreBackoff: true });
      const letters = embeddedDeadLetters(bus);
      const [letter] = await letters.list();
      assert.ok(letter, 'dead-lettered');
      const shown = await letters.show(letter.id);
      assert.ok(shown);
      assert.ok(!JSON.stringify(shown).includes('s3cret-token'));
      assert.equal((shown.body as { data: { token: string } }).data.token, REDACTED);
    } finally {
      await bus.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leave no copy on disk once the embedded bus delivered the message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redaction-'));
    let received = '';
    const bus = new EmbeddedBus(
      path.join(dir, 'bus.sqlite'),
      () => [
        {
          name: 'email-password-reset',
          topic: 'auth',
          eventName: PasswordResetRequested.name,
          deliver: async (m) => void (received = (m.data as { token: string }).token),
        },
      ],
      { maxDeliveryCount: 1, log: memoryLogger() },
    );
    try {
      await bus.publish('auth', [resetMessage('s3cret-token')]);
      await bus.drain({ ignoreBackoff: true });
      assert.equal(received, 's3cret-token', 'the consumer got the token');
      const [row] = bus.deliveries({ status: 'done' });
      assert.ok(row);
      assert.ok(!(bus.delivery(row.id)?.body ?? '').includes('s3cret-token'));
    } finally {
      await bus.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
