import type { ConsumerDefinition } from '../../shared/events/consumer.js';
import type { EventDefinition, EventMessage } from '../../shared/events/define.js';
import type { Logger } from '../../shared/telemetry/logger.js';
import { emailDeps, type EmailDeps } from './email.deps.js';
import * as repo from './email.repository.js';
import type { EmailTables } from './email.tables.js';
import type { TemplateName, TemplateViews } from './email.views.js';
import { sendOperationId } from './operation-id.js';

/** The email an event asks for: its recipient and what its template is given. */
export interface ComposedEmail<N extends TemplateName> {
  to: string;
  view: TemplateViews[N];
}

export interface EmailConsumerSpec<T, N extends TemplateName> {
  /** The consumer's (and its subscription's) name: `email-<template>`. */
  name: string;
  event: EventDefinition<T>;
  template: N;
  /** The email to send, or undefined when there is none to send (compose logs why). */
  compose(
    data: T,
    context: { deps: EmailDeps; message: EventMessage; log: Logger },
  ): Promise<ComposedEmail<N> | undefined>;
}

export type SendOutcome =
  { sent: false } | { sent: true; to: string; operationId: string; providerMessageId: string };

/**
 * One consumer per (event, template). The send is the consumer's `effect`: outside the
 * transaction, and skipped for a message already in its inbox. It checks the send log first, then
 * sends under a deterministic operation id (UUID v5 of event id + template); `handle` writes the
 * send-log row in the transaction that also records the message in the inbox. A crash between the
 * provider's acceptance and that commit redelivers the message and sends again under the same
 * operation id, which the provider de-duplicates. A failed send throws: the bus retries and finally
 * dead-letters the message with the reason; nothing is dropped.
 */
export function emailConsumer<T, N extends TemplateName>(
  spec: EmailConsumerSpec<T, N>,
): ConsumerDefinition<T, EmailTables, SendOutcome> {
  return {
    name: spec.name,
    event: spec.event,
    database: () => emailDeps().database,
    async effect(data, { message, log }) {
      const deps = emailDeps();
      if (await repo.findSend(deps.db, message.id, spec.template)) {
        log.info('email already sent (send log)', { template: spec.template });
        return { sent: false };
      }
      const email = await spec.compose(data, { deps, message, log });
      if (!email) return { sent: false };
      const operationId = sendOperationId(message.id, spec.template);
      const rendered = deps.templates.render(spec.template, email.view);
      const { id } = await deps.mailer.send({ to: email.to, ...rendered }, { operationId });
      return { sent: true, to: email.to, operationId, providerMessageId: id };
    },
    async handle(_data, { trx, message, effect, now, log }) {
      if (!effect.sent) return;
      await repo.recordSend(trx, {
        event_id: message.id,
        event_name: message.name,
        template: spec.template,
        recipient: effect.to,
        operation_id: effect.operationId,
        provider_message_id: effect.providerMessageId,
        sent_at: now,
      });
      log.info('email sent', { template: spec.template, operationId: effect.operationId });
    },
  };
}
