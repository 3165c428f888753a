import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAcsDouble } from '../testing/acs-double.js';
import { AcsMailer } from './acs-mailer.js';
import { LocalMailbox } from './local-mailbox.js';
import type { EmailMessage, Mailer } from './mailer.js';

const anEmail = (overrides: Partial<EmailMessage> = {}): EmailMessage => ({
  to: 'ada@shop.test',
  subject: 'Your order has shipped',
  text: 'It is on its way.',
  html: '<p>It is on its way.</p>',
  ...overrides,
});

/** A mailer under test and the messages it delivered, newest first. */
interface Harness {
  mailer: Mailer;
  delivered(): Promise<(EmailMessage & { id: string })[]>;
  close(): Promise<void>;
}

function mailerContract(name: string, start: () => Promise<Harness>) {
  describe(`${name} (mailer contract)`, () => {
    let h: Harness;
    before(async () => (h = await start()));
    after(() => h.close());

    it('delivers what was sent, under the id it returned', async () => {
      const email = anEmail({ subject: 'Welcome', html: '<h1>Welcome</h1>' });
      const { id } = await h.mailer.send(email);
      const found = (await h.delivered()).find((m) => m.id === id);
      assert.ok(found, `message ${id} was not delivered`);
      assert.deepEqual(
        { to: found.to, subject: found.subject, text: found.text, html: found.html },
        { to: email.to, subject: email.subject, text: email.text, html: email.html },
      );
    });

    it('lists messages newest first, even when sent within the same millisecond', async (t) => {
      const subjects = ['first', 'second', 'third', 'fourth', 'fifth'];
      mock.timers.enable({ apis: ['Date'], now: new Date('2026-05-01T10:00:00Z') });
      t.after(() => mock.timers.reset());
      for (const subject of subjects) await h.mailer.send(anEmail({ subject }));
      const listed = (await h.delivered()).map((m) => m.subject).filter((s) => subjects.includes(s));
      assert.deepEqual(listed, [...subjects].reverse());
    });

    it('sends once per operation id: a repeat answers the same id and delivers nothing new', async () => {
      const operationId = randomUUID();
      const first = await h.mailer.send(anEmail({ subject: 'Once only' }), { operationId });
      const again = await h.mailer.send(anEmail({ subject: 'Once only' }), { operationId });
      assert.deepEqual([first.id, again.id], [operationId, operationId]);
      assert.equal((await h.delivered()).filter((m) => m.subject === 'Once only').length, 1);
    });

    it('refuses an operation id that is not a UUID', async () => {
      await assert.rejects(h.mailer.send(anEmail(), { operationId: '../../etc/passwd' }), /must be a UUID/);
    });

    it('answers ping', async () => {
      await h.mailer.ping();
    });
  });
}

mailerContract('LocalMailbox', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-mailbox-test-'));
  const mailbox = new LocalMailbox(folder);
  return {
    mailer: mailbox,
    delivered: () => mailbox.list(),
    close: async () => fs.rmSync(folder, { recursive: true, force: true }),
  };
});

mailerContract('AcsMailer on the ACS double', async () => {
  const acs = await startAcsDouble();
  const mailer = AcsMailer.fromConnectionString(acs.connectionString, 'DoNotReply@shop.test', {
    client: { tlsOptions: { ca: acs.ca } },
    pollIntervalMs: 5,
  });
  return { mailer, delivered: async () => [...acs.sent], close: () => acs.close() };
});

describe('LocalMailbox', () => {
  it('lists nothing before the first message', async () => {
    assert.deepEqual(
      await new LocalMailbox(path.join(os.tmpdir(), `shop-no-mailbox-${process.pid}`)).list(),
      [],
    );
  });

  it('keeps one complete message when the same operation id is sent concurrently', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-mailbox-race-'));
    const mailbox = new LocalMailbox(folder);
    const operationId = randomUUID();
    await Promise.all(Array.from({ length: 8 }, () => mailbox.send(anEmail(), { operationId })));
    assert.deepEqual(fs.readdirSync(folder), [`${operationId}.json`]);
    assert.equal((await mailbox.list()).length, 1);
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
