import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { assertOperationId, type EmailMessage, type Mailer, type SendOptions } from './mailer.js';

const storedSchema = z.object({
  id: z.string(),
  sentAt: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
});
export type StoredEmail = z.infer<typeof storedSchema>;

// Messages sort by sentAt, so two sent within one millisecond get distinct, ordered instants.
let lastSentAt = 0;
function nextSentAt(): Date {
  lastSentAt = Math.max(Date.now(), lastSentAt + 1);
  return new Date(lastSentAt);
}

/**
 * Writes each message as a JSON file under DATA_DIR/mailbox; the local host lists them at /mailbox.
 * A message is named by its id (the operation id when one is given), and written to a temporary
 * file that is then hard-linked to that name: the link is atomic and fails when the name exists,
 * so one operation id leaves exactly one complete message, even under concurrent sends.
 */
export class LocalMailbox implements Mailer {
  readonly kind = 'mailbox' as const;

  constructor(private readonly folder: string) {}

  async send(message: EmailMessage, options: SendOptions = {}): Promise<{ id: string }> {
    if (options.operationId !== undefined) assertOperationId(options.operationId);
    const id = options.operationId?.toLowerCase() ?? randomUUID();
    await fs.mkdir(this.folder, { recursive: true });
    const stored: StoredEmail = { id, sentAt: nextSentAt().toISOString(), ...message };
    const temporary = path.join(this.folder, `.${id}.${randomUUID()}.tmp`);
    await fs.writeFile(temporary, JSON.stringify(stored, null, 2));
    try {
      await fs.link(temporary, path.join(this.folder, `${id}.json`));
    } catch (error) {
      // Sent before under this operation id: once is enough.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await fs.rm(temporary, { force: true });
    }
    return { id };
  }

  /** Newest first. */
  async list(): Promise<StoredEmail[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.folder);
    } catch {
      return [];
    }
    const mails = await Promise.all(
      names
        .filter((n) => n.endsWith('.json'))
        .map(async (n) =>
          storedSchema.parse(JSON.parse(await fs.readFile(path.join(this.folder, n), 'utf8'))),
        ),
    );
    return mails.sort((a, b) => b.sentAt.localeCompare(a.sentAt) || b.id.localeCompare(a.id));
  }

  async ping(): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true });
  }
}
