import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

describe('LocalMailbox', () => {
  it('lists nothing before the first message', async () => {
    assert.deepEqual(
      await new LocalMailbox(path.join(os.tmpdir(), `shop-no-mailbox-${process.pid}`)).list(),
      [],
    );
  });
});
