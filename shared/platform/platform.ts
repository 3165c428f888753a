import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import type { SessionCheck } from '../auth/session-check.js';
import { createTokenService, type TokenService } from '../auth/tokens.js';
import { localSigningKeys, parseKeySet, signingKeyFromPem, signingKeysOf } from '../auth/keys.js';
import type { Config } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import { LocalMailbox } from '../email/local-mailbox.js';
import type { Mailer } from '../email/mailer.js';
import { consumeMessage, type AnyConsumer } from '../events/consumer.js';
import { EmbeddedBus } from '../events/embedded-bus.js';
import type { MessagingTables } from '../events/outbox.tables.js';
import { OutboxRelay } from '../events/relay.js';
import type { EventTransport } from '../events/transport.js';
import type { PipelineEnv } from '../http/pipeline.js';
import { LocalPayments } from '../payments/local-payments.js';
import { localWebhookSecret } from '../payments/local-webhook-secret.js';
import type { PaymentProvider } from '../payments/payments.js';
import type { BlobStore } from '../storage/blob-store.js';
import { LocalBlobStore } from '../storage/local-blob-store.js';
import { appInsightsSink } from '../telemetry/app-insights.js';
import { consoleSink, createLogger, type Logger, type LogSink } from '../telemetry/logger.js';
import { days, systemClock, type Clock } from '../time/clock.js';

/**
 * Everything outside the domains' own code, built once per process from the configuration: each
 * port gets its Azure adapter when its setting is present and its embedded default otherwise.
 */
export interface Platform {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: Clock;
  readonly tokens: TokenService;
  readonly transport: EventTransport;
  /** The embedded transport, when Service Bus is not configured. */
  readonly bus: EmbeddedBus | undefined;
  readonly relay: OutboxRelay;
  readonly blobs: BlobStore;
  readonly mailer: Mailer;
  /** Stripe when STRIPE_SECRET_KEY is set; otherwise the local checkout (LocalPayments), served by the local host. */
  readonly payments: PaymentProvider;
  readonly pipelineEnv: PipelineEnv;
  /** The domain's database, opened on first use. */
  database<DB>(domain: string): Database<DB>;
  /** Publishes every pending outbox row and, when embedded, delivers every due message (tests, scripts). */
  settle(): Promise<void>;
  /**
   * Work to finish before the databases close (a domain's buffered writes, e.g. counted views).
   * Runs on close(): the local host's Ctrl+C / SIGTERM, and the Functions worker's appTerminate hook.
   */
  onClose(hook: () => Promise<void>): void;
  close(): Promise<void>;
}

export interface PlatformOptions {
  clock?: Clock;
  logSinks?: LogSink[];
  /** The consumers the embedded bus delivers to (the registry's, normally). */
  consumers?: () => AnyConsumer[];
  /** Whether a session is still open (the registry's, from the auth domain). */
  sessionCheck?: () => SessionCheck | undefined;
  /** The domains that have a database, whose outboxes the relay timer sweeps (the registry's, normally). */
  domains?: () => string[];
  /** Overrides of single ports, for contract tests. */
  blobs?: BlobStore;
  mailer?: Mailer;
  transport?: EventTransport;
  payments?: PaymentProvider;
}

export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const sinks = options.logSinks ?? logSinksFor(config);
  if (config.APPLICATIONINSIGHTS_CONNECTION_STRING) {
    sinks.push(await appInsightsSink(config.APPLICATIONINSIGHTS_CONNECTION_STRING));
  }
  const log = createLogger(config.LOG_LEVEL, sinks);
  // The Azure adapters are imported only when their setting is present: the SDKs take a few hundred
  // milliseconds to load, which every local start would otherwise pay for nothing.
  const credential = async (): Promise<TokenCredential> => {
    const { azureCredential } = await import('../azure/credential.js');
    return azureCredential({ clientId: config.AZURE_CLIENT_ID });
  };

  // A key set that rotates (JWT_SIGNING_KEYS; locally DATA_DIR/keys), or one fixed key.
  const keys = config.JWT_SIGNING_KEYS
    ? signingKeysOf(parseKeySet(config.JWT_SIGNING_KEYS))
    : config.JWT_PRIVATE_KEY
      ? [signingKeyFromPem(config.JWT_PRIVATE_KEY, config.JWT_KEY_ID ?? '')]
      : localSigningKeys(config.dataDir);
  const tokens = createTokenService({
    keys,
    retireAfterMs: days(config.REFRESH_TOKEN_DAYS),
    issuer:
      config.JWT_ISSUER ?? `${config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`}/api/auth`,
    audience: config.JWT_AUDIENCE,
    accessTokenMinutes: config.ACCESS_TOKEN_MINUTES,
    clock,
  });

  const databases = new Map<string, Database<unknown>>();
  const database = <DB>(domain: string): Database<DB> => {
    let db = databases.get(domain);
    if (!db) {
      db = openDatabase<unknown>(domain, config);
      databases.set(domain, db);
    }
    return db as Database<DB>;
  };

  const consumers = options.consumers ?? (() => []);
  let bus: EmbeddedBus | undefined;
  let transport: EventTransport;
  if (options.transport) transport = options.transport;
  else if (config.SERVICE_BUS_NAMESPACE) {
    const { serviceBusTransport } = await import('../events/service-bus-transport.js');
    transport = serviceBusTransport(config.SERVICE_BUS_NAMESPACE, await credential());
  } else {
    bus = new EmbeddedBus(
      path.join(config.dataDir, 'db', 'bus.sqlite'),
      (topic) =>
        consumers()
          .filter((c) => c.event.topic === topic)
          .map((c) => ({
            name: c.name,
            topic,
            eventName: c.event.name,
            deliver: (message) => consumeMessage(c, message, { clock, log, relay }),
          })),
      { maxDeliveryCount: config.MAX_DELIVERY_COUNT, log, clock },
    );
    transport = bus;
  }
  const relay = new OutboxRelay(
    transport,
    () =>
      (options.domains
        ? options.domains().map((d) => database(d))
        : [...databases.values()]) as Database<MessagingTables>[],
    clock,
    log,
  );

  const azureBlobs = async () => (await import('../storage/azure-blob-store.js')).AzureBlobStore;
  const blobs =
    options.blobs ??
    (config.BLOB_CONNECTION_STRING
      ? (await azureBlobs()).fromConnectionString(config.BLOB_CONNECTION_STRING, config.BLOB_CONTAINER)
      : config.BLOB_ACCOUNT_URL
        ? (await azureBlobs()).fromAccount(config.BLOB_ACCOUNT_URL, config.BLOB_CONTAINER, await credential())
        : new LocalBlobStore(path.join(config.dataDir, 'blobs'), config.PUBLIC_BASE_URL));
  const acsMailer = async () => (await import('../email/acs-mailer.js')).AcsMailer;
  const mailer =
    options.mailer ??
    (config.ACS_CONNECTION_STRING
      ? (await acsMailer()).fromConnectionString(config.ACS_CONNECTION_STRING, config.EMAIL_SENDER)
      : config.ACS_ENDPOINT
        ? (await acsMailer()).create(config.ACS_ENDPOINT, config.EMAIL_SENDER, await credential())
        : new LocalMailbox(path.join(config.dataDir, 'mailbox')));

  const payments =
    options.payments ??
    (config.STRIPE_SECRET_KEY
      ? new (await import('../payments/stripe-payments.js')).StripePayments({
          secretKey: config.STRIPE_SECRET_KEY,
          // Required with the key (config.ts refuses the key alone).
          webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? '',
          toleranceSeconds: config.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
          apiUrl: config.STRIPE_API_URL,
          clock,
        })
      : new LocalPayments({
          file: path.join(config.dataDir, 'db', 'payments.sqlite'),
          webhookSecret: () => config.STRIPE_WEBHOOK_SECRET ?? localWebhookSecret(config.dataDir),
          toleranceSeconds: config.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
          clock,
          log,
        }));

  const sessionCheck = options.sessionCheck ?? (() => undefined);
  const pipelineEnv: PipelineEnv = {
    log,
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    maxJsonBytes: config.MAX_JSON_BODY_BYTES,
    authenticate: async (token, { allowExpired }) => tokens.verify(token, { allowExpired }),
    async isSessionLive(caller) {
      const check = sessionCheck();
      if (!check) throw new Error('no session check is registered (the auth domain is not loaded)');
      return check({ userId: caller.userId, sessionId: caller.sessionId });
    },
  };

  const closeHooks: (() => Promise<void>)[] = [];
  return {
    config,
    log,
    clock,
    tokens,
    transport,
    bus,
    relay,
    blobs,
    mailer,
    payments,
    pipelineEnv,
    database,
    async settle() {
      // A delivered message may make its consumer emit events of its own (published by its
      // afterCommit kick), so settle until a round neither publishes nor delivers anything.
      for (let i = 0; i < 20; i++) {
        const published = await relay.publishAll();
        const delivered = bus ? await bus.drain({ ignoreBackoff: true }) : 0;
        if (published === 0 && delivered === 0) return;
      }
    },
    onClose(hook) {
      closeHooks.push(hook);
    },
    async close() {
      for (const hook of closeHooks.splice(0)) {
        await hook().catch((error: unknown) => log.error('a shutdown step failed', { error }));
      }
      relay.close();
      await payments.close();
      await transport.close();
      await Promise.all([...databases.values()].map((d) => d.close()));
      databases.clear();
    },
  };
}

/**
 * Where log lines go besides Application Insights. Inside the Functions host with Application
 * Insights configured, nothing: the host forwards the worker's console output to Application
 * Insights itself, so writing both would record every line twice.
 */
export function logSinksFor(
  config: Pick<Config, 'APPLICATIONINSIGHTS_CONNECTION_STRING'>,
  env: NodeJS.ProcessEnv = process.env,
): LogSink[] {
  const insideFunctionsHost = env['FUNCTIONS_WORKER_RUNTIME'] === 'node';
  return insideFunctionsHost && config.APPLICATIONINSIGHTS_CONNECTION_STRING ? [] : [consoleSink];
}
