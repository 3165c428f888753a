import type { TokenCredential } from '@azure/identity';
import { ServiceBusClient, type ServiceBusMessage } from '@azure/service-bus';
import type { EventMessage } from './define.js';
import type { EventTransport } from './transport.js';

/** The part of the SDK's ServiceBusSender the adapter uses (a fake implements it in tests). */
export interface TopicSender {
  sendMessages(messages: ServiceBusMessage[]): Promise<void>;
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
    applicationProperties: { eventName: message.name, version: message.version },
    ...(message.deliverAt ? { scheduledEnqueueTimeUtc: new Date(message.deliverAt) } : {}),
  };
}

export class ServiceBusTransport implements EventTransport {
  readonly kind = 'service-bus' as const;
  readonly #senders = new Map<string, TopicSender>();

  constructor(
    private readonly senderFor: (topic: string) => TopicSender,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async publish(topic: string, messages: EventMessage[]): Promise<void> {
    if (messages.length === 0) return;
    let sender = this.#senders.get(topic);
    if (!sender) {
      sender = this.senderFor(topic);
      this.#senders.set(topic, sender);
    }
    await sender.sendMessages(messages.map(toServiceBusMessage));
  }

  async ping(): Promise<void> {
    // Opening a sender needs no message; a broken namespace or identity fails on first publish and
    // the outbox keeps the events until it works again.
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
    (topic) => client.createSender(topic),
    () => client.close(),
  );
}
