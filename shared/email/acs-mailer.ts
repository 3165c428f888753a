import { EmailClient, type EmailClientOptions, type EmailSendResult } from '@azure/communication-email';
import type { TokenCredential } from '@azure/identity';
import { assertOperationId, type EmailMessage, type Mailer, type SendOptions } from './mailer.js';

export interface AcsMailerOptions {
  /** Passed to the SDK's client: a test's TLS trust, retry settings. */
  client?: EmailClientOptions;
  /** How often to ask for the send's status; unset: as the service says (its Retry-After). */
  pollIntervalMs?: number;
}

/**
 * Azure Communication Services Email, with managed identity (ACS_ENDPOINT) or an access key
 * (ACS_CONNECTION_STRING). A send is a long-running operation: the SDK posts the message, then
 * polls the operation until it ends; only `Succeeded` counts as sent, anything else throws, so the
 * consumer's message is retried and finally dead-lettered with the reason.
 *
 * The operation id travels as the `Operation-Id` header (`beginSend`'s `operationId` option). ACS
 * keys the operation by it, so a retry with the same id reports the first send instead of sending
 * again (the README's Email section says what window remains).
 */
export class AcsMailer implements Mailer {
  readonly kind = 'acs' as const;

  constructor(
    private readonly client: EmailClient,
    private readonly sender: string,
    private readonly options: Pick<AcsMailerOptions, 'pollIntervalMs'> = {},
  ) {}

  /** Managed identity (or any token credential) against the resource's endpoint. */
  static create(
    endpoint: string,
    sender: string,
    credential: TokenCredential,
    options: AcsMailerOptions = {},
  ): AcsMailer {
    return new AcsMailer(new EmailClient(endpoint, credential, options.client), sender, options);
  }

  /** `endpoint=https://…;accesskey=…`: requests are signed with the key (HMAC-SHA256). */
  static fromConnectionString(
    connectionString: string,
    sender: string,
    options: AcsMailerOptions = {},
  ): AcsMailer {
    return new AcsMailer(new EmailClient(connectionString, options.client), sender, options);
  }

  async send(message: EmailMessage, options: SendOptions = {}): Promise<{ id: string }> {
    if (options.operationId !== undefined) assertOperationId(options.operationId);
    const poller = await this.client.beginSend(
      {
        senderAddress: this.sender,
        recipients: { to: [{ address: message.to }] },
        content: { subject: message.subject, plainText: message.text, html: message.html },
      },
      {
        ...(options.operationId ? { operationId: options.operationId } : {}),
        ...(this.options.pollIntervalMs !== undefined
          ? { updateIntervalInMs: this.options.pollIntervalMs }
          : {}),
      },
    );
    let result: EmailSendResult;
    try {
      result = await poller.pollUntilDone();
    } catch (error) {
      // The poller throws when the operation ends Failed or Canceled; say which send it was.
      const id = poller.getOperationState().result?.id ?? options.operationId ?? '(no id)';
      throw new Error(`ACS email ${id} was not sent: ${(error as Error).message}`, { cause: error });
    }
    if (result.status !== 'Succeeded')
      throw new Error(
        `ACS email ${result.id} ${result.status}: ${result.error?.message ?? 'no reason given'}`,
      );
    return { id: result.id };
  }

  async ping(): Promise<void> {}
}
