import { EmailClient } from '@azure/communication-email';
import type { TokenCredential } from '@azure/identity';
import type { EmailMessage, Mailer } from './mailer.js';

/** Azure Communication Services Email, authenticated with managed identity. */
export class AcsMailer implements Mailer {
  readonly kind = 'acs' as const;

  constructor(
    private readonly client: EmailClient,
    private readonly sender: string,
  ) {}

  static create(endpoint: string, sender: string, credential: TokenCredential): AcsMailer {
    return new AcsMailer(new EmailClient(endpoint, credential), sender);
  }

  async send(message: EmailMessage): Promise<{ id: string }> {
    const poller = await this.client.beginSend({
      senderAddress: this.sender,
      recipients: { to: [{ address: message.to }] },
      content: { subject: message.subject, plainText: message.text, html: message.html },
    });
    const result = await poller.pollUntilDone();
    if (result.status !== 'Succeeded')
      throw new Error(`email ${result.id} ${result.status}: ${result.error?.message ?? ''}`);
    return { id: result.id };
  }

  async ping(): Promise<void> {}
}
