import type { Settings } from './config.js';

/**
 * What each setting of config.ts means, for the generated `.env.example` and
 * `local.settings.example.json` (tools/settings/settings-files.ts). Defaults come from the schema
 * itself; `unset` says what happens when a setting without a default is left out. A setting added
 * to the schema without an entry here fails `npm test` (tools/settings/settings-files.test.ts).
 */
export interface SettingDoc {
  group: SettingGroup;
  about: string;
  /** What leaving it out means, when the schema has no default value to show. */
  unset?: string;
  /** A value to show (commented out) instead of an empty one. */
  example?: string;
  /** A secret: never put it in a file that is committed. */
  secret?: boolean;
}

export const settingGroups = [
  'Local host',
  'Shop',
  'Sign-in and tokens',
  'Databases',
  'Events',
  'Photos and files',
  'Payments (Stripe)',
  'Rewards',
  'Email',
  'Telemetry',
] as const;
export type SettingGroup = (typeof settingGroups)[number];

export const settingDocs: Record<keyof Settings, SettingDoc> = {
  PORT: { group: 'Local host', about: 'Port of the local host (npm start).' },
  HOST: {
    group: 'Local host',
    about: 'Interface the local host listens on: 127.0.0.1 is this machine only, 0.0.0.0 every interface.',
  },
  DATA_DIR: {
    group: 'Local host',
    about:
      'Where the local databases, keys, photos, mailbox and event queue live. Delete it for a fresh shop.',
  },
  PUBLIC_BASE_URL: {
    group: 'Local host',
    about: 'Public origin of the API, for absolute URLs (photos) and the OpenID discovery document.',
    unset: "the request's own host",
    example: 'https://apim-shop.azure-api.net',
  },
  CORS_ORIGINS: {
    group: 'Local host',
    about: 'Comma-separated origins the local host allows (* for any). In Azure, APIM applies CORS.',
    unset: 'any http://localhost:<port> or http://127.0.0.1:<port> origin',
    example: 'http://localhost:3000,https://shop.example.com',
  },
  MAX_BODY_BYTES: { group: 'Local host', about: 'Largest request body in bytes (413 above).' },
  MAX_UPLOAD_BYTES: { group: 'Local host', about: 'Largest uploaded image in bytes (413 above).' },
  MAX_JSON_BODY_BYTES: {
    group: 'Local host',
    about:
      'Largest JSON request body in bytes (413 before it is parsed); forms with photos keep MAX_BODY_BYTES.',
  },
  CATALOG_CACHE: {
    group: 'Shop',
    about:
      "on: the catalog's public GETs (list, detail, brands, categories) are answered from a cache of encoded responses with a strong ETag, checked against the catalog revision on every read (one tiny query), so no answer is older than the last commit; off: every read runs its queries.",
  },
  CATALOG_CACHE_MAX_MB: {
    group: 'Shop',
    about:
      'Most memory the catalog read cache holds per instance, in MiB (least recently used answers go first).',
  },
  CATALOG_CACHE_SECONDS: {
    group: 'Shop',
    about:
      "How long API Management may keep the catalog's public GETs (its cache-lookup/cache-store), also sent as Cache-Control max-age. 0 (the default): no gateway cache, and browsers revalidate every time with the ETag. With a TTL, stock and price may lag by up to it, and cached detail hits are not counted as views.",
  },
  VIEW_FLUSH_SECONDS: {
    group: 'Shop',
    about:
      'Product views are counted in memory and written every this many seconds (one statement per viewed product) and on shutdown; a crash loses at most this long of views.',
  },
  SHOP_NAME: { group: 'Shop', about: 'Shown in emails and on the docs page.' },
  SHOP_URL: { group: 'Shop', about: 'The storefront, for links in emails.' },
  SHOP_CURRENCY: { group: 'Shop', about: 'ISO 4217 currency of every amount.' },
  DEMO_DATA: {
    group: 'Shop',
    about: 'Seed the demo catalog, coupons and demo accounts (true/false). Never in a deployed shop.',
    unset: 'on locally, off when SQL_SERVER is set',
  },
  LOG_LEVEL: { group: 'Shop', about: 'debug, info, warn or error.' },
  JWT_ISSUER: {
    group: 'Sign-in and tokens',
    about: 'iss of access tokens.',
    unset: '<PUBLIC_BASE_URL or http://HOST:PORT>/api/auth',
  },
  JWT_AUDIENCE: { group: 'Sign-in and tokens', about: 'aud of access tokens.' },
  JWT_PRIVATE_KEY: {
    group: 'Sign-in and tokens',
    about: 'PEM of a P-256 (ES256) or RSA >= 2048-bit (RS256) key, line breaks as \\n. APIM needs RSA.',
    unset: 'a P-256 key generated once into DATA_DIR/keys',
    secret: true,
  },
  JWT_KEY_ID: {
    group: 'Sign-in and tokens',
    about: 'kid of JWT_PRIVATE_KEY (required with it).',
    unset: "the local key's thumbprint",
  },
  JWT_SIGNING_KEYS: {
    group: 'Sign-in and tokens',
    about:
      'The signing key set as JSON {"keys":[{"kid","pem","signsFrom"}]}, written by npm run keys:rotate; instead of JWT_PRIVATE_KEY.',
    unset: 'JWT_PRIVATE_KEY, or locally DATA_DIR/keys/jwt-signing-keys.json',
    secret: true,
  },
  JWT_KEY_LEAD_MINUTES: {
    group: 'Sign-in and tokens',
    about:
      'How long npm run keys:rotate publishes a new key before it signs (60-10080; APIM caches the JWKS about an hour).',
  },
  ACCESS_TOKEN_MINUTES: {
    group: 'Sign-in and tokens',
    about:
      'Access token lifetime (1-1440). Short, because a signed-out session keeps its token until it expires on routes that do not check the session.',
  },
  REFRESH_TOKEN_DAYS: { group: 'Sign-in and tokens', about: 'Absolute lifetime of a session (1-90).' },
  BCRYPT_COST: { group: 'Sign-in and tokens', about: 'Password hashing cost (10-15).' },
  LOGIN_MAX_FAILURES: {
    group: 'Sign-in and tokens',
    about:
      'Password checks allowed per account and client address (an IPv6 /64) within LOGIN_WINDOW_MINUTES; each is reserved before it runs, and a success gives the count back.',
  },
  LOGIN_WINDOW_MINUTES: { group: 'Sign-in and tokens', about: 'The window of LOGIN_MAX_FAILURES.' },
  LOGIN_DELAY_MAX_SECONDS: {
    group: 'Sign-in and tokens',
    about:
      'Longest wait between password checks of one account, from any address, once it has had LOGIN_MAX_FAILURES failures (the wait doubles from 1 s up to this; it never locks the account: an address it signed in from within REFRESH_TOKEN_DAYS skips it).',
  },
  RESET_TOKEN_MINUTES: { group: 'Sign-in and tokens', about: 'Password reset link lifetime (5-1440).' },
  ADMIN_EMAIL: {
    group: 'Sign-in and tokens',
    about: 'An ADMIN account created at start-up (and by npm run db:migrate) if missing.',
    unset: 'no extra ADMIN (the demo data has admin@demo.shop)',
    example: 'you@example.com',
  },
  ADMIN_PASSWORD: {
    group: 'Sign-in and tokens',
    about: 'Password of ADMIN_EMAIL (required with it).',
    secret: true,
  },
  SQL_SERVER: {
    group: 'Databases',
    about: 'Azure SQL / SQL Server host; one database per domain.',
    unset: 'a SQLite file per domain in DATA_DIR',
    example: 'sql-shop.database.windows.net',
  },
  SQL_PORT: { group: 'Databases', about: 'SQL Server port.' },
  SQL_DATABASE_PREFIX: {
    group: 'Databases',
    about: 'Database name = prefix + domain (auth, catalog, ...).',
  },
  SQL_USER: {
    group: 'Databases',
    about: 'SQL authentication (SQL Server in CI or a container).',
    unset: 'an Entra ID token (DefaultAzureCredential: az login locally, managed identity in Azure)',
  },
  SQL_PASSWORD: { group: 'Databases', about: 'Password of SQL_USER (required with it).', secret: true },
  SQL_TRUST_SERVER_CERTIFICATE: {
    group: 'Databases',
    about: 'Trust a self-signed server certificate (a local SQL Server container only).',
  },
  AZURE_CLIENT_ID: {
    group: 'Databases',
    about: 'Client id of the user-assigned managed identity every Azure client signs in as.',
    unset: 'DefaultAzureCredential picks (az login locally)',
  },
  SERVICE_BUS_NAMESPACE: {
    group: 'Events',
    about: 'Service Bus namespace events are published to.',
    unset: 'the embedded bus (outbox rows delivered in-process, kept in DATA_DIR)',
    example: 'sb-shop.servicebus.windows.net',
  },
  MAX_DELIVERY_COUNT: {
    group: 'Events',
    about: 'Embedded bus: attempts before a message is dead-lettered.',
  },
  OUTBOX_SWEEP_SCHEDULE: {
    group: 'Events',
    about:
      'When the rare outbox sweep publishes events a crash left behind (NCRONTAB, seconds first). Events go out right after their commit anyway; each sweep wakes every serverless database once.',
  },
  BLOB_ACCOUNT_URL: {
    group: 'Photos and files',
    about: 'Media storage account URL (managed identity).',
    unset: 'files in DATA_DIR/blobs served at /media',
    example: 'https://stmediashop.blob.core.windows.net',
  },
  BLOB_CONNECTION_STRING: {
    group: 'Photos and files',
    about: 'A connection string instead of BLOB_ACCOUNT_URL (Azurite: UseDevelopmentStorage=true).',
    secret: true,
  },
  BLOB_CONTAINER: { group: 'Photos and files', about: 'Container for photos and avatars.' },
  STRIPE_SECRET_KEY: {
    group: 'Payments (Stripe)',
    about: 'Stripe secret (sk_...) or restricted (rk_...) key; use test keys locally.',
    unset: 'the local checkout page at /checkout stands in for Stripe Checkout',
    secret: true,
  },
  STRIPE_WEBHOOK_SECRET: {
    group: 'Payments (Stripe)',
    about:
      'Signing secret (whsec_...) of the webhook endpoint <API>/api/order/webhook; required with STRIPE_SECRET_KEY (stripe listen prints one).',
    unset: 'a secret generated once into DATA_DIR/keys for the local checkout',
    secret: true,
  },
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: {
    group: 'Payments (Stripe)',
    about: 'How old a webhook signature may be (1-3600).',
  },
  STRIPE_API_URL: {
    group: 'Payments (Stripe)',
    about: "Stripe's API origin, for stripe-mock or a test double (requires STRIPE_SECRET_KEY).",
    unset: 'https://api.stripe.com',
  },
  CHECKOUT_SESSION_MINUTES: {
    group: 'Payments (Stripe)',
    about: 'How long a checkout session stays payable (30-1440).',
  },
  STOREFRONT_ORIGINS: {
    group: 'Payments (Stripe)',
    about: 'Comma-separated origins checkout may send the shopper back to (approvedUrl, cancelUrl).',
    unset: 'any http://localhost:<port> or http://127.0.0.1:<port>',
    example: 'http://localhost:3000',
  },
  REWARD_POINTS_PER_UNIT: {
    group: 'Rewards',
    about: 'Points per whole currency unit of a paid order (0 turns earning off).',
  },
  REWARD_POINT_VALUE_MINOR: {
    group: 'Rewards',
    about: 'What one point is worth as a coupon, in minor units (1: 100 points = 1.00).',
  },
  REWARD_COUPON_DAYS: { group: 'Rewards', about: 'How long a coupon bought with points stays valid.' },
  ACS_ENDPOINT: {
    group: 'Email',
    about: 'Azure Communication Services endpoint (managed identity).',
    unset: 'the local mailbox at /mailbox',
    example: 'https://acs-shop.australia.communication.azure.com',
  },
  ACS_CONNECTION_STRING: {
    group: 'Email',
    about: 'An ACS connection string (endpoint=...;accesskey=...) instead of ACS_ENDPOINT.',
    secret: true,
  },
  EMAIL_SENDER: { group: 'Email', about: 'Sender address (in Azure: the ACS managed domain sender).' },
  SHOP_EMAIL: {
    group: 'Email',
    about: "The shop's own address, for the new-order notice.",
    unset: 'ADMIN_EMAIL, then a local address shown in the mailbox',
  },
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    group: 'Telemetry',
    about: 'Application Insights connection string.',
    unset: 'JSON logs on stdout',
  },
};
