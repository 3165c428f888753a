import { randomUUID } from 'node:crypto';
import type { EmbeddedBus } from './embedded-bus.js';
import { redactShown } from './redaction.js';

/**
 * Dead letters an operator can act on: list them with their reason, look at one, and replay it to
 * the subscription that failed (after fixing the cause). The same commands work on the embedded
 * bus locally and on Service Bus in Azure (`npm run dlq`, and GET /api/ops/deadletters for ADMINs).
 */
export interface DeadLetter {
  /** Embedded: the delivery's number. Service Bus: `<topic>/<subscription>/<sequence number>`. */
  id: string;
  topic: string;
  subscription: string;
  messageId: string;
  eventName: string;
  reason: string;
  deliveryCount: number;
  deadLetteredAt: string;
}

export interface DeadLetterWithBody extends DeadLetter {
  /** The event message as it was delivered (its body). */
  body: unknown;
}

export interface DeadLetters {
  list(): Promise<DeadLetter[]>;
  show(id: string): Promise<DeadLetterWithBody | undefined>;
  /** Sends it again to the subscription it failed in; false when there is no such dead letter. */
  replay(id: string): Promise<boolean>;
}

/** Dead letters of the embedded bus: delivery rows marked dead. */
export function embeddedDeadLetters(bus: EmbeddedBus): DeadLetters {
  const toDeadLetter = (row: ReturnType<EmbeddedBus['delivery']>): DeadLetterWithBody | undefined =>
    row && row.status === 'dead'
      ? {
          id: String(row.id),
          topic: row.topic,
          subscription: row.subscription,
          messageId: row.message_id,
          eventName: row.event_name,
          reason: row.last_error ?? '',
          deliveryCount: row.delivery_count,
          deadLetteredAt: row.created_at,
          // Shown to operators: a secret in transit (a reset token) reads [redacted].
          body: redactShown(JSON.parse(row.body) as unknown),
        }
      : undefined;
  const idOf = (id: string) => (/^\d{1,12}$/.test(id) ? Number(id) : -1);
  return {
    async list() {
      return bus
        .deliveries({ status: 'dead' })
        .map((d) => toDeadLetter(bus.delivery(d.id)))
        .filter((d): d is DeadLetterWithBody => d !== undefined)
        .map(({ body: _body, ...letter }) => letter);
    },
    async show(id) {
      return toDeadLetter(bus.delivery(idOf(id)));
    },
    async replay(id) {
      return bus.replay(idOf(id));
    },
  };
}

// The slice of @azure/service-bus the Service Bus adapter uses (a fake implements it in tests).
export interface DlqMessage {
  body: unknown;
  messageId?: string | number | unknown;
  subject?: string;
  contentType?: string;
  correlationId?: string | number | unknown;
  applicationProperties?: Record<string, unknown>;
  deadLetterReason?: string;
  deadLetterErrorDescription?: string;
  deliveryCount?: number;
  enqueuedTimeUtc?: Date;
  sequenceNumber?: { toString(): string };
}

export interface DlqReceiver {
  peekMessages(max: number): Promise<DlqMessage[]>;
  receiveMessages(max: number, options: { maxWaitTimeInMs: number }): Promise<DlqMessage[]>;
  completeMessage(message: DlqMessage): Promise<void>;
  abandonMessage(message: DlqMessage): Promise<void>;
  close(): Promise<void>;
}

export interface DlqClient {
  /** A receiver on the subscription's dead-letter sub-queue. */
  deadLetterReceiver(topic: string, subscription: string): DlqReceiver;
  sendToTopic(
    topic: string,
    message: Omit<DlqMessage, 'deadLetterReason' | 'deadLetterErrorDescription' | 'sequenceNumber'>,
  ): Promise<void>;
}

/**
 * Dead letters of Service Bus: the dead-letter sub-queue of every consumer's subscription. Replay
 * sends a copy to the topic under a new MessageId (duplicate detection would drop the old one) with
 * the same event inside: the other subscriptions' consumers find its event id in their inboxes and
 * do nothing, the one that failed processes it. Then the dead letter is completed.
 */
export function serviceBusDeadLetters(
  client: DlqClient,
  subscriptions: { topic: string; name: string }[],
): DeadLetters {
  const toDeadLetter = (topic: string, subscription: string, m: DlqMessage): DeadLetterWithBody => ({
    id: `${topic}/${subscription}/${m.sequenceNumber?.toString() ?? ''}`,
    topic,
    subscription,
    messageId: String(m.messageId ?? ''),
    eventName: m.subject ?? '',
    reason: [m.deadLetterReason, m.deadLetterErrorDescription].filter(Boolean).join(': '),
    deliveryCount: m.deliveryCount ?? 0,
    deadLetteredAt: m.enqueuedTimeUtc?.toISOString() ?? '',
    body: redactShown(m.body),
  });
  const parse = (id: string) => {
    const [topic, subscription, sequence] = id.split('/');
    return subscriptions.some((s) => s.topic === topic && s.name === subscription) &&
      /^\d+$/.test(sequence ?? '')
      ? { topic: topic ?? '', subscription: subscription ?? '', sequence: sequence ?? '' }
      : undefined;
  };
  const withReceiver = async <T>(
    topic: string,
    subscription: string,
    work: (r: DlqReceiver) => Promise<T>,
  ) => {
    const receiver = client.deadLetterReceiver(topic, subscription);
    try {
      return await work(receiver);
    } finally {
      await receiver.close();
    }
  };
  return {
    async list() {
      const all: DeadLetter[] = [];
      for (const s of subscriptions) {
        const messages = await withReceiver(s.topic, s.name, (r) => r.peekMessages(100));
        all.push(...messages.map((m) => toDeadLetter(s.topic, s.name, m)).map(({ body: _body, ...l }) => l));
      }
      return all;
    },
    async show(id) {
      const where = parse(id);
      if (!where) return undefined;
      const messages = await withReceiver(where.topic, where.subscription, (r) => r.peekMessages(100));
      const found = messages.find((m) => m.sequenceNumber?.toString() === where.sequence);
      return found && toDeadLetter(where.topic, where.subscription, found);
    },
    async replay(id) {
      const where = parse(id);
      if (!where) return false;
      return withReceiver(where.topic, where.subscription, async (receiver) => {
        const locked = await receiver.receiveMessages(100, { maxWaitTimeInMs: 3_000 });
        const found = locked.find((m) => m.sequenceNumber?.toString() === where.sequence);
        for (const m of locked) if (m !== found) await receiver.abandonMessage(m);
        if (!found) return false;
        await client.sendToTopic(where.topic, {
          body: found.body,
          messageId: `${String(found.messageId ?? '')}-replay-${randomUUID().slice(0, 8)}`,
          subject: found.subject,
          contentType: found.contentType,
          correlationId: found.correlationId,
          applicationProperties: found.applicationProperties,
        });
        await receiver.completeMessage(found);
        return true;
      });
    },
  };
}
