import type { EventMessage } from './define.js';

/**
 * The event transport port. Azure: Service Bus topics (service-bus-transport.ts). Embedded: a
 * persistent in-process delivery queue (embedded-bus.ts). Publishing the same message id twice must
 * be harmless: Service Bus drops it by duplicate detection, the embedded bus by a unique index.
 */
export interface EventTransport {
  readonly kind: 'embedded' | 'service-bus';
  publish(topic: string, messages: EventMessage[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
