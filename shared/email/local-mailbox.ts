import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { EmailMessage, Mailer } from './mailer.js';

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

/** Writes each message as a JSON file under DATA_DIR/mailbox; the local host lists them at /mailbox. */
export class LocalMailbox implements Mailer {
  readonly kind = 'mailbox' as const;

  constructor(private readonly folder: string) {}

  async send(message: EmailMessage): Promise<{ id: string }> {
    await fs.mkdir(this.folder, { recursive: true });
    const sentAt = nextSentAt().toISOString();
    const id = randomUUID();
    const stored: StoredEmail = { id, sentAt, ...message };
    const file = path.join(this.folder, `${sentAt.replace(/[:.]/g, '-')}-${id}.json`);
    await fs.writeFile(file, JSON.stringify(stored, null, 2));
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
