/** The email port. Azure: Communication Services. Embedded: a mailbox folder with a local page. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SendOptions {
  /**
   * Makes the send idempotent: a UUID the caller derives from what it is sending (the email domain
   * uses a UUID v5 of event id + template). A second send under the same id sends nothing new and
   * answers the first send's id (ACS: its Operation-Id; the local mailbox: one file per id).
   */
  operationId?: string;
}

export interface Mailer {
  readonly kind: 'mailbox' | 'acs';
  send(message: EmailMessage, options?: SendOptions): Promise<{ id: string }>;
  ping(): Promise<void>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** ACS takes only a UUID as an Operation-Id; both adapters refuse anything else alike. */
export function assertOperationId(operationId: string): void {
  if (!uuidPattern.test(operationId)) throw new Error(`operation id must be a UUID, got "${operationId}"`);
}
