import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Generated, Kysely } from 'kysely';
import { z } from 'zod';
import { columnTypes, withIdColumn } from '../db/columns.js';
import type { Database } from '../db/database.js';
import { insertReturningId } from '../db/dialect.js';
import { register } from '../functions/registry.js';
import { currentPlatform } from '../platform/current.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { consumeMessage, type ConsumerDefinition } from './consumer.js';
import { defineEvent, type EventDefinition, type EventMessage } from './define.js';
import { enqueueEvent } from './outbox.js';
import type { MessagingTables } from './outbox.tables.js';
import { unitOfWork } from './unit-of-work.js';

// ---- a test-only domain: notes, and the effects its consumers leave ----------------------------

interface Tables extends MessagingTables {
  notes: { id: Generated<number>; text: string };
  effects: { id: Generated<number>; consumer: string; text: string };
}

const domain = 'eventtest';
const database = (): Database<Tables> => currentPlatform().database<Tables>(domain);
// The kernel's outbox helpers are typed for the outbox tables alone (Kysely types are invariant).
const outboxOf = (trx: Kysely<Tables>) => trx as unknown as Kysely<MessagingTables>;

register.domain({
  name: domain,
  migrations: [
    {
      name: '2026_01_01_0000_create_notes',
      async up(db, dialect) {
        const t = columnTypes(dialect);
        await withIdColumn(db, db.schema.createTable('notes'))
          .addColumn('text', t.text(200), (c) => c.notNull())
          .execute();
        await withIdColumn(db, db.schema.createTable('effects'))
          .addColumn('consumer', t.text(100), (c) => c.notNull())
          .addColumn('text', t.text(200), (c) => c.notNull())
          .execute();
      },
    },
  ],
});

const noteSchema = z.object({ text: z.string() });
const NoteAdded = defineEvent({ name: 'TestNoteAdded', topic: 'orders', version: 1, schema: noteSchema });
const PrinterJammed = defineEvent({
  name: 'TestPrinterJammed',
  topic: 'orders',
  version: 1,
  schema: noteSchema,
});
const PingSent = defineEvent({ name: 'TestPingSent', topic: 'orders', version: 1, schema: noteSchema });
const PongSent = defineEvent({ name: 'TestPongSent', topic: 'rewards', version: 1, schema: noteSchema });

/** A consumer that records its effect in the test domain's database. */
function aRecordingConsumer<T extends { text: string }>(
  name: string,
  event: EventDefinition<T>,
  more: Partial<ConsumerDefinition<T, Tables>> = {},
): ConsumerDefinition<T, Tables> {
  return {
    name,
    event,
    database,
    async handle(data, { trx }) {
      await trx.insertInto('effects').values({ consumer: name, text: data.text }).execute();
    },
    ...more,
  };
}

const onNoteAdded = aRecordingConsumer('eventtest-on-note-added', NoteAdded);
const onPrinterJammed = aRecordingConsumer('eventtest-on-printer-jammed', PrinterJammed, {
  async handle() {
    throw new Error('printer on fire');
  },
});
const onPing = aRecordingConsumer('eventtest-on-ping', PingSent, {
  async handle(data, { emit }) {
    await emit(PongSent, { text: `pong for ${data.text}` });
  },
});
const onPong = aRecordingConsumer('eventtest-on-pong', PongSent);

/** A consumer whose effect lives outside the database (like a call to Stripe): counted here. */
const ReceiptRequested = defineEvent({
  name: 'TestReceiptRequested',
  topic: 'orders',
  version: 1,
  schema: noteSchema,
});
const receiptsPrinted: string[] = [];
let failAfterEffect = false;
const onReceiptRequested: ConsumerDefinition<{ text: string }, Tables, string> = {
  name: 'eventtest-on-receipt-requested',
  event: ReceiptRequested,
  database,
  async effect(data) {
    receiptsPrinted.push(data.text);
    return `receipt ${receiptsPrinted.length}`;
  },
  async handle(data, { trx, effect }) {
    if (failAfterEffect) throw new Error('paper jam after printing');
    await trx.insertInto('effects').values({ consumer: effect, text: data.text }).execute();
  },
};
register.consumer(onNoteAdded, onPrinterJammed, onPing, onPong, onReceiptRequested);

// ---- helpers -----------------------------------------------------------------------------------

const unique = (label: string) => `${label} ${randomUUID()}`;

async function effectsOf(text: string): Promise<string[]> {
  const rows = await database()
    .db.selectFrom('effects')
    .select('consumer')
    .where('text', '=', text)
    .execute();
  return rows.map((r) => r.consumer);
}

async function outboxRowsOf(text: string) {
  const rows = await database().db.selectFrom('outbox').selectAll().execute();
  return rows.filter(
    (r) => (JSON.parse(r.body) as EventMessage & { data: { text: string } }).data.text === text,
  );
}

async function addNote(host: TestHost, text: string, options: { failAfterEmit?: boolean } = {}) {
  const transaction = unitOfWork(database(), host.platform.relay, host.clock);
  return transaction(async (trx, emit) => {
    await insertReturningId(trx, 'notes', { text });
    await emit(NoteAdded, { text });
    if (options.failAfterEmit) throw new Error('changed my mind');
  });
}

/** Writes an event to the outbox in a committed transaction without kicking the relay. */
async function enqueueWithoutPublishing<T>(host: TestHost, definition: EventDefinition<T>, data: T) {
  return database()
    .db.transaction()
    .execute((trx) => enqueueEvent(outboxOf(trx), definition, data, host.clock));
}

// ---- specifications ----------------------------------------------------------------------------

describe('events through the outbox and the embedded bus', () => {
  let host: TestHost;
  before(async () => (host = await startTestHost({ env: { MAX_DELIVERY_COUNT: '3' } })));
  after(() => host.close());

  it('commits a state change and its event together, and delivers the event after settle()', async () => {
    const text = unique('note');
    await addNote(host, text);

    const notes = await database().db.selectFrom('notes').select('text').where('text', '=', text).execute();
    assert.equal(notes.length, 1);
    const [row] = await outboxRowsOf(text);
    assert.equal(row?.event_name, 'TestNoteAdded');

    await host.settle();
    assert.deepEqual(await effectsOf(text), ['eventtest-on-note-added']);
    const [published] = await outboxRowsOf(text);
    assert.ok(published?.published_at instanceof Date);
    const delivery = host.platform
      .bus!.deliveries({ subscription: 'eventtest-on-note-added' })
      .find((d) => d.message_id === row?.event_id);
    assert.equal(delivery?.status, 'done');
    assert.equal(delivery?.delivery_count, 1);
  });

  it('leaves neither the row nor the event when the transaction rolls back', async () => {
    const text = unique('regretted');
    await assert.rejects(addNote(host, text, { failAfterEmit: true }), /changed my mind/);
    await host.settle();

    const notes = await database().db.selectFrom('notes').select('text').where('text', '=', text).execute();
    assert.equal(notes.length, 0);
    assert.equal((await outboxRowsOf(text)).length, 0);
    assert.deepEqual(await effectsOf(text), []);
  });

  it('retries a failing consumer and dead-letters it after MAX_DELIVERY_COUNT with the error', async () => {
    const message = await enqueueWithoutPublishing(host, PrinterJammed, { text: unique('jam') });
    await host.settle();

    const dead = host.platform.bus!.deliveries({ status: 'dead' }).find((d) => d.message_id === message.id);
    assert.equal(dead?.subscription, 'eventtest-on-printer-jammed');
    assert.equal(dead?.delivery_count, 3);
    assert.match(dead?.last_error ?? '', /printer on fire/);
  });

  it('dead-letters a message whose payload does not match its schema at once, with the validation error', async () => {
    const message: EventMessage = {
      id: randomUUID(),
      name: NoteAdded.name,
      version: 1,
      topic: NoteAdded.topic,
      occurredAt: host.clock.now().toISOString(),
      data: { text: 42 },
    };
    await host.platform.transport.publish(message.topic, [message]);
    await host.settle();

    const dead = host.platform.bus!.deliveries({ status: 'dead' }).find((d) => d.message_id === message.id);
    assert.equal(dead?.subscription, 'eventtest-on-note-added');
    assert.equal(dead?.delivery_count, 1, 'no retry can cure it');
    assert.match(dead?.last_error ?? '', /^PoisonMessageError: .*expected string, received number.*text/s);
  });

  it('refuses a body that is not an event message as poison, before any effect', async () => {
    const env = { clock: host.clock, log: host.platform.log };
    const printed = receiptsPrinted.length;
    await assert.rejects(consumeMessage(onNoteAdded, '{not json', env), {
      name: 'PoisonMessageError',
      message: /not JSON/,
    });
    await assert.rejects(consumeMessage(onReceiptRequested, { id: 'x', data: { text: 'receipt' } }, env), {
      name: 'PoisonMessageError',
      message: /not an event message/,
    });
    assert.equal(receiptsPrinted.length, printed, 'no effect ran');
  });

  it('has a single effect when the same message is published twice', async () => {
    const text = unique('twice');
    const message = await enqueueWithoutPublishing(host, NoteAdded, { text });
    await host.settle();
    await host.platform.transport.publish(message.topic, [message]);
    await host.settle();

    assert.deepEqual(await effectsOf(text), ['eventtest-on-note-added']);
  });

  it('has a single effect when a consumer receives the same message twice (inbox)', async () => {
    const text = unique('redelivered');
    const message: EventMessage = {
      id: randomUUID(),
      name: NoteAdded.name,
      version: 1,
      topic: NoteAdded.topic,
      occurredAt: host.clock.now().toISOString(),
      data: { text },
    };
    const env = { clock: host.clock, log: host.platform.log };
    const outcomes = [
      await consumeMessage(onNoteAdded, message, env),
      await consumeMessage(onNoteAdded, JSON.stringify(message), env),
    ];

    assert.deepEqual(outcomes, ['processed', 'duplicate']);
    assert.deepEqual(await effectsOf(text), ['eventtest-on-note-added']);
  });

  it('ignores a message meant for another consumer', async () => {
    const message = await enqueueWithoutPublishing(host, PingSent, { text: unique('not mine') });
    const outcome = await consumeMessage(onNoteAdded, message, { clock: host.clock, log: host.platform.log });
    assert.equal(outcome, 'ignored');
    await host.settle();
  });

  it('delivers, within one settle(), an event that a consumer emits', async () => {
    const text = unique('ping');
    await enqueueWithoutPublishing(host, PingSent, { text });
    await host.platform.relay.publishAll();

    await host.settle();
    assert.deepEqual(await effectsOf(`pong for ${text}`), ['eventtest-on-pong']);
  });
});

describe('scheduled events', () => {
  let host: TestHost;
  before(async () => (host = await startTestHost()));
  after(() => host.close());

  it('publishes a scheduled event at once but delivers it only when its time has come', async () => {
    const text = unique('reminder');
    const at = new Date(host.clock.now().getTime() + 35 * 60_000);
    await unitOfWork(
      database(),
      host.platform.relay,
      host.clock,
    )(async (_trx, emit) => {
      await emit(NoteAdded, { text }, { deliverAt: at });
    });
    await host.settle();

    const [row] = await outboxRowsOf(text);
    assert.ok(row?.published_at instanceof Date, 'the outbox row is published right away');
    assert.equal((JSON.parse(row.body) as EventMessage).deliverAt, at.toISOString());
    assert.deepEqual(await effectsOf(text), [], 'not delivered before its time');
    const delivery = host.platform.bus!.deliveries().find((d) => d.message_id === row.event_id);
    assert.equal(delivery?.status, 'pending');
    assert.equal(delivery?.not_before, at.getTime());

    host.clock.advance(35 * 60_000 - 1);
    await host.settle();
    assert.deepEqual(await effectsOf(text), []);

    host.clock.advance(1);
    await host.settle();
    assert.deepEqual(await effectsOf(text), ['eventtest-on-note-added']);
  });
});

describe('consumers with an effect outside the database', () => {
  let host: TestHost;
  before(async () => (host = await startTestHost({ env: { MAX_DELIVERY_COUNT: '2' } })));
  after(() => host.close());

  const aMessage = (text: string): EventMessage => ({
    id: randomUUID(),
    name: ReceiptRequested.name,
    version: 1,
    topic: ReceiptRequested.topic,
    occurredAt: host.clock.now().toISOString(),
    data: { text },
  });

  it('runs the effect before the transaction and hands its result to handle', async () => {
    const text = unique('receipt');
    const outcome = await consumeMessage(onReceiptRequested, aMessage(text), {
      clock: host.clock,
      log: host.platform.log,
    });
    assert.equal(outcome, 'processed');
    assert.deepEqual(await effectsOf(text), [`receipt ${receiptsPrinted.length}`]);
  });

  it('skips the effect of a message already processed', async () => {
    const text = unique('receipt once');
    const message = aMessage(text);
    const env = { clock: host.clock, log: host.platform.log };
    const outcomes = [await consumeMessage(onReceiptRequested, message, env)];
    outcomes.push(await consumeMessage(onReceiptRequested, message, env));

    assert.deepEqual(outcomes, ['processed', 'duplicate']);
    assert.equal(receiptsPrinted.filter((t) => t === text).length, 1);
  });

  it('runs the effect again when the transaction after it failed (so effects must be idempotent)', async () => {
    const text = unique('receipt retried');
    const env = { clock: host.clock, log: host.platform.log };
    const message = aMessage(text);
    failAfterEffect = true;
    try {
      await assert.rejects(consumeMessage(onReceiptRequested, message, env), /paper jam/);
    } finally {
      failAfterEffect = false;
    }
    assert.equal(await consumeMessage(onReceiptRequested, message, env), 'processed');
    assert.equal(receiptsPrinted.filter((t) => t === text).length, 2);
    assert.equal((await effectsOf(text)).length, 1);
  });
});

describe('events left in the outbox by a crash', () => {
  let dataDir: string;
  before(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-restart-test-'))));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('are delivered after a restart on the same DATA_DIR', async () => {
    const text = unique('survivor');
    const beforeCrash = await startTestHost({ dataDir });
    try {
      await enqueueWithoutPublishing(beforeCrash, NoteAdded, { text });
      const [row] = await outboxRowsOf(text);
      assert.equal(row?.published_at, null);
    } finally {
      await beforeCrash.close();
    }

    const afterRestart = await startTestHost({ dataDir });
    try {
      await afterRestart.settle();
      assert.deepEqual(await effectsOf(text), ['eventtest-on-note-added']);
      const [row] = await outboxRowsOf(text);
      assert.ok(row?.published_at instanceof Date);
    } finally {
      await afterRestart.close();
    }
  });
});
