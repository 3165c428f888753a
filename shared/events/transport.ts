import type { EventMessage } from './define.js';

/**
 * The event transport port. Azure: Service Bus topics (service-bus-transport.ts). Embedded: a
 * persistent in-process delivery queue (embedded-bus.ts). Publishing the same message id twice must
 * be harmless: Service Bus drops it by duplicate detection, the embedded bus by a unique index.
 */
/** What became of each message: sent, or refused for good (too large for any message). */
export interface PublishResult {
  sent: string[];
  refused: { id: string; reason: string }[];
}

export interface EventTransport {
  readonly kind: 'embedded' | 'service-bus';
  /** Throws when nothing could be sent (the relay retries); otherwise says what became of each message. */
  publish(topic: string, messages: EventMessage[]): Promise<PublishResult>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
