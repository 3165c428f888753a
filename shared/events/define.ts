import { z } from 'zod';

/** Topics are per producing domain; each consumer has its own subscription. */
export type Topic = 'auth' | 'catalog' | 'coupons' | 'cart' | 'orders' | 'rewards';

export interface EventDefinition<T = unknown> {
  /** Past tense: `UserRegistered`. */
  name: string;
  topic: Topic;
  version: number;
  schema: z.ZodType<T>;
  /**
   * Fields of the payload that are secrets in transit (a password reset token): the consumer needs
   * them, nobody else may read them. The outbox copy drops them once published, and every listing
   * of messages (dead letters) shows them redacted (redaction.ts).
   */
  secrets?: readonly string[];
}

/** The payload type of an event definition: `EventData<typeof OrderPaid>`. */
export type EventData<E> = E extends EventDefinition<infer T> ? T : never;

export function defineEvent<T>(definition: EventDefinition<T>): EventDefinition<T> {
  return definition;
}

/** What travels on the wire (Service Bus body, embedded delivery row). MessageId = id. */
export const eventMessageSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1),
  version: z.number().int().positive(),
  topic: z.string().min(1),
  occurredAt: z.string(),
  correlationId: z.string().optional(),
  /** W3C trace context of the step that emitted it: consumers continue the same trace. */
  traceparent: z.string().optional(),
  /**
   * A scheduled message: not delivered before this instant (ISO). Service Bus holds it as a
   * scheduled message (ScheduledEnqueueTimeUtc); the embedded bus keeps its delivery row until then.
   */
  deliverAt: z.string().optional(),
  data: z.unknown(),
});

export type EventMessage = z.infer<typeof eventMessageSchema>;
