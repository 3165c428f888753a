import type { Kysely } from 'kysely';
import * as repo from '../email.repository.js';
import type { EmailDb } from '../email.tables.js';

/**
 * For the T-SQL check: calls every function of email.repository.ts once against a compile-only
 * MSSQL Kysely (DummyDriver), so each query's T-SQL is recorded. Returns the names called.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function exercise(anyDb: Kysely<any>): Promise<string[]> {
  const db = anyDb as EmailDb;
  const called: string[] = [];
  const run = async (name: keyof typeof repo, call: () => Promise<unknown>) => {
    called.push(name);
    await call();
  };
  await run('findSend', () => repo.findSend(db, '0b7c6c8e-2f51-4a40-9d7e-3f0a2a0c1d11', 'welcome'));
  await run('recordSend', () =>
    repo.recordSend(db, {
      event_id: '0b7c6c8e-2f51-4a40-9d7e-3f0a2a0c1d11',
      event_name: 'UserRegistered',
      template: 'welcome',
      recipient: 'ada@shop.test',
      operation_id: '5b0e7d9c-7a43-5c1e-9b8f-2d6a4e1c3f70',
      provider_message_id: '5b0e7d9c-7a43-5c1e-9b8f-2d6a4e1c3f70',
      sent_at: new Date('2026-12-04T09:00:00.000Z'),
    }),
  );
  return called;
}
