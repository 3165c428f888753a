import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Generated, Kysely } from 'kysely';
import { z } from 'zod';
import { columnTypes, withIdColumn } from '../db/columns.js';
import { register, registry } from '../functions/registry.js';
import { currentPlatform } from '../platform/current.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import type { ConsumerDefinition } from './consumer.js';
import { deadLettersOf } from '../platform/dead-letters-open.js';
import { serviceBusDeadLetters, type DlqClient, type DlqMessage } from './dead-letters.js';
import { defineEvent, type EventMessage } from './define.js';
import { enqueueEvent } from './outbox.js';
import type { MessagingTables } from './outbox.tables.js';

interface Tables extends MessagingTables {
  handled: { id: Generated<number>; text: string };
}
register.domain({
  name: 'dlqtest',
  migrations: [
    {
      name: '2026_01_01_0000_create_handled',
      async up(db, dialect) {
        await withIdColumn(db, db.schema.createTable('handled'))
          .addColumn('text', columnTypes(dialect).text(100), (c) => c.notNull())
          .execute();
      },
    },
  ],
});
const database = () => currentPlatform().database<Tables>('dlqtest');
const Flaky = defineEvent({
  name: 'TestFlaky',
  topic: 'orders',
  version: 1,
  schema: z.object({ text: z.string() }),
});
let broken = true;
const onFlaky: ConsumerDefinition<{ text: string }, Tables> = {
  name: 'dlqtest-on-flaky',
  event: Flaky,
  database,
  async handle(data, { trx }) {
    if (broken) throw new Error('the printer is out of paper');
    await trx.insertInto('handled').values({ text: data.text }).execute();
  },
};
register.consumer(onFlaky);

let host: TestHost;
before(async () => {
  host = await startTestHost({ env: { MAX_DELIVERY_COUNT: '2' } });
});
after(() => host.close());

describe('dead letters of the embedded bus', () => {
  it('lists a message its consumer kept failing on, with the reason, shows it, and replays it once fixed', async () => {
    const text = `note ${randomUUID()}`;
    await database()
      .db.transaction()
      .execute((trx) => enqueueEvent(trx as unknown as Kysely<MessagingTables>, Flaky, { text }, host.clock));
    await host.settle();

    const deadLetters = await deadLettersOf(host.platform, registry.consumers);
    const letter = (await deadLetters.list()).find((l) => l.subscription === 'dlqtest-on-flaky');
    assert.ok(letter, 'the message is dead-lettered');
    assert.deepEqual([letter.eventName, letter.deliveryCount], ['TestFlaky', 2]);
    assert.match(letter.reason, /printer is out of paper/);
    const shown = await deadLetters.show(letter.id);
    assert.equal(
      (shown?.body as EventMessage).data && (shown?.body as { data: { text: string } }).data.text,
      text,
    );

    broken = false;
    assert.equal(await deadLetters.replay(letter.id), true);
    await host.settle();
    const handled = await database()
      .db.selectFrom('handled')
      .select('text')
      .where('text', '=', text)
      .execute();
    assert.equal(handled.length, 1);
    assert.equal(
      (await deadLetters.list()).some((l) => l.id === letter.id),
      false,
    );
    assert.equal(await deadLetters.replay(letter.id), false, 'a replayed letter is no longer dead');
    assert.equal(await deadLetters.show('not-an-id'), undefined);
  });
});

describe('dead letters of Service Bus', () => {
  const seq = (n: number) => ({ toString: () => String(n) });
  const aDlqMessage = (n: number): DlqMessage => ({
    body: { id: `event-${n}`, name: 'OrderPaid', data: { orderId: n } },
    messageId: `event-${n}`,
    subject: 'OrderPaid',
    contentType: 'application/json',
    applicationProperties: { eventName: 'OrderPaid', version: 1 },
    deadLetterReason: 'MaxDeliveryCountExceeded',
    deadLetterErrorDescription: 'Message could not be consumed after 10 delivery attempts.',
    deliveryCount: 10,
    enqueuedTimeUtc: new Date('2026-12-01T10:00:00Z'),
    sequenceNumber: seq(n),
  });

  function aFakeNamespace() {
    const queue = [aDlqMessage(1), aDlqMessage(2)];
    const sent: { topic: string; message: Parameters<DlqClient['sendToTopic']>[1] }[] = [];
    const completed: string[] = [];
    const abandoned: string[] = [];
    const client: DlqClient = {
      deadLetterReceiver: () => ({
        peekMessages: async () => [...queue],
        receiveMessages: async () => [...queue],
        completeMessage: async (m) => {
          completed.push(String(m.sequenceNumber));
          queue.splice(queue.indexOf(m), 1);
        },
        abandonMessage: async (m) => void abandoned.push(String(m.sequenceNumber)),
        close: async () => {},
      }),
      sendToTopic: async (topic, message) => void sent.push({ topic, message }),
    };
    return { client, sent, completed, abandoned };
  }

  it('lists each subscription’s dead letters with the reason Service Bus gives', async () => {
    const { client } = aFakeNamespace();
    const letters = await serviceBusDeadLetters(client, [
      { topic: 'orders', name: 'catalog-commit-stock' },
    ]).list();
    assert.deepEqual(letters[0], {
      id: 'orders/catalog-commit-stock/1',
      topic: 'orders',
      subscription: 'catalog-commit-stock',
      messageId: 'event-1',
      eventName: 'OrderPaid',
      reason: 'MaxDeliveryCountExceeded: Message could not be consumed after 10 delivery attempts.',
      deliveryCount: 10,
      deadLetteredAt: '2026-12-01T10:00:00.000Z',
    });
  });

  it('replays one as a copy under a new MessageId with the same event, completes it and leaves the others', async () => {
    const { client, sent, completed, abandoned } = aFakeNamespace();
    const deadLetters = serviceBusDeadLetters(client, [{ topic: 'orders', name: 'catalog-commit-stock' }]);
    assert.equal(await deadLetters.replay('orders/catalog-commit-stock/2'), true);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.topic, 'orders');
    assert.deepEqual(sent[0]?.message.body, aDlqMessage(2).body);
    assert.equal(sent[0]?.message.subject, 'OrderPaid');
    assert.match(String(sent[0]?.message.messageId), /^event-2-replay-/);
    assert.deepEqual([completed, abandoned], [['2'], ['1']]);
    assert.equal(await deadLetters.replay('orders/some-other-subscription/1'), false);
  });
});
