import type { TokenCredential } from '@azure/identity';
import { ServiceBusClient, type ServiceBusMessage, type ServiceBusMessageBatch } from '@azure/service-bus';
import type { EventMessage } from './define.js';
import type { EventTransport, PublishResult } from './transport.js';

/** The part of the SDK's ServiceBusMessageBatch the adapter uses. */
export interface MessageBatch {
  /** False when the message does not fit (the batch is at the entity's size limit). */
  tryAddMessage(message: ServiceBusMessage): boolean;
  readonly count: number;
  readonly maxSizeInBytes: number;
}

/** The part of the SDK's ServiceBusSender the adapter uses (a fake implements it in tests). */
export interface TopicSender {
  createMessageBatch(): Promise<MessageBatch>;
  sendMessages(batch: MessageBatch): Promise<void>;
  close(): Promise<void>;
}

/**
 * Maps an event to a Service Bus message: MessageId = event id (duplicate detection), subject =
 * event name; a scheduled event becomes a scheduled message (ScheduledEnqueueTimeUtc).
 */
export function toServiceBusMessage(message: EventMessage): ServiceBusMessage {
  return {
    messageId: message.id,
    subject: message.name,
    contentType: 'application/json',
    correlationId: message.correlationId,
    body: message,
    applicationProperties: {
      eventName: message.name,
      version: message.version,
      // W3C trace context: Diagnostic-Id is what the Functions host's Service Bus trigger reads.
      ...(message.traceparent
        ? { traceparent: message.traceparent, 'Diagnostic-Id': message.traceparent }
        : {}),
    },
    ...(message.deliverAt ? { scheduledEnqueueTimeUtc: new Date(message.deliverAt) } : {}),
  };
}

/** The topic readiness checks the sender of (every deployment has it). */
const PING_TOPIC = 'orders';

export class ServiceBusTransport implements EventTransport {
  readonly kind = 'service-bus' as const;
  readonly #senders = new Map<string, TopicSender>();

  constructor(
    private readonly senderFor: (topic: string) => TopicSender,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  /**
   * Sends the messages in as few batches as the entity's size limit allows (as many as fit, the
   * rest in the next batch). A message too large for an empty batch can never be sent: it is
   * refused for good, and the others still go. A failing send throws (the relay retries).
   */
  async publish(topic: string, messages: EventMessage[]): Promise<PublishResult> {
    const result: PublishResult = { sent: [], refused: [] };
    if (messages.length === 0) return result;
    const sender = this.#sender(topic);
    let batch = await sender.createMessageBatch();
    let inBatch: string[] = [];
    for (const message of messages) {
      const sbMessage = toServiceBusMessage(message);
      if (batch.tryAddMessage(sbMessage)) {
        inBatch.push(message.id);
        continue;
      }
      if (batch.count > 0) {
        await sender.sendMessages(batch);
        result.sent.push(...inBatch);
        batch = await sender.createMessageBatch();
        inBatch = [];
        if (batch.tryAddMessage(sbMessage)) {
          inBatch.push(message.id);
          continue;
        }
      }
      result.refused.push({
        id: message.id,
        reason: `the event is larger than a Service Bus message may be (${batch.maxSizeInBytes} bytes)`,
      });
    }
    if (batch.count > 0) {
      await sender.sendMessages(batch);
      result.sent.push(...inBatch);
    }
    return result;
  }

  /**
   * Readiness: making a batch opens the sender's link, which needs the namespace to answer and the
   * identity to hold the Send right, without sending anything.
   */
  async ping(): Promise<void> {
    await this.#sender(PING_TOPIC).createMessageBatch();
  }

  #sender(topic: string): TopicSender {
    let sender = this.#senders.get(topic);
    if (!sender) {
      sender = this.senderFor(topic);
      this.#senders.set(topic, sender);
    }
    return sender;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#senders.values()].map((s) => s.close()));
    await this.onClose();
  }
}

/** The production adapter: one client per namespace, authenticated with managed identity. */
export function serviceBusTransport(
  fullyQualifiedNamespace: string,
  credential: TokenCredential,
): ServiceBusTransport {
  const client = new ServiceBusClient(fullyQualifiedNamespace, credential);
  return new ServiceBusTransport(
    (topic) => {
      const sender = client.createSender(topic);
      // The batches handed back are the SDK's own, so sending one is sending the SDK's batch.
      const batches = new WeakMap<MessageBatch, ServiceBusMessageBatch>();
      return {
        async createMessageBatch() {
          const batch = await sender.createMessageBatch();
          batches.set(batch, batch);
          return batch;
        },
        async sendMessages(batch) {
          const own = batches.get(batch);
          if (!own) throw new Error('a message batch that the sender did not create');
          await sender.sendMessages(own);
        },
        close: () => sender.close(),
      };
    },
    () => client.close(),
  );
}
