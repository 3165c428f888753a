import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  UpdateQueryNode,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type RootOperationNode,
} from 'kysely';
import { z } from 'zod';
import { columnTypes, withIdColumn } from '../db/columns.js';
import type { Database } from '../db/database.js';
import { register } from '../functions/registry.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { defineEvent, type EventMessage } from './define.js';
import { enqueueEvent } from './outbox.js';
import type { MessagingTables } from './outbox.tables.js';
import { PasswordResetRequested } from './catalogue.js';
import { MAX_PUBLISH_ATTEMPTS, OutboxRelay } from './relay.js';
import type { EventTransport, PublishResult } from './transport.js';

// Two test-only domains whose outboxes the relay publishes.
for (const name of ['relaya', 'relayb']) {
  register.domain({
    name,
    migrations: [
      {
        name: '2026_01_01_0000_create_marks',
        async up(db, dialect) {
          await withIdColumn(db, db.schema.createTable('marks'))
            .addColumn('text', columnTypes(dialect).text(50), (c) => c.notNull())
            .execute();
        },
      },
    ],
  });
}

const Marked = defineEvent({
  name: 'TestMarked',
  topic: 'orders',
  version: 1,
  schema: z.object({ text: z.string() }),
});

/** A transport the test steers: it can fail, refuse messages as too large, and records what it sent. */
class ScriptedTransport implements EventTransport {
  readonly kind = 'service-bus' as const;
  readonly sent: EventMessage[] = [];
  failNext = 0;
  tooLarge = new Set<string>();
  async publish(_topic: string, messages: EventMessage[]): Promise<PublishResult> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('ServiceBusError: the namespace is busy');
    }
    const refused = messages.filter((m) => this.tooLarge.has((m.data as { text: string }).text));
    const sent = messages.filter((m) => !refused.includes(m));
    this.sent.push(...sent);
    return {
      sent: sent.map((m) => m.id),
      refused: refused.map((m) => ({ id: m.id, reason: 'larger than a Service Bus message may be' })),
    };
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

let host: TestHost;
const transport = new ScriptedTransport();
const outboxOf = (domain: string) =>
  host.platform.database<MessagingTables>(domain) as Database<MessagingTables>;

before(async () => {
  host = await startTestHost({ platform: { transport } });
});
after(() => host.close());
beforeEach(() => {
  transport.failNext = 0;
  transport.tooLarge.clear();
});

/** Commits an event to a domain's outbox without kicking the relay (what a crash leaves behind). */
async function leaveInOutbox(domain: string, text: string) {
  const db = outboxOf(domain).db;
  await db
    .transaction()
    .execute((trx) => enqueueEvent(trx as Kysely<MessagingTables>, Marked, { text }, host.clock));
}

const rowOf = async (domain: string, text: string) =>
  (await outboxOf(domain).db.selectFrom('outbox').selectAll().execute()).find(
    (r) => (JSON.parse(r.body) as EventMessage & { data: { text: string } }).data.text === text,
  );
const sentTexts = () => transport.sent.map((m) => (m.data as { text: string }).text);

describe('the outbox relay', () => {
  it('parks a row the transport refuses (too large) with its reason, and publishes the rows after it', async () => {
    await leaveInOutbox('relaya', 'huge');
    await leaveInOutbox('relaya', 'after huge');
    transport.tooLarge.add('huge');
    await host.platform.relay.publishAll();

    const huge = await rowOf('relaya', 'huge');
    assert.ok(huge?.parked_at instanceof Date);
    assert.equal(huge?.published_at, null);
    assert.match(huge?.last_error ?? '', /larger than a Service Bus message/);
    assert.ok(sentTexts().includes('after huge'));
    assert.ok(host.logs.some((l) => l.level === 'error' && /parked/.test(l.msg)));

    await host.platform.relay.publishAll();
    assert.equal(sentTexts().filter((t) => t === 'huge').length, 0, 'a parked row is not tried again');
  });

  it('counts attempts per row and parks a row that keeps failing', async () => {
    await leaveInOutbox('relaya', 'stubborn');
    transport.failNext = MAX_PUBLISH_ATTEMPTS;
    for (let i = 0; i < MAX_PUBLISH_ATTEMPTS; i++) await host.platform.relay.publishAll();
    const row = await rowOf('relaya', 'stubborn');
    assert.equal(row?.attempts, MAX_PUBLISH_ATTEMPTS);
    assert.ok(row?.parked_at instanceof Date);
    assert.match(row?.last_error ?? '', /failed 20 times: .*namespace is busy/);
  });

  it('publishes every domain on its own: one failing does not stop the others', async () => {
    await leaveInOutbox('relaya', 'a when b fails');
    await leaveInOutbox('relayb', 'b fails');
    transport.failNext = 1; // the first domain published fails, whichever it is
    await host.platform.relay.publishAll();
    const published = [await rowOf('relaya', 'a when b fails'), await rowOf('relayb', 'b fails')].filter(
      (r) => r?.published_at instanceof Date,
    );
    assert.equal(published.length, 1);
    await host.platform.relay.publishAll();
    assert.ok((await rowOf('relayb', 'b fails'))?.published_at instanceof Date);
    assert.ok((await rowOf('relaya', 'a when b fails'))?.published_at instanceof Date);
  });

  it('retries a failed publish in-process, with back-off, without waiting for any timer', async () => {
    await leaveInOutbox('relayb', 'retried');
    transport.failNext = 1;
    host.platform.relay.kick(outboxOf('relayb'));
    for (let i = 0; i < 30 && !(await rowOf('relayb', 'retried'))?.published_at; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok((await rowOf('relayb', 'retried'))?.published_at instanceof Date);
    assert.ok(host.logs.some((l) => l.level === 'warn' && /retrying/.test(l.msg)));
  });

  it('counts the rows still waiting to be published, leaving parked ones out', async () => {
    await host.platform.relay.publishAll();
    assert.equal(await host.platform.relay.pending(), 0, 'after the parked and published rows above');
    transport.failNext = 2;
    await leaveInOutbox('relaya', 'waiting');
    await host.platform.relay.publishAll();
    assert.equal(await host.platform.relay.pending(), 1);
  });

  it('never leaves a published row holding a secret, even when the database fails after the publish', async () => {
    const database = outboxOf('relayb');
    await database.db.transaction().execute((trx) =>
      enqueueEvent(
        trx as Kysely<MessagingTables>,
        PasswordResetRequested,
        {
          userId: 'u',
          email: 'a@b.c',
          name: 'A',
          token: 'relay-s3cret',
          expiresAt: '2026-01-01T00:00:00Z',
        },
        host.clock,
      ),
    );
    // The statement that would redact the body fails (a dropped connection, a crash).
    class FailingRedaction implements KyselyPlugin {
      transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
        const setsBody = UpdateQueryNode.is(node) && JSON.stringify(node.updates ?? []).includes('"body"');
        if (setsBody) throw new Error('the connection dropped');
        return node;
      }
      async transformResult<R>(args: { result: R }) {
        return args.result;
      }
    }
    const failing = { ...database, db: database.db.withPlugin(new FailingRedaction()) };
    const relay = new OutboxRelay(transport, () => [failing], host.clock, host.platform.log);
    await relay.publishPending(failing).catch(() => undefined);
    relay.close();
    const rows = await database.db.selectFrom('outbox').selectAll().execute();
    const leaked = rows.filter((r) => r.published_at !== null && r.body.includes('relay-s3cret'));
    assert.deepEqual(leaked, [], 'a published row kept the reset token');
    await host.platform.relay.publishAll();
    const after = await database.db.selectFrom('outbox').selectAll().execute();
    assert.ok(!after.some((r) => r.body.includes('relay-s3cret')), 'published and redacted next time');
  });

  it('publishes, with a domain’s next commit, the rows a crash left in its outbox', async () => {
    await leaveInOutbox('relaya', 'left by a crash');
    await leaveInOutbox('relaya', 'the next commit');
    host.platform.relay.kick(outboxOf('relaya'));
    for (let i = 0; i < 30 && !(await rowOf('relaya', 'left by a crash'))?.published_at; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.ok(sentTexts().includes('left by a crash'));
  });
});
