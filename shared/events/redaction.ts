import { catalogue } from './catalogue.js';
import type { EventMessage } from './define.js';

/** What a secret field reads as once redacted. */
export const REDACTED = '[redacted]';

const secretsByName = new Map<string, readonly string[]>(
  catalogue.filter((e) => (e.secrets?.length ?? 0) > 0).map((e) => [e.name, e.secrets ?? []]),
);

/** True when the event carries secrets in transit (its outbox copy is redacted once published). */
export function carriesSecrets(eventName: string): boolean {
  return secretsByName.has(eventName);
}

/**
 * The message with its event's secret fields replaced by REDACTED: what a listing of messages (dead
 * letters, the outbox once published, logs) may show. Messages without secrets come back as they are.
 */
export function redactMessage<M extends Pick<EventMessage, 'name' | 'data'>>(message: M): M {
  const secrets = secretsByName.get(message.name);
  if (!secrets || typeof message.data !== 'object' || message.data === null) return message;
  const data: Record<string, unknown> = { ...(message.data as Record<string, unknown>) };
  for (const field of secrets) if (field in data) data[field] = REDACTED;
  return { ...message, data };
}

/**
 * A stored message body (JSON text) with its secrets redacted; text that is not a message of an
 * event with secrets comes back unchanged.
 */
export function redactBody(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (typeof parsed !== 'object' || parsed === null || !('name' in parsed)) return body;
  const message = parsed as Pick<EventMessage, 'name' | 'data'>;
  if (typeof message.name !== 'string' || !carriesSecrets(message.name)) return body;
  return JSON.stringify(redactMessage(message));
}

/** A message body of any shape (parsed JSON, as a transport hands it over) with its secrets redacted. */
export function redactShown(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const message = body as Partial<Pick<EventMessage, 'name' | 'data'>>;
  return typeof message.name === 'string' && carriesSecrets(message.name)
    ? redactMessage(message as Pick<EventMessage, 'name' | 'data'>)
    : body;
}
