import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startAcsDouble, type AcsDouble } from '../testing/acs-double.js';
import { AcsMailer } from './acs-mailer.js';

/** The ACS adapter as the service sees it: the requests the SDK makes, checked by the double. */

let acs: AcsDouble;
before(async () => (acs = await startAcsDouble()));
after(() => acs.close());

const sender = 'DoNotReply@shop.test';
const options = () => ({ client: { tlsOptions: { ca: acs.ca } }, pollIntervalMs: 5 });
const anEmail = {
  to: 'ada@shop.test',
  subject: 'Your order #42',
  text: 'Thanks, Ada.',
  html: '<p>Thanks, Ada.</p>',
};
const requestsOf = (operationId: string) =>
  acs.requests.filter(
    (r) => r.headers['operation-id'] === operationId || r.path === `/emails/operations/${operationId}`,
  );

describe('AcsMailer', () => {
  it('posts the message with its operation id, signed with the connection string’s key, then polls it to the end', async () => {
    const mailer = AcsMailer.fromConnectionString(acs.connectionString, sender, options());
    const operationId = randomUUID();
    assert.deepEqual(await mailer.send(anEmail, { operationId }), { id: operationId });

    const [post, ...polls] = requestsOf(operationId);
    assert.equal(post?.method, 'POST');
    assert.equal(post?.path, '/emails:send');
    assert.equal(post?.auth, 'hmac');
    assert.match(post?.apiVersion ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(post?.headers['operation-id'], operationId);
    assert.deepEqual(post?.body, {
      senderAddress: sender,
      recipients: { to: [{ address: 'ada@shop.test' }] },
      content: { subject: 'Your order #42', plainText: 'Thanks, Ada.', html: '<p>Thanks, Ada.</p>' },
    });
    assert.ok(polls.length >= 2, 'polled while Running, then once more for the outcome');
    assert.ok(polls.every((p) => p.method === 'GET' && p.auth === 'hmac'));
  });

  it('authenticates with a token credential (managed identity) for the Communication Services scope', async () => {
    const mailer = AcsMailer.create(acs.endpoint, sender, acs.credential, options());
    const operationId = randomUUID();
    await mailer.send(anEmail, { operationId });
    assert.ok(requestsOf(operationId).every((r) => r.auth === 'bearer'));
    assert.deepEqual(acs.credential.scopes.at(-1), ['https://communication.azure.com//.default']);
    assert.equal(acs.sent[0]?.id, operationId);
  });

  it('a repeated operation id reports the first send and ACS sends nothing new', async () => {
    const mailer = AcsMailer.fromConnectionString(acs.connectionString, sender, options());
    const operationId = randomUUID();
    await mailer.send(anEmail, { operationId });
    await mailer.send(anEmail, { operationId });
    assert.equal(acs.sent.filter((m) => m.id === operationId).length, 1);
  });

  it('throws with the service’s reason when the send ends Failed or Canceled', async () => {
    const mailer = AcsMailer.fromConnectionString(acs.connectionString, sender, options());
    acs.nextOutcomes(
      { status: 'Failed', message: 'Recipient address rejected' },
      { status: 'Canceled', message: 'Canceled by the service' },
    );
    await assert.rejects(mailer.send(anEmail, { operationId: randomUUID() }), /Recipient address rejected/);
    await assert.rejects(mailer.send(anEmail, { operationId: randomUUID() }), /not sent/);
  });

  it('is refused without the right key, and says so', async () => {
    const wrongKey = acs.connectionString.replace(
      /accesskey=.*/,
      `accesskey=${Buffer.alloc(32).toString('base64')}`,
    );
    const mailer = AcsMailer.fromConnectionString(wrongKey, sender, options());
    await assert.rejects(mailer.send(anEmail, { operationId: randomUUID() }), /bad signature or token/);
  });
});
