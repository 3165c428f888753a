import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServiceBusMessage } from '@azure/service-bus';
import SQLite from 'better-sqlite3';
import { memoryLogger } from '../telemetry/logger.js';
import type { EventMessage } from './define.js';
import { EmbeddedBus } from './embedded-bus.js';
import { ServiceBusTransport, type MessageBatch, type TopicSender } from './service-bus-transport.js';
import type { EventTransport } from './transport.js';

// ---- builders -----------------------------------------------------------------------------------

const anEvent = (overrides: Partial<EventMessage> = {}): EventMessage => ({
  id: randomUUID(),
  name: 'OrderPaid',
  version: 1,
  topic: 'orders',
  occurredAt: '2026-05-01T10:00:00.000Z',
  correlationId: `corr-${randomUUID()}`,
  data: { orderId: 7, totalMinor: 1999 },
  ...overrides,
});

/** A transport under test and what reached the other side of it. */
interface Harness {
  transport: EventTransport;
  received(): Promise<EventMessage[]>;
  close(): Promise<void>;
}

// ---- the contract -------------------------------------------------------------------------------

function transportContract(name: string, start: () => Promise<Harness>) {
  describe(`${name} (transport contract)`, () => {
    let harness: Harness;
    before(async () => (harness = await start()));
    after(() => harness.close());

    it('delivers published messages with the same id, name, correlation id and data', async () => {
      const first = anEvent();
      const second = anEvent({ data: { orderId: 8, totalMinor: 500 } });
      await harness.transport.publish('orders', [first, second]);

      const received = await harness.received();
      for (const sent of [first, second]) {
        const arrived = received.find((m) => m.id === sent.id);
        assert.ok(arrived, `message ${sent.id} did not arrive`);
        assert.equal(arrived.name, sent.name);
        assert.equal(arrived.correlationId, sent.correlationId);
        assert.deepEqual(arrived.data, sent.data);
      }
    });

    it('delivers a message published twice only once', async () => {
      const event = anEvent();
      await harness.transport.publish('orders', [event]);
      await harness.transport.publish('orders', [event]);

      const copies = (await harness.received()).filter((m) => m.id === event.id);
      assert.equal(copies.length, 1);
    });

    it('accepts an empty batch', async () => {
      await harness.transport.publish('orders', []);
    });

    it('answers ping', async () => {
      await harness.transport.ping();
    });
  });
}

// ---- the adapters -------------------------------------------------------------------------------

transportContract('EmbeddedBus', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-bus-test-'));
  const received: EventMessage[] = [];
  const bus = new EmbeddedBus(
    path.join(dir, 'bus.sqlite'),
    (topic) => [
      {
        name: 'contract-subscriber',
        topic,
        eventName: 'OrderPaid',
        deliver: async (message) => received.push(message),
      },
    ],
    { maxDeliveryCount: 3, log: memoryLogger() },
  );
  return {
    transport: bus,
    async received() {
      await bus.drain();
      return received;
    },
    async close() {
      await bus.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** A batch that measures messages as their JSON, with a size limit like the entity's (256 KB on Standard). */
class FakeBatch implements MessageBatch {
  readonly messages: ServiceBusMessage[] = [];
  #size = 0;
  constructor(readonly maxSizeInBytes: number) {}
  get count(): number {
    return this.messages.length;
  }
  tryAddMessage(message: ServiceBusMessage): boolean {
    const size = Buffer.byteLength(JSON.stringify(message.body));
    if (this.#size + size > this.maxSizeInBytes) return false;
    this.messages.push(message);
    this.#size += size;
    return true;
  }
}

/**
 * The SDK's sender as the topic sees it: Service Bus drops a message whose MessageId it has seen
 * (duplicate detection, enabled on every topic in Bicep), and consumers get the body back.
 */
class FakeTopicSender implements TopicSender {
  readonly sent: ServiceBusMessage[] = [];
  readonly batchesSent: number[] = [];
  closed = false;
  failures = 0;
  constructor(
    readonly topic: string,
    readonly maxSizeInBytes = 256 * 1024,
  ) {}
  async createMessageBatch(): Promise<MessageBatch> {
    return new FakeBatch(this.maxSizeInBytes);
  }
  async sendMessages(batch: MessageBatch): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('ServiceBusError: the namespace is busy');
    }
    const messages = (batch as FakeBatch).messages;
    this.batchesSent.push(messages.length);
    for (const m of messages) if (!this.sent.some((s) => s.messageId === m.messageId)) this.sent.push(m);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

transportContract('ServiceBusTransport', async () => {
  const senders: FakeTopicSender[] = [];
  const transport = new ServiceBusTransport((topic) => {
    const sender = new FakeTopicSender(topic);
    senders.push(sender);
    return sender;
  });
  return {
    transport,
    async received() {
      // What a Service Bus trigger hands the consumer: the body, which went over the wire as JSON.
      return senders.flatMap((s) => s.sent.map((m) => JSON.parse(JSON.stringify(m.body)) as EventMessage));
    },
    close: () => transport.close(),
  };
});

describe('ServiceBusTransport (specifics)', () => {
  it('sends MessageId = event id, subject = event name, JSON content, to the topic named', async () => {
    const sender = new FakeTopicSender('orders');
    const topics: string[] = [];
    const transport = new ServiceBusTransport((topic) => (topics.push(topic), sender));
    const event = anEvent();
    assert.deepEqual(await transport.publish('orders', [event]), { sent: [event.id], refused: [] });

    assert.deepEqual(topics, ['orders']);
    const [message] = sender.sent;
    assert.equal(message?.messageId, event.id);
    assert.equal(message?.subject, event.name);
    assert.equal(message?.correlationId, event.correlationId);
    assert.equal(message?.contentType, 'application/json');
    assert.deepEqual(message?.applicationProperties, { eventName: 'OrderPaid', version: 1 });
    assert.equal(message?.scheduledEnqueueTimeUtc, undefined);
  });

  it('carries the event’s W3C trace context in the application properties (Diagnostic-Id)', async () => {
    const sender = new FakeTopicSender('orders');
    const transport = new ServiceBusTransport(() => sender);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await transport.publish('orders', [anEvent({ traceparent })]);
    assert.deepEqual(sender.sent[0]?.applicationProperties, {
      eventName: 'OrderPaid',
      version: 1,
      traceparent,
      'Diagnostic-Id': traceparent,
    });
  });

  it('sends a scheduled event as a scheduled message', async () => {
    const sender = new FakeTopicSender('orders');
    const transport = new ServiceBusTransport(() => sender);
    await transport.publish('orders', [anEvent({ deliverAt: '2026-05-01T10:35:00.000Z' })]);
    assert.deepEqual(sender.sent[0]?.scheduledEnqueueTimeUtc, new Date('2026-05-01T10:35:00.000Z'));
  });

  it('fills batches up to the size limit and sends the rest in the next batch', async () => {
    const sender = new FakeTopicSender('orders', 1_000);
    const transport = new ServiceBusTransport(() => sender);
    const events = Array.from({ length: 7 }, () => anEvent({ data: { note: 'x'.repeat(200) } }));
    const result = await transport.publish('orders', events);
    assert.deepEqual(
      result.sent,
      events.map((e) => e.id),
    );
    assert.ok(sender.batchesSent.length > 1, `sent in ${sender.batchesSent.length} batch(es)`);
    assert.equal(
      sender.batchesSent.reduce((a, b) => a + b, 0),
      7,
    );
  });

  it('refuses, for good, an event too large for any message, and still sends the others', async () => {
    const sender = new FakeTopicSender('orders', 1_000);
    const transport = new ServiceBusTransport(() => sender);
    const [small, huge, after] = [anEvent(), anEvent({ data: { note: 'x'.repeat(5_000) } }), anEvent()];
    const result = await transport.publish('orders', [small, huge, after]);
    assert.deepEqual(result.sent, [small.id, after.id]);
    assert.deepEqual(
      result.refused.map((r) => r.id),
      [huge.id],
    );
    assert.match(result.refused[0]?.reason ?? '', /larger than a Service Bus message/);
  });

  it('throws when a send fails, so the relay retries', async () => {
    const sender = new FakeTopicSender('orders');
    sender.failures = 1;
    const transport = new ServiceBusTransport(() => sender);
    await assert.rejects(transport.publish('orders', [anEvent()]), /namespace is busy/);
  });

  it('opens one sender per topic and closes them all with the client', async () => {
    const senders: FakeTopicSender[] = [];
    let clientClosed = false;
    const transport = new ServiceBusTransport(
      (topic) => {
        const sender = new FakeTopicSender(topic);
        senders.push(sender);
        return sender;
      },
      async () => {
        clientClosed = true;
      },
    );
    await transport.publish('orders', [anEvent()]);
    await transport.publish('orders', [anEvent()]);
    await transport.publish('rewards', [anEvent({ topic: 'rewards' })]);
    await transport.close();

    assert.deepEqual(
      senders.map((s) => [s.topic, s.sent.length, s.closed]),
      [
        ['orders', 2, true],
        ['rewards', 1, true],
      ],
    );
    assert.equal(clientClosed, true);
  });
});

describe('EmbeddedBus (specifics)', () => {
  it('opens a queue file made before scheduled messages existed, and delivers what it holds', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-bus-old-'));
    const file = path.join(dir, 'bus.sqlite');
    const event = anEvent();
    const old = new SQLite(file);
    old.exec(`create table deliveries (
      id integer primary key autoincrement, message_id text not null, topic text not null,
      subscription text not null, event_name text not null, body text not null,
      status text not null default 'pending', delivery_count integer not null default 0,
      next_attempt_at integer not null, last_error text, created_at text not null)`);
    old
      .prepare(
        `insert into deliveries (message_id, topic, subscription, event_name, body, next_attempt_at, created_at)
         values (?, 'orders', 'old-subscriber', 'OrderPaid', ?, 0, '2026-05-01T10:00:00.000Z')`,
      )
      .run(event.id, JSON.stringify(event));
    old.close();

    const received: string[] = [];
    const bus = new EmbeddedBus(
      file,
      (topic) => [
        { name: 'old-subscriber', topic, eventName: 'OrderPaid', deliver: async (m) => received.push(m.id) },
      ],
      { maxDeliveryCount: 3, log: memoryLogger() },
    );
    try {
      await bus.drain();
      assert.deepEqual(received, [event.id]);
    } finally {
      await bus.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ServiceBusTransport readiness', () => {
  it('opens a sender link (a batch) to answer ping, and fails when the namespace refuses it', async () => {
    let batches = 0;
    const working = new ServiceBusTransport(() => ({
      createMessageBatch: async () => (batches++, new FakeBatch(1_000)),
      sendMessages: async () => {},
      close: async () => {},
    }));
    await working.ping();
    assert.equal(batches, 1);
    const refused = new ServiceBusTransport(() => ({
      createMessageBatch: async () => {
        throw new Error('Unauthorized access. Send claim(s) are required');
      },
      sendMessages: async () => {},
      close: async () => {},
    }));
    await assert.rejects(refused.ping(), /Send claim/);
  });
});
