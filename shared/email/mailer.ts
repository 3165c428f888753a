/** The email port. Azure: Communication Services. Embedded: a mailbox folder with a local page. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  readonly kind: 'mailbox' | 'acs';
  send(message: EmailMessage): Promise<{ id: string }>;
  ping(): Promise<void>;
}
